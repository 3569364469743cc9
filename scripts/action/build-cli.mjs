// The GitHub Action's first step: bundle the gemini-image command line from the action's own
// checkout into $RUNNER_TEMP/gemini-image-action/bin. It installs only what the bundle is built
// from (esbuild, undici, the MCP SDK and what they need), at the versions package-lock.json pins,
// into a folder of its own: never the extension's dev dependencies. A checkout that already has
// node_modules (a developer's clone) uses them.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_FROM = ['esbuild', 'undici', '@modelcontextprotocol/sdk'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = join(process.env.RUNNER_TEMP || tmpdir(), 'gemini-image-action');

/** name@version for the packages and everything they need (not optional), as the lockfile has them. */
export function pinned(lock, names) {
  const seen = new Map();
  const queue = [...names];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    const entry = lock.packages[`node_modules/${name}`];
    if (!entry) throw new Error(`package-lock.json has no ${name}`);
    seen.set(name, entry.version);
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n))]) queue.push(dep);
  }
  return [...seen].map(([name, version]) => `${name}@${version}`);
}

if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const deps = join(work, 'deps');
  mkdirSync(deps, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--prefix', deps, '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', ...pinned(lock, BUILD_FROM)], { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  // A self-hosted runner keeps the action's checkout: last job's link into its cleaned temp dangles.
  const link = join(root, 'node_modules');
  if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(link);
  symlinkSync(join(deps, 'node_modules'), link, 'junction');
}
const bin = join(work, 'bin');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--only=cli,mcp,undici', `--outdir=${bin}`], { cwd: root, stdio: 'inherit' });
console.log(`gemini-image built at ${join(bin, 'cli.js')}`);
