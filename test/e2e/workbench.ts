// Acting on the workbench like a user: the command palette, quick inputs and quick picks,
// notifications, quick open, webview frames, screenshots and error dialogs.
import type { Frame, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ROOT } from './e2eEnv';

/** The newest VS Code's screenshots; the floor's go into floor/ beside them, so neither run overwrites the other's. */
export const SCREENSHOT_DIR = join(ROOT, 'test', 'e2e', 'screenshots', ...(process.env.E2E_VSCODE === 'floor' ? ['floor'] : []));
const DEFAULT_TIMEOUT = 30_000;
export const QUICK_INPUT = '.quick-input-widget input';
const LIST_ROW = '.quick-input-list .monaco-list-row';

/** Runs `action`; on failure saves test/e2e/screenshots/failure-NAME-TIME.png and names it in the error. */
export async function guard<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const file = await screenshot(page, `failure-${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}-${Date.now()}`).catch(() => undefined);
    if (error instanceof Error && file) error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await delay(150);
  }
}

interface Row {
  label: string;
  description: string;
  focused: boolean;
}

export function listRows(page: Page): Promise<Row[]> {
  return page.$$eval(LIST_ROW, (rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      focused: row.classList.contains('focused'),
    })),
  );
}

/** F1: the command palette, replacing any quick input that is open. */
export async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  const shown = await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false);
  if (shown) return;
  // A webview restored by a reload can hold the keyboard focus and keep F1 from the workbench:
  // give the focus back (the side bar's title is harmless to click) and ask again.
  await page.locator('.part.sidebar .title-label').first().click({ timeout: 5_000 }).catch(() => undefined);
  await page.keyboard.press('F1');
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 10_000 });
}

/** Moves the list focus to the first row accepted by `accept` and presses Enter. */
async function pickRow(page: Page, accept: (row: Row) => boolean, what: string, timeoutMs: number): Promise<void> {
  await until(async () => ((await listRows(page)).some(accept) ? true : undefined), timeoutMs, what);
  for (let moves = 0; moves < 100; moves++) {
    const focused = (await listRows(page)).find((row) => row.focused);
    if (focused && accept(focused)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus ${what}`);
}

/** F1, types the title, picks the row whose label is exactly `title`, Enter. */
export async function runCommand(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  await guard(page, `runCommand-${title}`, async () => {
    // An open palette does not learn of commands registered after it opened (a slow extension
    // host start on a loaded machine): reopen it until the row shows.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await openPalette(page);
      await page.locator(QUICK_INPUT).fill(`>${title}`);
      const wait = Math.min(5_000, Math.max(0, deadline - Date.now()));
      const shown = await until(async () => ((await listRows(page)).some((row) => row.label === title) ? true : undefined), wait, title).catch(() => false);
      if (shown || Date.now() >= deadline) break;
      await page.keyboard.press('Escape');
    }
    await pickRow(page, (row) => row.label === title, `a palette row labelled "${title}"`, 1_000);
  });
}

/** Types into the open quick input (an input box or a quick pick's filter), then Enter. */
export async function typeInQuickInput(page: Page, text: string, submit = true, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  await guard(page, 'typeInQuickInput', async () => {
    const input = page.locator(QUICK_INPUT);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    if (submit) await input.press('Enter');
  });
}

function notificationTexts(page: Page): Promise<string[]> {
  return page.$$eval('.notification-list-item-message', (items) => items.map((item) => item.textContent?.trim() ?? ''));
}

/** Waits for a notification (toast or in the center) containing `textPart`; returns its whole text. */
export async function waitForNotification(page: Page, textPart: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
  const matches = (text: string) => (typeof textPart === 'string' ? text.includes(textPart) : textPart.test(text));
  let shown: string[] = [];
  return guard(page, 'waitForNotification', async () => {
    try {
      return await until(
        async () => {
          shown = await notificationTexts(page);
          return shown.find(matches);
        },
        timeoutMs,
        `a notification matching ${String(textPart)}`,
      );
    } catch (error) {
      if (error instanceof Error) error.message += `; notifications shown: ${JSON.stringify(shown)}`;
      throw error;
    }
  });
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await guard(page, 'clearNotifications', () =>
    until(async () => ((await page.locator('.notification-toast').count()) === 0 ? true : undefined), 10_000, 'the toasts to go'),
  );
}

/** Quick open: F1, Backspace (drops the `>`), the path, Enter on the matching file; waits for its tab. */
export async function openFile(page: Page, relativePath: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  const name = basename(relativePath);
  const folder = dirname(relativePath).replace(/\\/g, '/');
  await guard(page, `openFile-${relativePath}`, async () => {
    await openPalette(page);
    await page.locator(QUICK_INPUT).fill(relativePath);
    await pickRow(
      page,
      (row) => row.label === name && (folder === '.' || row.description.replace(/\\/g, '/').endsWith(folder)),
      `a quick open row for ${relativePath}`,
      timeoutMs,
    );
    await until(
      async () => ((await page.locator('.tabs-container .tab.active').getAttribute('aria-label'))?.startsWith(name) ? true : undefined),
      timeoutMs,
      `the active tab to be ${name}`,
    );
  });
}

/** Polls every frame (webviews are iframes within iframes) until `predicate` holds for one. */
export async function findWebviewFrame(page: Page, predicate: (frame: Frame) => Promise<boolean>, timeoutMs = DEFAULT_TIMEOUT): Promise<Frame> {
  return guard(page, 'findWebviewFrame', () =>
    until(
      async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          if (await predicate(frame).catch(() => false)) return frame;
        }
        return undefined;
      },
      timeoutMs,
      'a frame matching the predicate',
    ),
  );
}

/** Saves test/e2e/screenshots/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Fails when VS Code shows its "Command '...' resulted in an error" dialog (or any dialog) or an
 * error notification; `ignore` lets a test accept an error it caused on purpose.
 */
export async function expectNoErrorDialog(page: Page, ignore?: RegExp): Promise<void> {
  await guard(page, 'expectNoErrorDialog', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    if (await dialog.isVisible()) {
      const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
      if (!ignore?.test(text)) throw new Error(`VS Code shows a dialog: ${text}`);
    }
    const errors = await page.$$eval('.notification-list-item', (items) =>
      items
        .filter((item) => item.querySelector('.codicon-error'))
        .map((item) => item.querySelector('.notification-list-item-message')?.textContent?.trim() ?? ''),
    );
    const unexpected = errors.filter((text) => !ignore?.test(text));
    if (unexpected.length > 0) throw new Error(`VS Code shows error notifications: ${JSON.stringify(unexpected)}`);
  });
}
