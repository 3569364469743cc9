// VS Code opens its chat view in the secondary side bar at startup, and chat may hold the keyboard
// focus. Here it is left open (the other tests close it) and focused before each command: what the
// user types still reaches the extension's prompt box, and a selection in the editor is still the
// one the command reads and links after.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, saveEditor, selectLine } from './actions';
import { expectNoErrorDialog, openFile, runCommand, screenshot } from './harness';
import { PLAIN_EDITOR, useE2ESession } from './session';

const KEY = 'e2e-chat-key-3e7a';
const CHAT_INPUT = '.part.auxiliarybar .interactive-input-part .monaco-editor';

/** Puts the keyboard focus into chat's input, opening the chat view when it is not shown. */
async function focusChat(page: Page): Promise<void> {
  const input = page.locator(CHAT_INPUT).first();
  if (!(await input.isVisible().catch(() => false))) await page.keyboard.press('Control+Alt+KeyI');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.click();
  await eventually(async () => ((await page.evaluate(`!!document.activeElement?.closest('.part.auxiliarybar')`)) ? true : undefined), 'the focus in chat', 10_000);
}

async function chatText(page: Page): Promise<string> {
  return (await page.locator(`${CHAT_INPUT} .view-lines`).first().innerText().catch(() => '')).trim();
}

describe('with VS Code\'s chat view open and focused', { timeout: 600_000 }, () => {
  const e2e = useE2ESession({ key: KEY, name: 'chat', settings: { ...PLAIN_EDITOR, 'workbench.secondarySideBar.defaultVisibility': 'visible' } });

  test('Ctrl+K Ctrl+G from chat: the typed prompt goes into the prompt box, not into chat', async (t) => {
    await screenshot(e2e.page, 'chat-at-startup');
    if (!(await e2e.page.locator(CHAT_INPUT).first().isVisible().catch(() => false))) {
      // VS Code 1.100 opens no chat view without a chat extension.
      await e2e.page.keyboard.press('Control+Alt+KeyI');
      if (!(await e2e.page.locator(CHAT_INPUT).first().waitFor({ timeout: 10_000 }).then(() => true, () => false))) return t.skip('this VS Code has no chat view to focus');
    }
    await focusChat(e2e.page);
    await e2e.page.keyboard.press('Control+K');
    await e2e.page.keyboard.press('Control+G');
    const input = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => /Describe the image/.test((await input.getAttribute('placeholder').catch(() => '')) ?? '') || undefined, 'the prompt box');
    await e2e.page.keyboard.type('A lantern typed from chat', { delay: 20 });
    await e2e.page.keyboard.press('Enter');
    await pickStyleStep(e2e.page);
    await eventually(() => existsSync(join(e2e.workspace, 'images', 'a-lantern-typed-from-chat.png')) || undefined, 'the image');
    await panelWithLoadedImage(e2e.page);
    assert.equal(await chatText(e2e.page), '', 'nothing was typed into chat');
    await screenshot(e2e.page, 'chat-focus-generate');
    await expectNoErrorDialog(e2e.page);
  });

  test('Generate Image from Selection run while chat has the focus: the editor\'s selection is the prompt and gets the link', async (t) => {
    if (!(await e2e.page.locator(CHAT_INPUT).first().isVisible().catch(() => false))) return t.skip('this VS Code has no chat view to focus');
    await openFile(e2e.page, 'docs/guide.md');
    await selectLine(e2e.page, 9);
    const line = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8').split('\n')[8];
    await focusChat(e2e.page);
    await runCommand(e2e.page, 'Gemini Image: Generate Image from Selection');
    // The prompt box holds the selection: accepted as it is.
    await enterPrompt(e2e.page, undefined);
    await pickStyleStep(e2e.page);
    await panelWithLoadedImage(e2e.page, 2);
    await saveEditor(e2e.page);
    const text = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
    assert.match(text, /!\[[^\]]*\]\(images\/[^)]+\.png\)/, 'a link was inserted into the markdown file');
    assert.ok(e2e.gemini.requests.some((r) => JSON.stringify(r.body ?? null).includes(line.trim().slice(0, 30))), 'the selection was the prompt');
    assert.equal(await chatText(e2e.page), '');
    await expectNoErrorDialog(e2e.page);
  });
});
