// What a user does in the workbench, on top of the harness: the prompt box, the context menu,
// the panel's images, saving.
import type { Frame, Page } from 'playwright-core';
import { findWebviewFrame, screenshot } from './harness';

/** Polls until `check` returns a value (or throws the last failure). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The panel's frame once its newest image has loaded. */
export async function panelWithLoadedImage(page: Page, minImages = 1): Promise<Frame> {
  return findWebviewFrame(
    page,
    async (frame) =>
      // Runs in the webview (a string: this file is compiled without the DOM library).
      frame.evaluate<boolean>(`(() => {
        const imgs = [...document.querySelectorAll('.gallery img')];
        // The cards' images load lazily: one below the fold of a narrow panel (beside an editor) loads once shown.
        imgs.find((img) => !img.complete)?.scrollIntoView({ block: 'nearest' });
        return imgs.length >= ${minImages} && imgs.every((img) => img.complete && img.naturalWidth > 0);
      })()`),
    30_000,
  );
}

export async function selectLine(page: Page, lineNumber: number): Promise<void> {
  // In the editor area: chat's input in the side bar is a .monaco-editor too.
  await page.locator('.part.editor .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < lineNumber; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
}

/** Waits for the extension's prompt box (not the palette that opened it), then types and submits. */
export async function enterPrompt(page: Page, prompt: string | undefined): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await eventually(async () => /Describe the image/.test((await input.getAttribute('placeholder').catch(() => '')) ?? '') || undefined, 'the prompt box');
  if (prompt !== undefined) await input.fill(prompt);
  await input.press('Enter');
}

/** Opens the editor's context menu on the selection (Shift+F10, as a keyboard user does) and picks `item`. */
export async function contextMenuOnSelection(page: Page, item: string): Promise<void> {
  await page.locator('.monaco-editor .selected-text').first().waitFor({ state: 'attached' });
  await page.keyboard.press('Shift+F10');
  try {
    await chooseMenuItem(page, item);
  } catch (e) {
    await screenshot(page, 'failure-context-menu');
    throw e;
  }
}

export async function saveEditor(page: Page): Promise<void> {
  await page.keyboard.press('Control+S');
  await new Promise((r) => setTimeout(r, 500));
}


/** Accepts the style step that follows the prompt (None, or the style named). */
export async function pickStyleStep(page: Page, name?: string): Promise<void> {
  const title = page.locator('.quick-input-widget .quick-input-title');
  await eventually(async () => ((await title.innerText().catch(() => '')) === 'Style' ? true : undefined), 'the style picker');
  const input = page.locator('.quick-input-widget input');
  if (name) {
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  }
  await input.press('Enter');
}

/**
 * Picks an item of an open context menu. The menu lives in a shadow root and animates in: hover
 * focuses the item, then Enter runs it (a click during the animation is sometimes lost).
 */
export async function chooseMenuItem(page: Page, item: string): Promise<void> {
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  await new Promise((r) => setTimeout(r, 300));
  await entry.hover({ timeout: 10_000 });
  await eventually(async () => ((await entry.locator('.action-menu-item.focused, .action-label.focused').count()) > 0 || (await entry.getAttribute('class'))?.includes('focused') ? true : undefined), `the menu item "${item}" to be focused`, 5_000).catch(() => undefined);
  await page.keyboard.press('Enter');
  await eventually(async () => ((await page.locator('.monaco-menu').count()) === 0 || !(await page.locator('.monaco-menu').first().isVisible()) ? true : undefined), 'the menu to close', 5_000);
}

/** Waits for the toasts (a finished progress notification lingers a moment) to go, for a clean screenshot. */
export async function waitForNoToasts(page: Page, timeoutMs = 8_000): Promise<void> {
  await eventually(async () => ((await page.locator('.notification-toast').count()) === 0 ? true : undefined), 'the toasts to go', timeoutMs).catch(() => undefined);
}

/**
 * Answers the question asked before the key leaves when a relay setting is set where VS Code does not
 * apply it (the workspace's or the Remote settings): `send` sends to the server in effect, `cancel`
 * sends nothing. Returns the dialog's text.
 */
export async function answerRelayQuestion(page: Page, answer: 'send' | 'cancel', screenshotName?: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'are not applied' });
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  if (screenshotName) await screenshot(page, screenshotName);
  const text = (await dialog.innerText()).replace(/\s+/g, ' ');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: answer === 'send' ? /^Send to / : /^Cancel$/ }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return text;
}
