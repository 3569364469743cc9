// A real VS Code for the e2e tests: code-server (VS Code's server, extension host included) with the
// packaged extension installed, driven through Debian's Chromium by playwright-core. The helpers act
// like a user: the palette, quick inputs, notifications, quick open. See ../shared/e2e-recipe.md beside the repository.
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { answerTrustPrompt, keyTraces, UNTRUSTED_SETTINGS } from './trust';

export interface E2EOptions {
  vsixPath: string;
  workspaceDir: string;
  /** Reaches the extension host's process.env (GEMINI_API_KEY, for instance). */
  env?: Record<string, string>;
  /** Merged over the quiet defaults of scripts/e2e-env.mjs. */
  userSettings?: Record<string, unknown>;
  theme?: 'light' | 'dark' | 'hc';
  /** Open an empty window (no folder) instead of the workspace. */
  noFolder?: boolean;
  /** Test-only extensions installed beside ours (see testExtensions.ts). */
  extraVsixPaths?: string[];
  /** Workspace trust on, the startup prompt answered "No": the folder opens in Restricted Mode. */
  untrusted?: boolean;
}

export interface E2ESession {
  page: Page;
  url: string;
  userDataDir: string;
  workspaceDir: string;
  /** The temp folder holding this session's user data, extensions and browser profile. */
  tempDir: string;
  serverPid: number;
  /** code-server's output, extension install included. */
  logs(): string;
  /** Errors the workbench page logged to the browser console. */
  browserErrors(): string[];
  close(): Promise<void>;
}

/** What test/e2e uses of scripts/e2e-env.mjs (plain JS, shared with `npm start`). */
interface E2EEnvModule {
  THEMES: Record<'light' | 'dark' | 'hc', string>;
  BASE_USER_SETTINGS: Record<string, unknown>;
  writeUserSettings(userDataDir: string, settings: Record<string, unknown>): string;
  codeServerEnv(extra: Record<string, string> | undefined, configFile: string): NodeJS.ProcessEnv;
  installExtension(bin: string, o: { userDataDir: string; extensionsDir: string; vsixPath: string; env: NodeJS.ProcessEnv }): string;
  startCodeServer(o: {
    bin: string;
    userDataDir: string;
    extensionsDir: string;
    workspaceDir: string;
    env: NodeJS.ProcessEnv;
    workspaceTrust?: boolean;
  }): Promise<{ child: ChildProcess; url: string; output(): string }>;
  stopGroup(child: ChildProcess, graceMs?: number): Promise<void>;
  leftoverProcesses(o: { pid?: number; marker?: string }): string[];
}

export const ROOT = findRoot(__dirname);
export const SCREENSHOT_DIR = join(ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const DEFAULT_TIMEOUT = 30_000;
const QUICK_INPUT = '.quick-input-widget input';
const LIST_ROW = '.quick-input-list .monaco-list-row';

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'gemini-image-studio') return dir;
  }
  throw new Error(`no gemini-image-studio package.json above ${from}`);
}

async function loadScript<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'scripts', name)).href)) as T;
}

export function e2eEnv(): Promise<E2EEnvModule> {
  return loadScript<E2EEnvModule>('e2e-env.mjs');
}

const liveTempDirs = new Set<string>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // process.exit runs the 'exit' hooks that kill code-server (e2e-env.mjs) and Chromium (playwright).
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  process.on('exit', () => {
    if (process.env.E2E_KEEP_TMP) return;
    for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  });
}

