// A real VS Code for the e2e tests: code-server (VS Code's server, extension host included) with the
// packaged extension installed, driven through Debian's Chromium by playwright-core; the tests import
// everything from here. See ../shared/e2e-recipe.md beside the repository.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ROOT, e2eEnv, loadScript } from './e2eEnv';
import { answerTrustPrompt, keyTraces, UNTRUSTED_SETTINGS } from './trust';
import { QUICK_INPUT, guard, listRows, openPalette, until } from './workbench';

export { ROOT, e2eEnv } from './e2eEnv';
export {
  SCREENSHOT_DIR,
  clearNotifications,
  expectNoErrorDialog,
  findWebviewFrame,
  openFile,
  runCommand,
  screenshot,
  typeInQuickInput,
  waitForNotification,
} from './workbench';

/** The packaged extension the sessions install (`npm run package`), or E2E_VSIX. */
export const VSIX_PATH = resolve(ROOT, process.env.E2E_VSIX ?? 'dist/gemini-image-studio.vsix');

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

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

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

let announced = false;
function announceVersion(version: string): void {
  if (announced) return;
  announced = true;
  console.log(`[e2e] VS Code ${version} (E2E_VSCODE=${process.env.E2E_VSCODE || 'newest'})`);
}

export async function startVSCode(opts: E2EOptions): Promise<E2ESession> {
  hookExit();
  const env = await e2eEnv();
  // E2E_VSCODE=newest (the default) or floor: see scripts/setup-code-server.mjs.
  const setup = await loadScript<{ ensureCodeServer(): Promise<string>; selectedTarget(): string; VSCODE_TARGETS: Record<string, { vscode: string }> }>('setup-code-server.mjs');
  const bin = await setup.ensureCodeServer();
  announceVersion(setup.VSCODE_TARGETS[setup.selectedTarget()].vscode);

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
  // Machine-scoped settings (the base URL, the auth style) also as the server's machine settings: a
  // remote window drops them from the user settings as soon as those change (a theme switch, Select Model).
  const machine = Object.fromEntries(Object.entries(opts.userSettings ?? {}).filter(([key]) => key === 'geminiImage.baseUrl' || key === 'geminiImage.authStyle'));
  if (Object.keys(machine).length) {
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
  }
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
