// Lists every string passed to vscode.l10n.t / l10n.t in src/ (the keys of l10n bundles), plus the
// names and descriptions of the built-in styles, which reach l10n.t through a variable
// (`vscode.l10n.t(style.nameKey)`) and so cannot be found by reading the calls.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The extension's src/, wherever the script is run from. */
const SRC = fileURLToPath(new URL('../src', import.meta.url));

export function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Keys of `l10n.t('...')` calls: single- or double-quoted literals, escapes resolved. */
export function callKeys(root = SRC) {
  const keys = new Set();
  const call = /l10n\.t\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) {
      const literal = m[1];
      const body = literal.slice(1, -1).replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);
      keys.add(body);
    }
  }
  return [...keys].sort();
}

/**
 * `builtinStyleL10nKeys()` of `<root>/core/styles.ts`, read from the source itself (bundled in memory
 * by esbuild, which the build already uses), so the list is never that of a stale build.
 */
export function styleKeys(root = SRC) {
  const entry = resolve(root, 'core', 'styles.ts');
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild');
  const { outputFiles } = esbuild.buildSync({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, createRequire(entry));
  const keys = module.exports.builtinStyleL10nKeys?.();
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${entry}: builtinStyleL10nKeys() returned no keys`);
  return keys;
}

/** Every key a `l10n/bundle.l10n.<lang>.json` must have: the l10n.t literals and the built-in style texts. */
export function l10nKeys(root = SRC) {
  return [...new Set([...callKeys(root), ...styleKeys(root)])].sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(l10nKeys(), null, 2));
}
