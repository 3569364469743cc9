// `npm start`: builds and packages the extension, then serves a real VS Code (code-server) with it
// installed on a copy of demo/, at a URL to open in a browser. Without GEMINI_API_KEY, images come
// from the stand-in Gemini server (test/support/fakeGemini); with it, from the real API.
//
//   npm start                      stand-in server, placeholder images
//   GEMINI_API_KEY=... npm start   the real Gemini API (the key stays in the environment)
//   PORT=9000 npm start            another port (default 8080; any free port when taken)
//   npm start -- --no-build        reuse the last build as it is
//   npm start -- --vsix=FILE       install another package (implies --no-build for the extension)
//   E2E_VSCODE=floor npm start     VS Code 1.100 (the oldest supported) instead of the newest
import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { BASE_USER_SETTINGS, THEMES, codeServerEnv, installExtension, spawnGroup, startCodeServer, stopGroup, writeUserSettings } from './e2e-env.mjs';
import { ROOT, VSCODE_TARGETS, ensureCodeServer, selectedTarget } from './setup-code-server.mjs';

const START_DIR = join(ROOT, '.vscode-test', 'start');
// One profile per VS Code version: an older VS Code cannot read the state a newer one left.
const VSCODE = selectedTarget();
const USER_DATA_DIR = join(START_DIR, VSCODE === 'newest' ? 'user-data' : `user-data-${VSCODE}`);
const EXTENSIONS_DIR = join(START_DIR, VSCODE === 'newest' ? 'extensions' : `extensions-${VSCODE}`);
const WORKSPACE_DIR = join(START_DIR, 'workspace');
const DEFAULT_VSIX = join(ROOT, 'dist', 'gemini-image-studio.vsix');
const FAKE_CLI = join(ROOT, 'out', 'test', 'support', 'fakeGemini', 'cli.js');
const FAKE_KEY = 'test-key';
const DEFAULT_PORT = 8080;
const HOST = '127.0.0.1';

const log = (...args) => console.log('[start]', ...args);
const args = new Set(process.argv.slice(2));
const vsixArg = [...args].find((arg) => arg.startsWith('--vsix='))?.slice('--vsix='.length);
const VSIX = vsixArg ? resolve(vsixArg) : DEFAULT_VSIX;

function step(command, commandArgs) {
  log(`$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`\`${command} ${commandArgs.join(' ')}\` failed (${result.signal ?? `exit ${result.status}`})`);
}

/** node_modules is missing, or older than package-lock.json (npm writes node_modules/.package-lock.json). */
function needsInstall() {
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(installed).mtimeMs < statSync(join(ROOT, 'package-lock.json')).mtimeMs;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

async function choosePort() {
  const wanted = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  if (wanted === 0 || (await portIsFree(wanted))) return wanted;
  log(`port ${wanted} is taken; using a free one`);
  return 0;
}

/** Starts the stand-in Gemini server; resolves with it and its URL once it listens. */
function startStandIn() {
  if (!existsSync(FAKE_CLI)) throw new Error(`the stand-in server is not built: ${FAKE_CLI} is missing`);
  const child = spawnGroup(process.execPath, [FAKE_CLI, '--port', '0', '--key', FAKE_KEY], { cwd: ROOT });
  return new Promise((resolve, reject) => {
    let url;
    const timer = setTimeout(() => reject(new Error('the stand-in server printed no FAKE_GEMINI_URL= line within 20 s')), 20_000);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        const match = /^FAKE_GEMINI_URL=(\S+)/.exec(line);
        if (match && !url) {
          url = match[1];
          clearTimeout(timer);
          resolve({ child, url });
        } else {
          console.log(`[stand-in] ${line}`);
        }
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!url) reject(new Error(`the stand-in server exited before listening (${signal ?? `exit ${code}`})`));
    });
  });
}

