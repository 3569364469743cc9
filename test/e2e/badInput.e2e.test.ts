// Bad input in a real VS Code gets a clear answer and loses nothing: no key, an empty prompt, a
// destination outside the workspace, no folder open.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeGemini } from '../support/fakeGemini';
import { withoutTextChunks } from '../support/pngChunks';
import { listFiles } from '../support/tempWorkspace';
import { enterPrompt, eventually, pickStyleStep } from './actions';
import { ROOT, VSIX_PATH, clearNotifications, expectNoErrorDialog, runCommand, screenshot, startVSCode, waitForNotification, type E2ESession } from './harness';

const KEY = 'e2e-secret-91QwErTy';

describe('bad input in a real VS Code', { timeout: 600_000 }, () => {
  test('no key -> "Set API Key" (nothing sent); empty prompt refused in the box; destination outside the workspace names the setting', async () => {
    const gemini = await startFakeGemini({ apiKeys: [KEY] });
    const parent = mkdtempSync(join(tmpdir(), 'gis-e2e-bad-'));
    const workspace = join(parent, 'ws');
    cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
    let session: E2ESession | undefined;
    try {
      session = await startVSCode({
        vsixPath: VSIX_PATH,
        workspaceDir: workspace,
        env: { GEMINI_API_KEY: '' },
        userSettings: { 'geminiImage.baseUrl': gemini.url, 'geminiImage.destination': '../outside/${promptSlug}.${ext}' },
        theme: 'light',
      });
      const { page } = session;

      await runCommand(page, 'Gemini Image: Generate Image');
      await waitForNotification(page, 'No Gemini API key is set');
      assert.equal(gemini.requests.length, 0, 'a request was sent without a key');
      await page.locator('.notification-toast .monaco-button', { hasText: 'Set API Key' }).first().click();
      const keyBox = page.locator('.quick-input-widget input');
      await eventually(async () => (await keyBox.getAttribute('type')) === 'password' || undefined, 'the password box');
      await keyBox.fill(KEY);
      await keyBox.press('Enter');
      await waitForNotification(page, 'Gemini API key checked and saved.');
      await clearNotifications(page);
      // The key check was one request; nothing after it may reach the server.
      const afterKeyCheck = gemini.requests.length;

      await runCommand(page, 'Gemini Image: Generate Image');
      const input = page.locator('.quick-input-widget input');
      await eventually(async () => /Describe the image/.test((await input.getAttribute('placeholder')) ?? '') || undefined, 'the prompt box');
      await input.fill('   ');
      await input.press('Enter');
      const message = page.locator('.quick-input-widget .quick-input-message');
      await eventually(async () => /The prompt cannot be empty/.test(await message.innerText().catch(() => '')) || undefined, 'the validation message');
      assert.ok(await input.isVisible(), 'the prompt box closed on an empty prompt');
      await screenshot(page, 'empty-prompt');
      await input.fill('A fox in the snow');
      await input.press('Enter');
      await pickStyleStep(page);
      const error = await waitForNotification(page, 'outside the workspace');
      assert.match(error, /geminiImage\.destination/);
      assert.equal(gemini.requests.length, afterKeyCheck, 'a request was sent for an unusable destination');
      assert.deepEqual(readdirSync(parent), ['ws'], 'something was written outside the workspace');
      await expectNoErrorDialog(page, /outside the workspace/);

      // The key went to secret storage, not to any settings file.
      const userSettings = readFileSync(join(session.userDataDir, 'User', 'settings.json'), 'utf8');
      assert.ok(!userSettings.includes(KEY), 'the key is in the user settings');
      for (const f of listFiles(workspace)) assert.ok(!readFileSync(join(workspace, f), 'utf8').includes(KEY), `the key is in ${f}`);
    } finally {
      await session?.close();
      await gemini.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test('no folder open -> a save dialog, and the image is saved where the user chose', async () => {
    const gemini = await startFakeGemini({ apiKeys: [KEY] });
    const target = mkdtempSync(join(tmpdir(), 'gis-e2e-nofolder-'));
    let session: E2ESession | undefined;
    try {
      session = await startVSCode({ vsixPath: VSIX_PATH, workspaceDir: target, noFolder: true, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url } });
      const { page } = session;
      await runCommand(page, 'Gemini Image: Generate Image');
      await enterPrompt(page, 'A poster for a tea shop');
    await pickStyleStep(page);
      // VS Code's own save dialog (the simple one in a browser): its box takes a path.
      const dialog = page.locator('.quick-input-widget input');
      await eventually(async () => ((await dialog.inputValue()).endsWith('/a-poster-for-a-tea-shop.png') ? true : undefined), 'the save dialog with the prompt\'s name');
      await screenshot(page, 'save-dialog');
      await dialog.fill(join(target, 'tea-poster.png'));
      await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
      const file = join(target, 'tea-poster.png');
      await eventually(() => existsSync(file) || undefined, file);
      assert.deepEqual(withoutTextChunks(readFileSync(file)), gemini.sentImages[0]);
      await expectNoErrorDialog(page);
    } finally {
      await session?.close();
      await gemini.close();
      rmSync(target, { recursive: true, force: true });
    }
  });
});
