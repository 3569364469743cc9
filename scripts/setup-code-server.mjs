// Installs code-server (a full VS Code served to a browser) into .vscode-test/code-server/, for the
// e2e tests and `npm start`. It is kept out of the project's package.json: it is 320 MB, pinned to
// the last release that runs on Node 20, and its install needs three fixes on these machines
// (see ../shared/e2e-recipe.md beside the repository). Idempotent: a marker file skips everything on the next run.
//
//   node scripts/setup-code-server.mjs        install if needed, print the bin path
//   import { ensureCodeServer } from './setup-code-server.mjs'
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const CODE_SERVER_VERSION = '4.100.3';
// The @vscode/ripgrep that this code-server's VS Code depends on, and the rg build it downloads.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BUILD = 'v13.0.0-10';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_DIR = join(ROOT, '.vscode-test', 'code-server');
export const CHROMIUM_PATH = '/usr/bin/chromium';
const MARKER = join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);
const LOCK_DIR = join(ROOT, '.vscode-test', 'code-server.lock');
const BIN = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');

const log = (...args) => console.log('[setup]', ...args);

/** Path of the code-server launcher, or undefined when it is not installed at the pinned version. */
export function installedCodeServer() {
  return existsSync(MARKER) && existsSync(BIN) ? BIN : undefined;
}

let pending;

/** Installs the system packages and code-server when needed; resolves to the code-server bin path. */
export function ensureCodeServer() {
  pending ??= install().catch((error) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function install() {
  ensureSystemPackages();
  const ready = installedCodeServer();
  if (ready) return ready;

  const release = await acquireLock();
  try {
    // Another process may have finished the install while we waited for the lock.
    const done = installedCodeServer();
    if (done) return done;
    const started = Date.now();
    log(`installing code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (a few minutes when cold)`);
    prepareRipgrepCache();
    rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
    mkdirSync(CODE_SERVER_DIR, { recursive: true });
    writeFileSync(
      join(CODE_SERVER_DIR, 'package.json'),
      JSON.stringify({ name: 'vscode-test-code-server', private: true, description: 'Installed by scripts/setup-code-server.mjs' }, null, 2) + '\n',
    );
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: CODE_SERVER_DIR,
      env: {
        ...process.env,
        // code-server's postinstall refuses to run as root without it.
        npm_config_unsafe_perm: 'true',
        // node-pty's postinstall runs `npx node-gyp`, which waits for a "yes" that never comes.
        npm_config_yes: 'true',
      },
    });
    if (!existsSync(BIN)) throw new Error(`npm install finished but ${BIN} is missing`);
    const version = codeServerVersion(BIN);
    if (!version?.startsWith(`${CODE_SERVER_VERSION} `)) throw new Error(`code-server --version printed ${version ?? 'nothing'}`);
    writeFileSync(MARKER, `${version}\n`);
    log(`code-server ready in ${Math.round((Date.now() - started) / 1000)} s: ${version}`);
    return BIN;
  } finally {
    release();
  }
}

/** The `4.100.3 <commit> with Code 1.100.3` line; code-server may log other lines before it. */
function codeServerVersion(bin) {
  // Its own config file goes into our folder, not into ~/.config/code-server.
  const env = { ...process.env, CODE_SERVER_CONFIG: join(CODE_SERVER_DIR, 'config.yaml') };
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line));
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function debPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function missingSystemPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!commandExists('rg')) missing.push('ripgrep');
  // Only the install builds a native module against its headers; a finished install no longer needs it.
  if (!installedCodeServer() && commandExists('dpkg-query') && !debPackageInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
  return missing;
}

function ensureSystemPackages() {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new Error(
      `[setup] missing system packages: ${missing.join(', ')}. Install them first:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${APT_PACKAGES.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${APT_PACKAGES.join(' ')} (missing: ${missing.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...APT_PACKAGES]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
  const still = missingSystemPackages();
  if (still.length > 0) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}

/**
 * @vscode/ripgrep's postinstall downloads rg from the internet unless its download cache already
 * holds the archive: we put Debian's rg there, as `rg` at the archive's root.
 */
function prepareRipgrepCache() {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!target) throw new Error(`no ripgrep cache recipe for ${process.arch}`);
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_BUILD}-${target}.tar.gz`);
  if (existsSync(archive)) return;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('rg (Debian package ripgrep) is needed to install code-server');
  log(`placing ${rg} into the ripgrep download cache ${archive}`);
  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `staging-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    copyFileSync(rg, join(staging, 'rg'));
    const partial = `${archive}.${process.pid}.partial`;
    const tar = spawnSync('tar', ['-czf', partial, '-C', staging, 'rg'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error('tar failed while preparing the ripgrep cache');
    // A rename is atomic: a parallel install never sees half an archive.
    spawnSync('mv', ['-f', partial, archive]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    log(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A lock directory, so two test runs never install into the same folder at once. */
async function acquireLock() {
  mkdirSync(dirname(LOCK_DIR), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      return () => rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // The owner may not have written its pid yet.
      }
      const ownerless = !(Number.isInteger(owner) && owner > 0) && waited > 30;
      if (ownerless || (Number.isInteger(owner) && owner > 0 && !pidAlive(owner))) {
        log(`removing a stale install lock (process ${owner})`);
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log('another process is installing code-server; waiting');
      await delay(1000);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const bin = await ensureCodeServer();
    log(`code-server: ${bin}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
