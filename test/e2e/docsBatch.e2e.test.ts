// Docs images in a real VS Code, the parts that outlive one command: Regenerate's old file (to
// the trash, or, where code-server has none, the user's choice), a batch job in the status bar and
// in Show Batch Jobs with its state and counts, cancelled from there, and a pending job picked up
// again after a window reload. The stand-in keeps a job pending until the test lets it finish.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { readPngMetadata, setPngMetadata } from '../../src/core/pngMetadata';
import type { FakeBatchOptions, FakeGemini } from '../support/fakeGemini';
import { makeImage } from '../support/fakeGemini/images';
import { listFiles } from '../support/tempWorkspace';
import { eventually, panelWithLoadedImage } from './actions';
import { clearNotifications, expectNoErrorDialog, openFile, runCommand, screenshot, typeInQuickInput, waitForNotification } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-batch-key-83Qd';
const OLD_PNG = setPngMetadata(makeImage({ mimeType: 'image/png', width: 64, height: 64, seed: 7 }).bytes, { version: 1, prompt: 'an old lighthouse', model: 'gemini-2.5-flash-image' });

const calls = (fake: FakeGemini, suffix: string) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length;

/** Generate Missing Images... on the open markdown file, in Batch mode. */
async function fillCurrentFileInBatch(page: Page): Promise<void> {
  await runCommand(page, 'Gemini Image: Generate Missing Images...');
  await typeInQuickInput(page, 'Current File');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  await dialog.locator('.monaco-button', { hasText: /^Batch/ }).click();
}

const statusItem = (page: Page) => page.locator('.statusbar-item', { hasText: /batch job/ });

