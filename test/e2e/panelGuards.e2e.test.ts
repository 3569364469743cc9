// The panel guards the user's money and their gallery: Generate pressed twice (and Ctrl+Enter on
// top) pays for one generation; an image whose file goes missing (a branch switch) is hidden with
// a note, shows again when the file is back, and is forgotten only when the user asks.
import assert from 'node:assert/strict';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { eventually } from './actions';
import { expectNoErrorDialog, findWebviewFrame, runCommand, screenshot } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-key-guards-3d';

async function panel(page: Page): Promise<Frame> {
  return findWebviewFrame(page, async (f) => f.evaluate<boolean>(`!!document.querySelector('form.composer button[type="submit"]')`));
}

/** The panel after a reload of its webview (what a reload of the window or a tab switch does). */
async function reloadPanel(page: Page): Promise<Frame> {
  await runCommand(page, 'Developer: Reload Webviews');
  await new Promise((r) => setTimeout(r, 1_000));
  return panel(page);
}

const cardPrompts = (frame: Frame) => frame.evaluate<string[]>(`[...document.querySelectorAll('.card:not(.pending) .details > .prompt')].map((p) => p.textContent)`);
const hiddenNote = (frame: Frame) => frame.evaluate<string>(`document.querySelector('.hidden-note')?.textContent ?? ''`);

describe('the panel guards', () => {
  const e2e = useE2ESession({ key: KEY, name: 'guards', theme: 'dark' });
  const generations = () => e2e.gemini.requests.filter((r) => /:(streamGenerateContent|generateContent)$/.test(r.path)).length;

  test('Generate pressed twice, and Ctrl+Enter, pays for one generation; the button comes back after', { timeout: 180_000 }, async () => {
    const { page } = e2e;
    try {
      await runCommand(page, 'Gemini Image: Show Images');
      const frame = await panel(page);
      e2e.gemini.enqueue({ kind: 'image', delayMs: 4_000 });
      await frame.locator('textarea#prompt').fill('A lighthouse on a cliff');
      const button = frame.locator('form.composer button[type="submit"]');
      await button.click();
      await button.click({ force: true });
      await frame.locator('textarea#prompt').press('Control+Enter');
      await eventually(async () => ((await button.isDisabled()) ? true : undefined), 'Generate to be off while it runs', 5_000);
      await screenshot(page, 'guards-generating');
      await eventually(async () => ((await cardPrompts(frame)).includes('A lighthouse on a cliff') ? true : undefined), 'the image', 60_000);
      await eventually(async () => ((await button.isEnabled()) ? true : undefined), 'Generate to work again', 10_000);
      assert.equal(generations(), 1, 'one press, one paid request');
      await expectNoErrorDialog(page);
    } catch (error) {
      await screenshot(page, 'failure-guards-generate');
      throw error;
    }
  });

  test('a missing file hides its image with a note; it comes back with the file; Forget Missing Images forgets it', { timeout: 180_000 }, async () => {
    const { page } = e2e;
    const image = readdirSync(e2e.workspace, { recursive: true, encoding: 'utf8' }).map((p) => join(e2e.workspace, p)).find((p) => p.endsWith('a-lighthouse-on-a-cliff.png'));
    assert.ok(image, 'the image of the first test');
    const away = join(e2e.workspace, 'lighthouse-elsewhere.png');
    try {
      renameSync(image, away);
      let frame = await reloadPanel(page);
      await eventually(async () => (/1 image is hidden/.test(await hiddenNote(frame)) ? true : undefined), 'the note about the hidden image');
      assert.deepEqual(await cardPrompts(frame), []);
      await screenshot(page, 'guards-hidden');

      renameSync(away, image);
      frame = await reloadPanel(page);
      await eventually(async () => ((await cardPrompts(frame)).includes('A lighthouse on a cliff') ? true : undefined), 'the image back with its file');
      assert.equal(await hiddenNote(frame), '');

      renameSync(image, away);
      frame = await reloadPanel(page);
      await eventually(async () => ((await hiddenNote(frame)) ? true : undefined), 'the note again');
      await frame.locator('.hidden-note button').click();
      await eventually(async () => ((await hiddenNote(frame)) === '' ? true : undefined), 'the note to go once forgotten');
      renameSync(away, image);
      frame = await reloadPanel(page);
      await new Promise((r) => setTimeout(r, 1_000));
      assert.deepEqual(await cardPrompts(frame), [], 'forgotten: it does not come back');
      await expectNoErrorDialog(page);
    } catch (error) {
      await screenshot(page, 'failure-guards-hidden');
      throw error;
    }
  });
});
