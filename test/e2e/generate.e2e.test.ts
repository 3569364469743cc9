// Generate Image in a real VS Code (code-server + Chromium) against the stand-in Gemini server:
// what a user sees (notifications, the panel's image, the markdown text) and what is on disk.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { itxt, withoutTextChunks } from '../support/pngChunks';
import { listFiles } from '../support/tempWorkspace';
import { answerRelayQuestion, contextMenuOnSelection, enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, saveEditor, selectLine, waitForNoToasts } from './actions';
import { VSIX_PATH, clearNotifications, expectNoErrorDialog, openFile, runCommand, screenshot, startVSCode, waitForNotification, type E2ESession } from './harness';
import { PLAIN_EDITOR, copyDemo, useE2ESession } from './session';

const KEY = 'e2e-key-7f3a';

describe('Generate Image in a real VS Code', { timeout: 600_000 }, () => {
  let elsewhere: FakeGemini;
  // Registered before the session's hooks: the workspace's settings name its url, and it closes
  // even when the session's leftover check fails.
  before(async () => {
    elsewhere = await startFakeGemini({ apiKeys: [KEY] });
  });
  after(() => elsewhere?.close());

  const e2e = useE2ESession({
    key: KEY,
    name: 'ws',
    fill: (workspace) => {
      copyDemo(workspace);
      // A cloned repository trying to redirect the key: it must not work.
      mkdirSync(join(workspace, '.vscode'));
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'geminiImage.baseUrl': elsewhere.url, 'geminiImage.authStyle': 'query' }));
    },
    settings: PLAIN_EDITOR,
    theme: 'light',
  });

  test('palette -> Generate Image -> prompt: the PNG is in the workspace with the server\'s bytes, the panel shows it', async () => {
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    // The workspace's relay settings are not applied; asked once, before the key leaves.
    const question = await answerRelayQuestion(e2e.page, 'send');
    assert.ok(question.includes(new URL(elsewhere.url).host), question);
    await enterPrompt(e2e.page, 'A lighthouse at dawn');
    await pickStyleStep(e2e.page);
    const file = join(e2e.workspace, 'images', 'a-lighthouse-at-dawn.png');
    await eventually(() => existsSync(file), file);
    assert.deepEqual(withoutTextChunks(readFileSync(file)), e2e.gemini.sentImages[0]);
    assert.equal(itxt(readFileSync(file)).Description, 'A lighthouse at dawn', 'the prompt is kept in the PNG');
    const frame = await panelWithLoadedImage(e2e.page);
    const prompt = await frame.locator('.card .prompt').first().textContent();
    assert.equal(prompt, 'A lighthouse at dawn');
    assert.match(await frame.locator('.card .meta').first().innerText(), /gemini-nano-banana-2\.1[\s\S]*1024×1024/);
    assert.equal(e2e.gemini.requests[0].headers['x-goog-api-key'], KEY);
    await waitForNoToasts(e2e.page);
    await screenshot(e2e.page, 'panel-light');
    await expectNoErrorDialog(e2e.page);
  });

  test('Generate Image from Selection in the editor context menu inserts a relative link after the selection', async () => {
    await openFile(e2e.page, 'docs/guide.md');
    await selectLine(e2e.page, 9);
    await contextMenuOnSelection(e2e.page, 'Generate Image from Selection');
    // The prompt box is prefilled with the selection: accept it as is.
    const input = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => /^A small white lighthouse on a rocky cliff/.test(await input.inputValue()) || undefined, 'the prefilled prompt');
    await enterPrompt(e2e.page, undefined);
    await pickStyleStep(e2e.page);

    const imageFile = await eventually(() => listFiles(join(e2e.workspace, 'docs')).find((f) => f.startsWith('images/') && f.endsWith('.png')), 'the image next to guide.md');
    await eventually(async () => {
      await saveEditor(e2e.page);
      return readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8').includes(`](${imageFile})`) || undefined;
    }, 'the link in guide.md');
    const text = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
    const lines = text.split('\n');
    assert.match(lines[8], /^A small white lighthouse/, 'the selected paragraph is untouched');
    assert.match(lines[10], new RegExp(`^!\\[A small white lighthouse on a rocky cliff[^\\]]*\\]\\(${imageFile.replace(/[.]/g, '\\.')}\\)$`));
    assert.deepEqual(withoutTextChunks(readFileSync(join(e2e.workspace, 'docs', imageFile))), e2e.gemini.sentImages.at(-1));
    await expectNoErrorDialog(e2e.page);
  });

  test('the panel\'s Insert into Markdown inserts into the markdown editor', async () => {
    const before = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
    // The cursor on the last line (Go to Line also drops the selection of the test before).
    await runCommand(e2e.page, 'View: Focus First Editor Group');
    await runCommand(e2e.page, 'Go to Line/Column...');
    await e2e.page.locator('.quick-input-widget input').fill(`:${before.split('\n').length}`);
    await e2e.page.locator('.quick-input-widget input').press('Enter');
    const frame = await panelWithLoadedImage(e2e.page, 2);
    await frame.locator('.card', { hasText: 'A lighthouse at dawn' }).locator('button[data-action="insert"]').click();
    await eventually(async () => {
      await e2e.page.locator('.monaco-editor .view-lines').first().click();
      await saveEditor(e2e.page);
      const now = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
      return now !== before ? now : undefined;
    }, 'guide.md to change');
    const after = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
    assert.ok(after.trimEnd().endsWith('![A lighthouse at dawn](../images/a-lighthouse-at-dawn.png)'), after.slice(-200));
  });

  test('a safety block shows a clear notification and writes no file', async () => {
    await clearNotifications(e2e.page);
    const filesBefore = listFiles(e2e.workspace);
    e2e.gemini.enqueue({ kind: 'promptBlocked', blockReason: 'SAFETY' });
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'something the filter blocks');
    await pickStyleStep(e2e.page);
    const message = await waitForNotification(e2e.page, 'blocked');
    assert.match(message, /No image: the request was blocked \(safety filter\)/);
    assert.deepEqual(listFiles(e2e.workspace).filter((f) => !f.startsWith('.vscode')), filesBefore.filter((f) => !f.startsWith('.vscode')));
    await expectNoErrorDialog(e2e.page, /blocked/);
    await clearNotifications(e2e.page);
  });

  test('Cancel during a slow request aborts it and writes no file', async () => {
    const filesBefore = listFiles(e2e.workspace);
    const requestsBefore = e2e.gemini.requests.length;
    e2e.gemini.enqueue({ kind: 'hang' });
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'a very slow painting');
    await pickStyleStep(e2e.page);
    await eventually(() => e2e.gemini.requests.length > requestsBefore || undefined, 'the request to reach the server');
    const cancel = e2e.page.locator('.notification-toast .monaco-button', { hasText: 'Cancel' }).first();
    await cancel.waitFor({ state: 'visible' });
    await cancel.click();
    await eventually(() => e2e.gemini.requests.at(-1)?.aborted || undefined, 'the server to see the request aborted', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(listFiles(e2e.workspace), filesBefore);
    await expectNoErrorDialog(e2e.page);
  });

  test('the panel comes back after a window reload, with its images', async () => {
    // A mark on the old document tells when the reload has really replaced it.
    await e2e.page.evaluate('window.__beforeReload = true');
    await runCommand(e2e.page, 'Developer: Reload Window');
    await eventually(async () => ((await e2e.page.evaluate('window.__beforeReload === undefined').catch(() => false)) ? true : undefined), 'the window to reload', 60_000);
    await e2e.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await panelWithLoadedImage(e2e.page, 2);
    const prompts = await frame.locator('.card .prompt').allTextContents();
    assert.ok(prompts.includes('A lighthouse at dawn'), JSON.stringify(prompts));
    assert.ok(prompts.some((p) => p.startsWith('A small white lighthouse')), JSON.stringify(prompts));
    await expectNoErrorDialog(e2e.page);
  });

  test('a workspace .vscode/settings.json cannot redirect requests (baseUrl and authStyle are User settings only)', () => {
    assert.equal(elsewhere.requests.length, 0, 'the workspace\'s server saw requests');
    assert.ok(e2e.gemini.requests.length >= 4);
    for (const r of e2e.gemini.requests) assert.equal(r.query.key, undefined, 'the key went into a URL');
  });
});

describe('the panel in the dark theme', { timeout: 300_000 }, () => {
  test('renders a generated image', async () => {
    const gemini = await startFakeGemini({ apiKeys: [KEY] });
    const workspace = mkdtempSync(join(tmpdir(), 'gis-e2e-dark-'));
    copyDemo(workspace);
    let session: E2ESession | undefined;
    try {
      session = await startVSCode({ vsixPath: VSIX_PATH, workspaceDir: workspace, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url, 'geminiImage.aspectRatio': '16:9' }, theme: 'dark' });
      await runCommand(session.page, 'Gemini Image: Generate Image');
      await enterPrompt(session.page, 'Isometric diagram of a tiny web service');
    await pickStyleStep(session.page);
      const frame = await panelWithLoadedImage(session.page);
      assert.match(await frame.locator('.card .meta').first().innerText(), /1344×768/);
      await waitForNoToasts(session.page);
      await screenshot(session.page, 'panel-dark');
      await expectNoErrorDialog(session.page);
    } finally {
      await session?.close();
      await gemini.close();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
