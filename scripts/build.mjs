// One esbuild config for everything that ships or runs:
//   dist/extension.js  the eager extension bundle (small: activation cost is paid by every window)
//   dist/lazy.js       the commands, panel and providers, required on first use
//   dist/undici.js     the HTTP stack, required on first request only
//   dist/webview.js    the panel's front-end
//   dist/cli.js        the gemini-image command line (package.json "bin")
//   dist/mcp.js        its MCP server with the SDK, required by `gemini-image mcp` only
//   out/               src/ and test/ transpiled file-by-file for node --test (not shipped)
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plainLlhttp } from './undici-plugins.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const only = [...args].find((a) => a.startsWith('--only='))?.slice('--only='.length);
/** Bundles elsewhere than dist/ (the CLI package is staged without touching dist/). */
const outdir = [...args].find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);

/** Keeps `require('undici')` a run-time require of the sibling bundle instead of inlining it. */
const lazyUndici = {
  name: 'lazy-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/** The same for `require('./lazy')` from extension.ts: the commands' code is dist/lazy.js. */
const lazyCommands = {
  name: 'lazy-commands',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy$/ }, () => ({ path: './lazy.js', external: true }));
  },
};

/** And `require('./mcp/server')` from the CLI: the MCP server and its SDK are dist/mcp.js. */
const lazyMcp = {
  name: 'lazy-mcp',
  setup(build) {
    build.onResolve({ filter: /^\.\/mcp\/server$/ }, () => ({ path: './mcp.js', external: true }));
  },
};

/** The catalogue's sources are for people and the README; what ships carries only the facts. */
const catalogueFacts = {
  name: 'catalogue-facts',
  setup(build) {
    build.onLoad({ filter: /[\\/]catalogue\.json$/ }, async (args) => {
      const data = JSON.parse(await readFile(args.path, 'utf8'));
      const strip = (value) => (Array.isArray(value) ? value.map(strip) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'sources' && k !== 'note').map(([k, v]) => [k, strip(v)])) : value);
      return { contents: JSON.stringify(strip(data)), loader: 'json' };
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [catalogueFacts],
  legalComments: production ? 'none' : 'inline',
};

function listFiles(dir, fits) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, fits));
    else if (fits(name)) out.push(path);
  }
  return out;
}
const listTs = (dir) => listFiles(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));

// The bundles that run in Node (the extension host, the CLI): one place for what they share.
const nodeBundle = { ...common, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20' };

const targets = {
  extension: {
    ...nodeBundle,
    entryPoints: { extension: 'src/extension.ts' },
    external: ['vscode'],
    plugins: [catalogueFacts, lazyUndici, lazyCommands],
  },
  lazy: {
    ...nodeBundle,
    entryPoints: { lazy: 'src/lazy.ts' },
    external: ['vscode'],
    plugins: [catalogueFacts, lazyUndici],
  },
  undici: {
    ...nodeBundle,
    entryPoints: { undici: 'scripts/undici-slim.cjs' },
    sourcemap: false,
    plugins: [plainLlhttp],
  },
  cli: {
    ...nodeBundle,
    entryPoints: { cli: 'src/cli/main.ts' },
    external: ['vscode'],
    plugins: [catalogueFacts, lazyUndici, lazyMcp],
    banner: { js: '#!/usr/bin/env node' },
  },
  mcp: {
    ...nodeBundle,
    entryPoints: { mcp: 'src/cli/mcp/server.ts' },
    external: ['vscode'],
    plugins: [catalogueFacts, lazyUndici],
  },
  webview: {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  tests: {
    entryPoints: [...listTs('src'), ...listTs('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  },
};

const selected = only ? only.split(',') : production ? ['extension', 'lazy', 'undici', 'cli', 'mcp', 'webview'] : Object.keys(targets);
for (const name of selected) {
  const options = outdir && name !== 'tests' ? { ...targets[name], outdir } : targets[name];
  if (!targets[name]) throw new Error(`unknown build target ${name}`);
  // A test whose source was deleted or renamed would otherwise still run from its old output.
  if (name === 'tests' && !watch) for (const dir of ['out/src', 'out/test']) rmSync(dir, { recursive: true, force: true });
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
  // Files are transpiled one by one, so the data files they require (the model catalogue) go beside them.
  if (name === 'tests') for (const file of listFiles('src', (n) => n.endsWith('.json'))) cpSync(file, join('out', file), { force: true });
}
const cliJs = join(outdir ?? 'dist', 'cli.js');
if (selected.includes('cli') && existsSync(cliJs)) chmodSync(cliJs, 0o755);
if (watch) console.log('[build] watching', selected.join(', '));