export async function startVSCode(opts: E2EOptions): Promise<E2ESession> {
  hookExit();
  const env = await e2eEnv();
  const { ensureCodeServer } = await loadScript<{ ensureCodeServer(): Promise<string> }>('setup-code-server.mjs');
  const bin = await ensureCodeServer();

  const tempDir = mkdtempSync(join(tmpdir(), 'gis-e2e-'));
  liveTempDirs.add(tempDir);
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  const workspaceDir = resolve(opts.workspaceDir);
  env.writeUserSettings(userDataDir, {
    ...env.BASE_USER_SETTINGS,
    'workbench.colorTheme': env.THEMES[opts.theme ?? 'dark'],
    ...(opts.untrusted ? UNTRUSTED_SETTINGS : {}),
    ...opts.userSettings,
  });
  const processEnv = env.codeServerEnv(opts.env, join(tempDir, 'code-server.yaml'));

  let server: { child: ChildProcess; url: string; output(): string } | undefined;
  let context: BrowserContext | undefined;
  let installLog = '';
  const browserErrors: string[] = [];
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context?.close().catch(() => undefined);
    if (server) await env.stopGroup(server.child);
    // Every session given a key ends with a search for it, in any encoding, in all it wrote.
    const key = opts.env?.GEMINI_API_KEY;
    const traces = key ? keyTraces([tempDir, workspaceDir], key) : [];
    if (!process.env.E2E_KEEP_TMP) rmSync(tempDir, { recursive: true, force: true, maxRetries: 2 });
    liveTempDirs.delete(tempDir);
    if (traces.length) throw new Error(`the API key was found in: ${traces.join(', ')}`);
  };

  try {
    for (const vsixPath of [opts.vsixPath, ...(opts.extraVsixPaths ?? [])]) installLog += env.installExtension(bin, { userDataDir, extensionsDir, vsixPath: resolve(vsixPath), env: processEnv });
    server = await env.startCodeServer({ bin, userDataDir, extensionsDir, workspaceDir, env: processEnv, workspaceTrust: !!opts.untrusted });
    context = await chromium.launchPersistentContext(join(tempDir, 'browser'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });
    page.on('pageerror', (error) => browserErrors.push(String(error)));
    const url = opts.noFolder ? `${server.url}?ew=true` : `${server.url}?folder=${encodeURIComponent(workspaceDir)}`;
    await page.goto(url);
    await guard(page, 'workbench', async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });
      if (opts.untrusted) await answerTrustPrompt(page, 'No');
      // The workbench keeps restoring views and starting the extension host for a moment; a palette
      // opened before our contributions are registered never lists them, so wait for them here.
      await delay(3_000);
      await until(async () => {
        await openPalette(page);
        await page.locator(QUICK_INPUT).fill('>Gemini Image: Show Log');
        await delay(500);
        const found = (await listRows(page)).some((row) => row.label === 'Gemini Image: Show Log');
        await page.keyboard.press('Escape');
        return found || undefined;
      }, 90_000, 'the extension\'s commands in the palette');
    });
    const output = server.output;
    return {
      page,
      url,
      userDataDir,
      workspaceDir,
      tempDir,
      serverPid: server.child.pid ?? -1,
      logs: () => `${installLog}\n${output()}`,
      browserErrors: () => [...browserErrors],
      close,
    };
  } catch (error) {
    const output = server?.output();
    await close();
    if (error instanceof Error && output) error.message += `\n--- code-server output (last 3000 characters) ---\n${output.slice(-3000)}`;
    throw error;
  }
}

/** Processes of a closed session that are still running (should be none). */
export async function leftoverProcesses(session: E2ESession): Promise<string[]> {
  return (await e2eEnv()).leftoverProcesses({ pid: session.serverPid, marker: session.tempDir });
}

/** Runs `action`; on failure saves test/e2e/screenshots/failure-NAME-TIME.png and names it in the error. */
async function guard<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const file = await screenshot(page, `failure-${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}-${Date.now()}`).catch(() => undefined);
    if (error instanceof Error && file) error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
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

function listRows(page: Page): Promise<Row[]> {
  return page.$$eval(LIST_ROW, (rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      focused: row.classList.contains('focused'),
    })),
  );
}

/** F1: the command palette, replacing any quick input that is open. */
async function openPalette(page: Page): Promise<void> {
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
