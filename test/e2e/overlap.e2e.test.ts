// Two generations started a moment apart, the first answered slowly: the panel must show both
// placeholder cards, and each must stay until its own image arrives (they used to erase each other).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { enterPrompt, eventually, pickStyleStep } from './actions';
import { ROOT, VSIX_PATH, expectNoErrorDialog, findWebviewFrame, leftoverProcesses, runCommand, screenshot, startVSCode, type E2ESession } from './harness';

/** An image generation: the editor streams it (streamGenerateContent), a relay without streaming gets generateContent. */
const IMAGE_CALL = /:(streamGenerateContent|generateContent)$/;

const KEY = 'e2e-key-overlap-5c';

let gemini: FakeGemini;
let session: E2ESession | undefined;
let workspace: string;

before(async () => {
  gemini = await startFakeGemini({ apiKeys: [KEY] });
  workspace = mkdtempSync(join(tmpdir(), 'gis-e2e-overlap-'));
  cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
});

after(async () => {
  try {
    if (session) {
      await session.close();
      assert.deepEqual(await leftoverProcesses(session), [], 'processes left after the session');
    }
  } finally {
    await gemini?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
});

/** What the panel shows: the prompts of its pending cards and of its images. */
async function cards(frame: Frame): Promise<{ pending: string[]; images: string[] }> {
  return frame.evaluate<{ pending: string[]; images: string[] }>(`(() => ({
    pending: [...document.querySelectorAll('.card.pending .prompt')].map((p) => p.textContent),
    images: [...document.querySelectorAll('.card:not(.pending) .details > .prompt')].map((p) => p.textContent),
  }))()`);
}

async function generate(page: Page, prompt: string): Promise<void> {
  await runCommand(page, 'Gemini Image: Generate Image');
  await enterPrompt(page, prompt);
  await pickStyleStep(page);
}

test('overlapping generations keep their own pending cards until their images arrive', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(VSIX_PATH), `no extension package at ${VSIX_PATH}: run \`npm run package\` or set E2E_VSIX`);
  session = await startVSCode({ vsixPath: VSIX_PATH, workspaceDir: workspace, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url }, theme: 'light' });
  const { page } = session;
  try {
    await runCommand(page, 'Gemini Image: Show Images');
    const frame = await findWebviewFrame(page, async (f) => f.evaluate<boolean>(`!!document.querySelector('.gallery')`));
    // The first answer comes slowly; the second, started after it, comes first.
    gemini.enqueue({ kind: 'image', delayMs: 15_000 }, { kind: 'image', delayMs: 4_000 });
    await generate(page, 'The slow lighthouse');
    await eventually(async () => ((await cards(frame)).pending.length === 1 ? true : undefined), 'the first pending card');
    await generate(page, 'The quick fox');
    await eventually(async () => ((await cards(frame)).pending.length === 2 ? true : undefined), 'both pending cards at once');

    const afterFirst = await eventually(async () => {
      const now = await cards(frame);
      return now.images.includes('The quick fox') ? now : undefined;
    }, 'the quick image', 30_000);
    assert.deepEqual(afterFirst.pending, ['The slow lighthouse'], 'the slow card stays while its image is still coming');
    await screenshot(page, 'overlap-one-pending');

    const done = await eventually(async () => {
      const now = await cards(frame);
      return now.images.includes('The slow lighthouse') ? now : undefined;
    }, 'the slow image', 40_000);
    assert.deepEqual(done.pending, []);
    assert.equal(gemini.requests.filter((r) => IMAGE_CALL.test(r.path)).length, 2);
    await expectNoErrorDialog(page);
  } catch (error) {
    await screenshot(page, 'failure-overlap');
    throw error;
  }
});
