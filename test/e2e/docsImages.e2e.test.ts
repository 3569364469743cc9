// Docs as the source of their images, in a real VS Code (code-server + Chromium) against the
// stand-in: the diagnostic on a missing image, Generate Image Here writing at the linked path (and
// the diagnostic going), Generate Missing Images on a folder from the Explorer filling it, and
// refusing a fill over the user's geminiImage.maxCostPerRun.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { itxt, withoutTextChunks } from '../support/pngChunks';
import { chooseMenuItem, eventually } from './actions';
import { expectNoErrorDialog, openFile, runCommand, screenshot, waitForNotification } from './harness';
import { automaticImageModel, formatDollars, pricePerImage } from '../../src/core/models';
import { useE2ESession } from './session';

const KEY = 'e2e-docs-key-51c2';

async function problemsText(page: Page): Promise<string> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: 20_000 });
  return (await panel.innerText()) ?? '';
}

describe('Docs images in a real VS Code', { timeout: 600_000 }, () => {
  const e2e = useE2ESession({
    key: KEY,
    name: 'docs',
    fill: (workspace) => {
      mkdirSync(join(workspace, 'docs', 'more'), { recursive: true });
      writeFileSync(join(workspace, 'docs', 'guide.md'), '# Guide\n\n![a red kite over the sea](images/kite.png)\n\n```\n![not this](images/code.png)\n```\n');
      writeFileSync(join(workspace, 'docs', 'more', 'page.md'), '# More\n\n![a blue boat](pics/boat.png)\n\n<!-- gemini-image\na green hill under a wide sky\naspect-ratio: 16:9\n-->\n![hill](pics/hill.png)\n');
    },
    theme: 'light',
  });

  test('a missing image shows "Image not generated yet"; Generate Image Here writes it at the link, and the diagnostic clears', async () => {
    try {
      await openFile(e2e.page, 'docs/guide.md');
      await eventually(async () => ((await problemsText(e2e.page)).includes('Image not generated yet') ? true : undefined), 'the diagnostic in the Problems view');
      assert.doesNotMatch(await problemsText(e2e.page), /code\.png/);
      await openFile(e2e.page, 'docs/guide.md');
      // Generate Image Here is offered on the link (CodeLens, quick fix), not in the palette.
      await e2e.page.locator('.codelens-decoration a', { hasText: 'Generate Image Here' }).first().click({ timeout: 30_000 });
      const file = join(e2e.workspace, 'docs', 'images', 'kite.png');
      await eventually(() => existsSync(file), file);
      assert.deepEqual(withoutTextChunks(readFileSync(file)), e2e.gemini.sentImages[0]);
      assert.equal(itxt(readFileSync(file)).Description, 'a red kite over the sea');
      await eventually(async () => (!(await problemsText(e2e.page)).includes('Image not generated yet') ? true : undefined), 'the diagnostic to clear');
      await expectNoErrorDialog(e2e.page);
    } catch (e) {
      await screenshot(e2e.page, 'docs-generate-here');
      throw e;
    }
  });

  /** Generate Missing Images... on docs/<name> from the Explorer, answered Now. */
  async function fillFolderNow(name: string): Promise<void> {
    await runCommand(e2e.page, 'View: Show Explorer');
    const folder = e2e.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*docs\s*$/ }).first();
    await folder.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const sub = e2e.page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name}\\s*$`) }).first();
    await sub.waitFor({ state: 'visible', timeout: 20_000 });
    await sub.click({ button: 'right' });
    await chooseMenuItem(e2e.page, 'Generate Missing Images...');
    const dialog = e2e.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await dialog.innerText(), /2 missing and 0 stale/);
    await dialog.locator('.monaco-button', { hasText: /^Now$/ }).click();
  }

  test('Generate Missing Images... on a folder in the Explorer fills it', async () => {
    try {
      await fillFolderNow('more');
      const boat = join(e2e.workspace, 'docs', 'more', 'pics', 'boat.png');
      const hill = join(e2e.workspace, 'docs', 'more', 'pics', 'hill.png');
      await eventually(() => existsSync(boat) && existsSync(hill), 'both images');
      assert.equal(itxt(readFileSync(hill)).Description, 'a green hill under a wide sky');
      assert.ok(!existsSync(join(e2e.workspace, 'docs', 'images', 'code.png')));
      await expectNoErrorDialog(e2e.page);
    } catch (e) {
      await screenshot(e2e.page, 'docs-fill-folder');
      throw e;
    }
  });

  test('over geminiImage.maxCostPerRun: nothing is generated, and the estimate, the limit and what fits are told', async () => {
    const price = pricePerImage({ model: automaticImageModel(undefined, new Date()), imageSize: '1K' })!;
    const limit = Math.round(price * 1.5 * 1000) / 1000;
    await e2e.session.close();
    mkdirSync(join(e2e.workspace, 'docs', 'costly'), { recursive: true });
    writeFileSync(join(e2e.workspace, 'docs', 'costly', 'page.md'), '# Costly\n\n![a yellow tram](img/tram.png)\n\n![a grey pier](img/pier.png)\n');
    await e2e.start({ 'geminiImage.maxCostPerRun': limit });
    try {
      const before = e2e.gemini.requests.filter((r) => r.method === 'POST').length;
      await fillFolderNow('costly');
      const text = await waitForNotification(e2e.page, 'per run (geminiImage.maxCostPerRun)');
      assert.match(text, new RegExp(`^The estimate, \\$[\\d.]+, is over your limit of \\${formatDollars(limit)} per run \\(geminiImage\\.maxCostPerRun\\)\\. Nothing was generated; 1 of the 2 images would fit\\.`));
      assert.equal(e2e.gemini.requests.filter((r) => r.method === 'POST').length, before, 'nothing was sent');
      assert.ok(!existsSync(join(e2e.workspace, 'docs', 'costly', 'img')));
      await screenshot(e2e.page, 'docs-fill-over-limit');
    } catch (e) {
      await screenshot(e2e.page, 'docs-fill-over-limit-failed');
      throw e;
    }
  });
});
