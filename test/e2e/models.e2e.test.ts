// Today's API in a real VS Code: with no model set, the model the endpoint's list recommends is
// used and named; a setting that names a retired model gets one offer of its replacement, and one
// click generates with it; each card shows its tokens and estimated cost.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, waitForNoToasts } from './actions';
import { ROOT, expectNoErrorDialog, leftoverProcesses, runCommand, screenshot, startVSCode, waitForNotification, type E2ESession } from './harness';

const vsixPath = resolve(ROOT, process.env.E2E_VSIX ?? 'dist/gemini-image-studio.vsix');
const KEY = 'e2e-key-m0d3';

/** The palette, once the extension host has registered our commands (a fresh window takes a while under load). */
async function runWhenReady(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runCommand(page, title, 10_000);
    } catch (e) {
      if (attempt >= 6) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

describe('models on today\'s API in a real VS Code', { timeout: 600_000 }, () => {
  let gemini: FakeGemini;
  let session: E2ESession | undefined;
  let workspace: string;
  let page: Page;

  before(async () => {
    // Pages of two: the extension must follow nextPageToken to find its model.
    gemini = await startFakeGemini({ apiKeys: [KEY], maxModelsPageSize: 2 });
    workspace = mkdtempSync(join(tmpdir(), 'gis-e2e-models-'));
    cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
    session = await startVSCode({ vsixPath, workspaceDir: workspace, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url }, theme: 'dark' });
    page = session.page;
  });

  after(async () => {
    try {
      if (session) {
        const left = await session.close().then(() => leftoverProcesses(session!));
        assert.deepEqual(left, [], 'processes left after the session');
      }
    } finally {
      await gemini?.close();
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('a fresh install with no model set generates with the model the list recommends, and names it; the card shows tokens and cost', async () => {
    await runWhenReady(page, 'Gemini Image: Generate Image');
    const title = page.locator('.quick-input-widget .quick-input-title');
    await eventually(async () => ((await title.innerText().catch(() => '')).includes('gemini-nano-banana-2.1') ? true : undefined), 'the prompt box naming gemini-nano-banana-2.1');
    await enterPrompt(page, 'A red fox in the snow');
    await pickStyleStep(page);
    const file = join(workspace, 'images', 'a-red-fox-in-the-snow.png');
    await eventually(() => existsSync(file), file);
    const listing = gemini.requests.filter((r) => r.path === '/v1beta/models');
    assert.ok(listing.length >= 2, 'every page was read');
    assert.ok(listing.every((r) => r.query.pageSize === '1000'), JSON.stringify(listing.map((r) => r.query)));
    assert.ok(listing.slice(1).every((r) => r.query.pageToken), 'the next pages were asked for by token');
    assert.deepEqual(gemini.requests.filter((r) => r.method === 'POST').map((r) => r.path), ['/v1beta/models/gemini-nano-banana-2.1:generateContent']);

    const frame = await panelWithLoadedImage(page);
    const meta = await frame.locator('.card .meta').first().innerText();
    assert.match(meta, /gemini-nano-banana-2\.1/);
    assert.match(meta, /Tokens\s+\d[\d,.]*/);
    assert.match(meta, /Estimated cost\s+\$0\.0336/);
    assert.match(await frame.locator('.toolbar .workspace-cost').innerText(), /\$0\.0336/);
    await waitForNoToasts(page);
    await screenshot(page, 'models-card-tokens-cost');
    await expectNoErrorDialog(page);
  });

  test('settings naming gemini-3-pro-image-preview: one offer of gemini-3-pro-image, and one click generates with it', async () => {
    // A user who set the preview id months ago opens VS Code today.
    const left = await session!.close().then(() => leftoverProcesses(session!));
    assert.deepEqual(left, []);
    session = await startVSCode({ vsixPath, workspaceDir: workspace, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url, 'geminiImage.model': 'gemini-3-pro-image-preview' }, theme: 'dark' });
    page = session.page;
    const settingsFile = join(session.userDataDir, 'User', 'settings.json');
    const before = gemini.requests.length;
    await runWhenReady(page, 'Gemini Image: Generate Image');
    await enterPrompt(page, 'A lighthouse at night');
    await pickStyleStep(page);
    const text = await waitForNotification(page, /gemini-3-pro-image-preview stopped on 2026-06-25; switch to gemini-3-pro-image\?/);
    assert.ok(text);
    assert.equal(gemini.requests.slice(before).filter((r) => r.method === 'POST').length, 0, 'nothing is sent to the retired id while the offer is open');
    await page.locator('.notification-toast .monaco-button', { hasText: 'Switch to gemini-3-pro-image' }).first().click();
    // Gemini 3 Pro answers JPEG.
    const file = join(workspace, 'images', 'a-lighthouse-at-night.jpg');
    await eventually(() => existsSync(file), file);
    assert.deepEqual(gemini.requests.slice(before).filter((r) => r.method === 'POST').map((r) => r.path), ['/v1beta/models/gemini-3-pro-image:generateContent']);
    const saved = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    assert.equal(saved['geminiImage.model'], 'gemini-3-pro-image', 'the switch is written where the setting was (user settings)');
    // A new window: its own workspace storage, so the gallery holds this image only.
    const frame = await panelWithLoadedImage(page);
    assert.match(await frame.locator('.card', { hasText: 'A lighthouse at night' }).locator('.meta').innerText(), /gemini-3-pro-image[\s\S]*Estimated cost\s+\$0\.134/);
    await expectNoErrorDialog(page);
  });
});
