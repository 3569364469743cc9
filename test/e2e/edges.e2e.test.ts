// Issue 20 #14 in a real VS Code: a reference picked from outside the workspace (the home folder,
// say) shows in the tray and as the "Made from" thumbnail of the image it made, while the webview
// may load nothing outside the workspace. Before, the card's thumbnail was a broken image.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { makeImage } from '../support/fakeGemini/images';
import { eventually } from './actions';
import { expectNoErrorDialog, findWebviewFrame, runCommand, screenshot } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-key-edges-31';
const outside = mkdtempSync(join(tmpdir(), 'gis-e2e-edges-outside-'));
const reference = join(outside, 'holiday-photo.png');
writeFileSync(reference, makeImage({ mimeType: 'image/png', width: 96, height: 64, seed: 3 }).bytes);
after(() => rmSync(outside, { recursive: true, force: true }));

/** Whether every <img> matching `selector` in the panel has loaded (none broken), and how many there are. */
async function loaded(frame: Frame, selector: string): Promise<{ count: number; broken: number; sources: string[] }> {
  return frame.evaluate<{ count: number; broken: number; sources: string[] }>(`(() => {
    const imgs = [...document.querySelectorAll(${JSON.stringify(selector)})];
    return { count: imgs.length, broken: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).length, sources: imgs.map((i) => i.src.slice(0, 40)) };
  })()`);
}

describe('a reference from outside the workspace', { timeout: 600_000 }, () => {
  const e2e = useE2ESession({ key: KEY, name: 'edges', checkLeftovers: false });

  test('shows in the tray and on the card it made, as a picture, not a broken image', async () => {
    // The panel's frame is looked up afresh each time: a webview whose options change may reload.
    const panel = () => findWebviewFrame(e2e.page, async (f) => (await f.locator('#prompt').count()) > 0, 60_000);
    const imagesIn = async (selector: string) => loaded(await panel(), selector).catch(() => ({ count: 0, broken: 0, sources: [] as string[] }));
    await runCommand(e2e.page, 'Gemini Image: Show Images');
    await (await panel()).locator('button', { hasText: 'Add reference' }).click();
    // code-server's own file dialog: a path typed into its box.
    const input = e2e.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    // The dialog rewrites a typed path as it completes it: open the folder, then pick the file from its list.
    await input.fill(`${outside}${sep}`);
    const row = e2e.page.locator('.quick-input-list .monaco-list-row', { hasText: 'holiday-photo.png' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await new Promise((r) => setTimeout(r, 500));
    if (await input.isVisible()) await input.press('Enter');
    const chip = await eventually(async () => {
      const state = await imagesIn('.references img');
      return state.count === 1 ? state : undefined;
    }, 'the reference chip').catch(async (e) => {
      await screenshot(e2e.page, 'edges-outside-reference-missing');
      throw e;
    });
    await eventually(async () => ((await imagesIn('.references img')).broken === 0 || undefined), `the reference chip's picture (${JSON.stringify(chip)})`);

    const frame = await panel();
    await frame.locator('#prompt').fill('The same scene at night');
    await frame.locator('#prompt').press('Control+Enter');
    await eventually(() => e2e.gemini.requests.some((r) => /:(streamGenerateContent|generateContent)$/.test(r.path)) || undefined, 'the request', 60_000);
    const card = await eventually(async () => {
      const state = await imagesIn('.gallery .sources img');
      return state.count >= 1 ? state : undefined;
    }, 'the card with its source', 60_000);
    const settled = await eventually(async () => {
      const state = await imagesIn('.gallery .sources img');
      return state.count >= 1 && state.broken === 0 ? state : undefined;
    }, `the source thumbnail to load (${JSON.stringify(card)})`, 20_000).catch(async (e) => {
      await screenshot(e2e.page, 'edges-outside-source-broken');
      throw e;
    });
    assert.equal(settled.count, 1);
    await screenshot(e2e.page, 'edges-outside-source');
    await expectNoErrorDialog(e2e.page);
  });
});