function banner(lines) {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '='.repeat(width + 4);
  console.log(`\n${rule}\n${lines.map((line) => `| ${line.padEnd(width)} |`).join('\n')}\n${rule}\n`);
}

async function main() {
  const realApi = Boolean(process.env.GEMINI_API_KEY);
  if (needsInstall()) step('npm', ['ci', '--no-audit', '--no-fund']);
  if (args.has('--no-build')) {
    log('--no-build: using the existing build');
  } else {
    if (!vsixArg) step('npm', ['run', 'package']);
    if (!realApi) step(process.execPath, ['scripts/build.mjs', '--only=tests']);
  }
  const bin = await ensureCodeServer(VSCODE);

  const children = [];
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.all(children.map((child) => stopGroup(child)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));

  try {
    let baseUrl;
    if (!realApi) {
      const standIn = await startStandIn();
      children.push(standIn.child);
      standIn.child.once('exit', (code, signal) => {
        if (!stopping) log(`the stand-in server stopped (${signal ?? `exit ${code}`}); generating will fail until you restart`);
      });
      baseUrl = standIn.url;
    }

    if (!existsSync(WORKSPACE_DIR)) {
      log(`copying demo/ to ${WORKSPACE_DIR}`);
      cpSync(join(ROOT, 'demo'), WORKSPACE_DIR, { recursive: true });
    }
    writeUserSettings(USER_DATA_DIR, {
      ...BASE_USER_SETTINGS,
      'workbench.colorTheme': THEMES.dark,
      // The demo's README says where to start.
      'workbench.startupEditor': 'readme',
      // With the real API, only a stand-in URL from an earlier run goes, never the user's own setting.
      'geminiImage.baseUrl': baseUrl ?? usersOwnBaseUrl(),
    });

    mkdirSync(START_DIR, { recursive: true });
    const env = codeServerEnv(realApi ? {} : { GEMINI_API_KEY: FAKE_KEY }, join(START_DIR, 'code-server.yaml'));
    log(`installing ${VSIX}`);
    installExtension(bin, { userDataDir: USER_DATA_DIR, extensionsDir: EXTENSIONS_DIR, vsixPath: VSIX, env });

    const logFile = join(START_DIR, 'code-server.log');
    const logStream = createWriteStream(logFile, { flags: 'a' });
    const port = await choosePort();
    const server = await startCodeServer({
      bin,
      userDataDir: USER_DATA_DIR,
      extensionsDir: EXTENSIONS_DIR,
      workspaceDir: WORKSPACE_DIR,
      bindAddr: `${HOST}:${port}`,
      env,
      onOutput: (text) => logStream.write(text),
    });
    children.push(server.child);
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`code-server stopped (${signal ?? `exit ${code}`}); see ${logFile}`);
      void stop(1);
    });

    const url = `${server.url}?folder=${encodeURIComponent(WORKSPACE_DIR)}`;
    const mode = realApi
      ? ['Using the REAL Gemini API with GEMINI_API_KEY from your environment (billed to that key).']
      : [
          'No GEMINI_API_KEY: images are PLACEHOLDERS from the local stand-in Gemini server',
          `(${baseUrl}). Set GEMINI_API_KEY to use the real API.`,
        ];
    banner([
      `Gemini Image Studio is running in VS Code ${VSCODE_TARGETS[VSCODE].vscode} (code-server). Open:`,
      '',
      `  ${url}`,
      '',
      ...mode,
      `Workspace: ${WORKSPACE_DIR} (kept between runs; delete it to start over)`,
      `Logs: ${logFile}`,
      'Press Ctrl+C to stop.',
    ]);
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : error}`);
    await stop(1);
  }
}

/** The baseUrl in the user settings, unless it is a stand-in URL that an earlier `npm start` wrote. */
function usersOwnBaseUrl() {
  try {
    const value = JSON.parse(readFileSync(join(USER_DATA_DIR, 'User', 'settings.json'), 'utf8'))['geminiImage.baseUrl'];
    return typeof value === 'string' && !/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
