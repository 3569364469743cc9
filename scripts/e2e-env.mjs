// Running code-server for the e2e tests (test/e2e/harness.ts) and `npm start` (scripts/start.mjs):
// the user settings, the environment, the extension install, and stopping the whole process tree.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', hc: 'Default High Contrast' };

/** User settings that keep a fresh VS Code quiet: no welcome page, trust prompt, tips or update checks. */
export const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  // VS Code 1.10x+ opens the chat view in the secondary side bar at startup, and it takes the
  // keyboard focus while it gets ready: text meant for the palette would land in chat.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

/**
 * Merges `settings` into DIR/User/settings.json; a key whose value is `undefined` is removed.
 * Settings the user changed by hand in an earlier session are kept.
 */
export function writeUserSettings(userDataDir, settings) {
  const dir = join(userDataDir, 'User');
  const file = join(dir, 'settings.json');
  mkdirSync(dir, { recursive: true });
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // Comments or a syntax error: keep the user's file aside rather than lose it.
      renameSync(file, `${file}.bak`);
    }
  }
  const merged = { ...current, ...settings };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  return file;
}

/**
 * The environment for code-server: ours plus `extra`, less what would change its behaviour. It
 * reaches the extension host's process.env.
 */
export function codeServerEnv(extra = {}, configFile) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_* (e.g. VSCODE_IPC_HOOK_CLI inside a VS Code terminal) turns code-server into a client
    // of that VS Code; PORT overrides --bind-addr; NODE_TEST_CONTEXT belongs to our test runner.
    if (value === undefined || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    if (key === 'PORT' || key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  // code-server writes a default config file with a password; keep it out of ~/.config.
  if (configFile) env.CODE_SERVER_CONFIG = configFile;
  return { ...env, ...extra };
}

/** `code-server --install-extension`; throws with code-server's output when it did not install. */
export function installExtension(bin, { userDataDir, extensionsDir, vsixPath, env }) {
  if (!existsSync(vsixPath)) throw new Error(`no extension package at ${vsixPath} (run \`npm run package\`)`);
  const result = spawnSync(
    bin,
    ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--force', '--install-extension', vsixPath],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsixPath} failed (exit ${result.status}):\n${output}`);
  }
  return output;
}

const liveGroups = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the caller never got to stop it (a crash, process.exit in a test runner).
  process.on('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  });
}

/** Sends `signal` to every process of the group led by `pid`; false when none is left. */
export function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns a process as the leader of a new process group (so stopGroup also stops all it started),
 * killed when this process exits.
 */
export function spawnGroup(command, args, options = {}) {
  installExitHook();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

/**
 * Starts code-server in its own process group (so stopping it also stops its extension host and
 * every other child) and resolves once it listens. Workspace trust is off unless `workspaceTrust`.
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, url: string, output: () => string }>}
 */
export function startCodeServer({ bin, userDataDir, extensionsDir, workspaceDir, bindAddr = '127.0.0.1:0', env, onOutput, timeoutMs = 60_000, workspaceTrust = false }) {
  const args = [
    '--auth', 'none',
    '--bind-addr', bindAddr,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    workspaceDir,
  ];
  const child = spawnGroup(bin, args, { env });
  let output = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopGroup(child).finally(() => reject(new Error(`${message}\n--- code-server output ---\n${output}`)));
    };
    const timer = setTimeout(() => fail(`code-server did not listen within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      onOutput?.(text);
      const match = /HTTP server listening on (https?:\/\/\S+)/.exec(output);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, url: match[1].replace(/\/?$/, '/'), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => fail(`code-server could not start: ${error.message}`));
    child.on('exit', (code, signal) => fail(`code-server exited early (${signal ?? `exit ${code}`})`));
  });
}

/** SIGTERM to the group, SIGKILL to whatever is left after `graceMs`. */
export async function stopGroup(child, graceMs = 5_000) {
  const pid = child.pid;
  if (pid === undefined || !liveGroups.has(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && signalGroup(pid, 0)) await delay(100);
  signalGroup(pid, 'SIGKILL');
  while (signalGroup(pid, 0) && Date.now() < deadline + 5_000) await delay(50);
  liveGroups.delete(pid);
}

/** `ps` lines of processes in the group led by `pid` or whose command line contains `marker`. */
export function leftoverProcesses({ pid, marker }) {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => {
      const [ownPid, pgid, stat] = line.trim().split(/\s+/);
      if (!ownPid || Number(ownPid) === process.pid || stat?.startsWith('Z')) return false;
      return (pid !== undefined && Number(pgid) === pid) || (marker !== undefined && line.includes(marker) && !line.includes(' ps -eo '));
    })
    .map((line) => line.trim());
}