describe('Docs batch jobs and Regenerate in a real VS Code', { timeout: 600_000 }, () => {
  const batch: FakeBatchOptions = {};
  const e2e = useE2ESession({
    key: KEY,
    name: 'batch',
    gemini: { batch },
    fill: (workspace) => {
      mkdirSync(join(workspace, 'docs', 'images'), { recursive: true });
      writeFileSync(join(workspace, 'docs', 'images', 'tower.png'), OLD_PNG);
      writeFileSync(join(workspace, 'docs', 'stale.md'), '# Stale\n\n![a new lighthouse](images/tower.png)\n');
      writeFileSync(join(workspace, 'docs', 'cancel.md'), '# Cancel\n\n![a kite](c/kite.png)\n\n![a boat](c/boat.png)\n\n![a hill](c/hill.png)\n');
      writeFileSync(join(workspace, 'docs', 'reload.md'), '# Reload\n\n![a fox](r/fox.png)\n\n![an owl](r/owl.png)\n');
    },
  });

  test('Regenerate replaces a stale image; the old one goes to the trash, or (no trash here) the user chooses', async (t) => {
    try {
      const file = join(e2e.workspace, 'docs', 'images', 'tower.png');
      await openFile(e2e.page, 'docs/stale.md');
      const lens = e2e.page.locator('.codelens-decoration a', { hasText: /Regenerate/ }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      await eventually(() => (readPngMetadata(readFileSync(file))?.prompt === 'a new lighthouse' ? true : undefined), 'the new image in place');
      const kept = () => listFiles(e2e.session.userDataDir).filter((f) => f.includes('/replaced/') && f.endsWith('docs/images/tower.png'));
      const trashed = await waitForNotification(e2e.page, /There is no trash here/, 15_000).catch(() => undefined);
      t.diagnostic(trashed ? 'no trash: the user was asked' : 'the old version went to the trash');
      if (trashed) {
        // One sentence with a proper singular, no paths or URIs (they are in the log), Keep first (the default).
        assert.equal(trashed, 'There is no trash here for the old version of the regenerated image: keep it, or delete it permanently?');
        const buttons = await e2e.page.locator('.notification-toast', { hasText: 'There is no trash here' }).locator('.monaco-button').allInnerTexts();
        assert.deepEqual(buttons.map((b) => b.trim()), ['Keep', 'Delete Permanently']);
        // code-server's file system has no trash: the old version waits, byte for byte, for the choice.
        const [keptFile] = kept();
        assert.ok(keptFile, 'the old version is kept until the user decides');
        assert.ok(readFileSync(join(e2e.session.userDataDir, keptFile)).equals(OLD_PNG));
        await e2e.page.locator('.notification-toast .monaco-button', { hasText: 'Delete Permanently' }).click();
        await eventually(() => (kept().length === 0 ? true : undefined), 'the old version deleted');
      } else {
        assert.deepEqual(kept(), [], 'the old version went to the trash');
      }
      // The image the docs made is in the gallery like any other (issue 25, item 3).
      await runCommand(e2e.page, 'Gemini Image: Show Images');
      const frame = await panelWithLoadedImage(e2e.page);
      assert.match(await frame.locator('.card', { hasText: 'a new lighthouse' }).first().innerText(), /tower\.png/);
      await runCommand(e2e.page, 'View: Close All Editors');
      await expectNoErrorDialog(e2e.page);
    } catch (e) {
      await screenshot(e2e.page, 'docs-regenerate-trash');
      throw e;
    }
  });

  test('a batch shows in the status bar; Show Batch Jobs lists its state and counts and cancels it', async () => {
    try {
      batch.pendingPolls = 1_000_000;
      await clearNotifications(e2e.page);
      await openFile(e2e.page, 'docs/cancel.md');
      await fillCurrentFileInBatch(e2e.page);
      await eventually(() => (calls(e2e.gemini, ':batchGenerateContent') === 1 ? true : undefined), 'the job created');
      await statusItem(e2e.page).first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await statusItem(e2e.page).first().innerText(), /1 batch job/);

      await runCommand(e2e.page, 'Gemini Image: Show Batch Jobs');
      const row = e2e.page.locator('.quick-input-list .monaco-list-row').first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      // Before its first poll the job shows its stored phase (created), then Google's state: both read "waiting".
      await eventually(async () => (/waiting · 0 \/ 3/.test(await row.innerText()) ? true : undefined), 'the job listed as waiting, 0 of 3 done', 30_000).catch(async (e) => {
        throw new Error(`${(e as Error).message}: ${await row.innerText()}`);
      });
      await row.click();
      const dialog = e2e.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      await dialog.locator('.monaco-button', { hasText: 'Cancel Job' }).click();
      await eventually(() => (calls(e2e.gemini, ':cancel') === 1 ? true : undefined), 'the cancel sent');
      // The next poll (backoff from 5 s) sees CANCELLED: every image is reported, nothing written.
      await waitForNotification(e2e.page, /Batch finished: 0 images written, 3 failed/, 90_000);
      await statusItem(e2e.page).first().waitFor({ state: 'hidden', timeout: 20_000 });
      assert.ok(!existsSync(join(e2e.workspace, 'docs', 'c')));
      await expectNoErrorDialog(e2e.page);
    } catch (e) {
      await screenshot(e2e.page, 'docs-batch-cancel');
      throw e;
    }
  });

  test('a pending job is picked up after a window reload and finished, without a second job', async () => {
    try {
      batch.pendingPolls = 1_000_000;
      await clearNotifications(e2e.page);
      await openFile(e2e.page, 'docs/reload.md');
      const created = calls(e2e.gemini, ':batchGenerateContent');
      await fillCurrentFileInBatch(e2e.page);
      await eventually(() => (calls(e2e.gemini, ':batchGenerateContent') === created + 1 ? true : undefined), 'the job created');
      await statusItem(e2e.page).first().waitFor({ state: 'visible', timeout: 30_000 });

      await e2e.page.evaluate('window.__beforeReload = true');
      await runCommand(e2e.page, 'Developer: Reload Window');
      await eventually(async () => ((await e2e.page.evaluate('window.__beforeReload === undefined').catch(() => false)) ? true : undefined), 'the window to reload', 60_000);
      await e2e.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The reopened markdown file activates the extension, which follows the job again.
      await statusItem(e2e.page).first().waitFor({ state: 'visible', timeout: 60_000 });
      batch.pendingPolls = 0;
      batch.runningPolls = 0;
      const fox = join(e2e.workspace, 'docs', 'r', 'fox.png');
      const owl = join(e2e.workspace, 'docs', 'r', 'owl.png');
      await eventually(() => (existsSync(fox) && existsSync(owl) ? true : undefined), 'both images written after the reload', 120_000);
      assert.equal(readPngMetadata(readFileSync(owl))?.prompt, 'an owl');
      assert.equal(calls(e2e.gemini, ':batchGenerateContent'), created + 1, 'no second job');
      await statusItem(e2e.page).first().waitFor({ state: 'hidden', timeout: 30_000 });
      await expectNoErrorDialog(e2e.page);
    } catch (e) {
      await screenshot(e2e.page, 'docs-batch-reload');
      throw e;
    }
  });
});
