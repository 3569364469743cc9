// The image while it is being made, in a real VS Code: the stand-in streams a draft at once and
// holds the final image back 10 s; the draft must show in the panel's pending card (marked, not
// saved) before the final image exists, and the final file must hold the API's bytes. The time
// from the draft's event leaving the server to the draft drawn in the card is measured and kept
// in test/e2e/screenshots/draft-latency.json for `npm run bench` to report.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listFiles } from '../support/tempWorkspace';
import { enterPrompt, eventually, panelWithLoadedImage, pickStyleStep } from './actions';
import { ROOT, expectNoErrorDialog, findWebviewFrame, runCommand, screenshot } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-key-d9r4';
const HOLD_MS = 10_000;

describe('drafts in the pending card, in a real VS Code', { timeout: 600_000 }, () => {
  const e2e = useE2ESession({ key: KEY, name: 'drafts', settings: { 'geminiImage.model': 'gemini-3-pro-image' }, theme: 'dark' });

  test('a draft shows in the pending card before the final image exists; the final image is the API’s', async () => {
    const { page, gemini, workspace } = e2e;
    await runCommand(page, 'Gemini Image: Show Images');
    const frame = await findWebviewFrame(page, (f) => f.evaluate<boolean>(`!!document.querySelector('.gallery')`), 30_000);
    const before = listFiles(workspace);
    gemini.enqueue({ kind: 'image', thoughtImages: 1, finalDelayMs: HOLD_MS, text: 'Here is your lighthouse in the fog.' });
    await runCommand(page, 'Gemini Image: Generate Image');
    await enterPrompt(page, 'A lighthouse in the fog');
    await pickStyleStep(page);

    // Checked in the webview at each frame: the draft image decoded and laid out in the pending card.
    // A function, not a string: the webview's CSP forbids eval. This file is compiled without the DOM library.
    const shown = await frame.waitForFunction(
      () => {
        const g = globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number; getBoundingClientRect(): { height: number } } | null }; performance: { timeOrigin: number; now(): number } };
        const img = g.document.querySelector('.card.pending figure.draft img');
        return img && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().height > 0 ? g.performance.timeOrigin + g.performance.now() : 0;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const shownAt = (await shown.jsonValue()) as number;
    // gemini-3-pro-image answers JPEG (its metadata goes to a sidecar, the image stays as sent).
    const file = join(workspace, 'images', 'a-lighthouse-in-the-fog.jpg');
    assert.equal(existsSync(file), false, 'the final image does not exist yet');
    assert.deepEqual(listFiles(workspace).filter((f) => !f.startsWith('.vscode')), before.filter((f) => !f.startsWith('.vscode')), 'nothing written into the workspace while the draft shows');

    const request = gemini.requests.find((r) => r.path.endsWith(':streamGenerateContent'));
    assert.ok(request, 'the generation was streamed');
    const draftEvent = request.events?.find((e) => e.kind === 'draft');
    assert.ok(draftEvent?.sentAt, 'the stand-in sent the draft');
    const latencyMs = shownAt - draftEvent.sentAt;
    assert.equal(request.events?.some((e) => e.kind === 'image'), false, 'the final image has not left the server');

    const card = frame.locator('.card.pending');
    assert.equal(await card.locator('.draft-badge').innerText(), 'Draft');
    assert.equal(await card.locator('figure.draft img').getAttribute('alt'), 'A draft of the image on its way (not saved)');
    await eventually(async () => (await card.locator('.pending-text').innerText().catch(() => '')) === 'Here is your lighthouse in the fog.' || undefined, 'the words in the card');
    // The draft is drawn scaled down: never wider than the card, never taller than 200 px.
    const box = await card.locator('figure.draft img').boundingBox();
    assert.ok(box && box.height <= 200.5, JSON.stringify(box));
    await screenshot(page, 'draft-pending-card');

    await eventually(() => existsSync(file), file, HOLD_MS + 30_000);
    assert.deepEqual(readFileSync(file), gemini.sentImages[0], 'the final image holds the API’s bytes');
    assert.equal(gemini.sentThoughtImages.length, 1);
    const done = await panelWithLoadedImage(page);
    await eventually(async () => ((await done.locator('.card.pending').count()) === 0 ? true : undefined), 'the pending card to go');
    assert.equal(await done.locator('figure.draft').count(), 0, 'no draft left in the gallery');
    const written = listFiles(workspace).filter((f) => !f.startsWith('.vscode') && !before.includes(f));
    assert.ok(written.includes('images/a-lighthouse-in-the-fog.jpg'), JSON.stringify(written));
    assert.ok(written.every((f) => f.startsWith('images/a-lighthouse-in-the-fog.jpg')), `only the final image (and its metadata) was written: ${JSON.stringify(written)}`);
    await screenshot(page, 'draft-resolved');
    await expectNoErrorDialog(page);

    const dir = join(ROOT, 'test', 'e2e', 'screenshots');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'draft-latency.json'), `${JSON.stringify({ latencyMs: Math.round(latencyMs), holdMs: HOLD_MS, measuredAt: new Date().toISOString() }, null, 2)}\n`);
    console.log(`draft event left the server -> draft visible in the pending card: ${Math.round(latencyMs)} ms`);
    assert.ok(latencyMs <= 1000, `the draft took ${Math.round(latencyMs)} ms to show`);
  });
});
