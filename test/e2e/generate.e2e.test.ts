// Generate Image in a real VS Code (code-server + Chromium) against the stand-in Gemini server:
// what a user sees (notifications, the panel's image, the markdown text) and what is on disk.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { itxt, withoutTextChunks } from '../support/pngChunks';
import { listFiles } from '../support/tempWorkspace';
import { contextMenuOnSelection, enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, saveEditor, selectLine, waitForNoToasts } from './actions';
import {
  ROOT,
  clearNotifications,
  expectNoErrorDialog,
  leftoverProcesses,
  openFile,
  runCommand,
  screenshot,
  startVSCode,
  waitForNotification,
  type E2ESession,
} from './harness';

const vsixPath = resolve(ROOT, process.env.E2E_VSIX ?? 'dist/gemini-image-studio.vsix');
const KEY = 'e2e-key-7f3a';

describe('Generate Image in a real VS Code', { timeout: 600_000 }, () => {
  let gemini: FakeGemini;
  let elsewhere: FakeGemini;
  let session: E2ESession | undefined;
  let workspace: string;
  let page: Page;

  before(async () => {
    gemini = await startFakeGemini({ apiKeys: [KEY] });
    elsewhere = await startFakeGemini({ apiKeys: [KEY] });
    workspace = mkdtempSync(join(tmpdir(), 'gis-e2e-ws-'));
    cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
    // A cloned repository trying to redirect the key: it must not work.
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'geminiImage.baseUrl': elsewhere.url, 'geminiImage.authStyle': 'query' }));
    session = await startVSCode({
      vsixPath,
      workspaceDir: workspace,
      env: { GEMINI_API_KEY: KEY },
      userSettings: { 'geminiImage.baseUrl': gemini.url, '[markdown]': { 'editor.wordWrap': 'off' }, 'editor.stickyScroll.enabled': false, 'editor.minimap.enabled': false },
      theme: 'light',
    });
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
      await elsewhere?.close();
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('palette -> Generate Image -> prompt: the PNG is in the workspace with the server\'s bytes, the panel shows it', async () => {
    await runCommand(page, 'Gemini Image: Generate Image');
    await enterPrompt(page, 'A lighthouse at dawn');
    await pickStyleStep(page);
    const file = join(workspace, 'images', 'a-lighthouse-at-dawn.png');
    await eventually(() => existsSync(file), file);
    assert.deepEqual(withoutTextChunks(readFileSync(file)), gemini.sentImages[0]);
    assert.equal(itxt(readFileSync(file)).Description, 'A lighthouse at dawn', 'the prompt is kept in the PNG');
    const frame = await panelWithLoadedImage(page);
    const prompt = await frame.locator('.card .prompt').first().textContent();
    assert.equal(prompt, 'A lighthouse at dawn');
    assert.match(await frame.locator('.card .meta').first().innerText(), /gemini-2\.5-flash-image[\s\S]*1024×1024/);
    assert.equal(gemini.requests[0].headers['x-goog-api-key'], KEY);
    await waitForNoToasts(page);
    await screenshot(page, 'panel-light');
    await expectNoErrorDialog(page);
  });

  test('Generate Image from Selection in the editor context menu inserts a relative link after the selection', async () => {
    await openFile(page, 'docs/guide.md');
    await selectLine(page, 9);
    await contextMenuOnSelection(page, 'Generate Image from Selection');
    // The prompt box is prefilled with the selection: accept it as is.
    const input = page.locator('.quick-input-widget input');
    await eventually(async () => /^A small white lighthouse on a rocky cliff/.test(await input.inputValue()) || undefined, 'the prefilled prompt');
    await enterPrompt(page, undefined);
    await pickStyleStep(page);

    const imageFile = await eventually(() => listFiles(join(workspace, 'docs')).find((f) => f.startsWith('images/') && f.endsWith('.png')), 'the image next to guide.md');
    await eventually(async () => {
      await saveEditor(page);
      return readFileSync(join(workspace, 'docs', 'guide.md'), 'utf8').includes(`](${imageFile})`) || undefined;
    }, 'the link in guide.md');
    const text = readFileSync(join(workspace, 'docs', 'guide.md'), 'utf8');
    const lines = text.split('\n');
    assert.match(lines[8], /^A small white lighthouse/, 'the selected paragraph is untouched');
    assert.match(lines[10], new RegExp(`^!\\[A small white lighthouse on a rocky cliff[^\\]]*\\]\\(${imageFile.replace(/[.]/g, '\\.')}\\)$`));
    assert.deepEqual(withoutTextChunks(readFileSync(join(workspace, 'docs', imageFile))), gemini.sentImages.at(-1));
    await expectNoErrorDialog(page);
  });

  test('the panel\'s Insert into Markdown inserts into the markdown editor', async () => {
    const before = readFileSync(join(workspace, 'docs', 'guide.md'), 'utf8');
    // The cursor on the last line (Go to Line also drops the selection of the test before).
    await runCommand(page, 'View: Focus First Editor Group');
    await runCommand(page, 'Go to Line/Column...');
    await page.locator('.quick-input-widget input').fill(`:${before.split('\n').length}`);
    await page.locator('.quick-input-widget input').press('Enter');
    const frame = await panelWithLoadedImage(page, 2);
    await frame.locator('.card', { hasText: 'A lighthouse at dawn' }).locator('button[data-action="insert"]').click();
    await eventually(async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await saveEditor(page);
      const now = readFileSync(join(workspace, 'docs', 'guide.md'), 'utf8');
      return now !== before ? now : undefined;
    }, 'guide.md to change');
    const after = readFileSync(join(workspace, 'docs', 'guide.md'), 'utf8');
    assert.ok(after.trimEnd().endsWith('![A lighthouse at dawn](../images/a-lighthouse-at-dawn.png)'), after.slice(-200));
  });

  test('a safety block shows a clear notification and writes no file', async () => {
    await clearNotifications(page);
    const filesBefore = listFiles(workspace);
    gemini.enqueue({ kind: 'promptBlocked', blockReason: 'SAFETY' });
    await runCommand(page, 'Gemini Image: Generate Image');
    await enterPrompt(page, 'something the filter blocks');
    await pickStyleStep(page);
    const message = await waitForNotification(page, 'blocked');
    assert.match(message, /No image: the request was blocked \(safety filter\)/);
    assert.deepEqual(listFiles(workspace).filter((f) => !f.startsWith('.vscode')), filesBefore.filter((f) => !f.startsWith('.vscode')));
    await expectNoErrorDialog(page, /blocked/);
    await clearNotifications(page);
  });

  test('Cancel during a slow request aborts it and writes no file', async () => {
    const filesBefore = listFiles(workspace);
    const requestsBefore = gemini.requests.length;
    gemini.enqueue({ kind: 'hang' });
    await runCommand(page, 'Gemini Image: Generate Image');
    await enterPrompt(page, 'a very slow painting');
    await pickStyleStep(page);
    await eventually(() => gemini.requests.length > requestsBefore || undefined, 'the request to reach the server');
    const cancel = page.locator('.notification-toast .monaco-button', { hasText: 'Cancel' }).first();
    await cancel.waitFor({ state: 'visible' });
    await cancel.click();
    await eventually(() => gemini.requests.at(-1)?.aborted || undefined, 'the server to see the request aborted', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(listFiles(workspace), filesBefore);
    await expectNoErrorDialog(page);
  });

  test('the panel comes back after a window reload, with its images', async () => {
    // A mark on the old document tells when the reload has really replaced it.
    await page.evaluate('window.__beforeReload = true');
    await runCommand(page, 'Developer: Reload Window');
    await eventually(async () => ((await page.evaluate('window.__beforeReload === undefined').catch(() => false)) ? true : undefined), 'the window to reload', 60_000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await panelWithLoadedImage(page, 2);
    const prompts = await frame.locator('.card .prompt').allTextContents();
    assert.ok(prompts.includes('A lighthouse at dawn'), JSON.stringify(prompts));
    assert.ok(prompts.some((p) => p.startsWith('A small white lighthouse')), JSON.stringify(prompts));
    await expectNoErrorDialog(page);
  });

  test('a workspace .vscode/settings.json cannot redirect requests (baseUrl and authStyle are machine settings)', () => {
    assert.equal(elsewhere.requests.length, 0, 'the workspace\'s server saw requests');
    assert.ok(gemini.requests.length >= 4);
    for (const r of gemini.requests) assert.equal(r.query.key, undefined, 'the key went into a URL');
  });
});

describe('the panel in the dark theme', { timeout: 300_000 }, () => {
  test('renders a generated image', async () => {
    const gemini = await startFakeGemini({ apiKeys: [KEY] });
    const workspace = mkdtempSync(join(tmpdir(), 'gis-e2e-dark-'));
    cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
    let session: E2ESession | undefined;
    try {
      session = await startVSCode({ vsixPath, workspaceDir: workspace, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': gemini.url, 'geminiImage.aspectRatio': '16:9' }, theme: 'dark' });
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
