// Lists every string passed to vscode.l10n.t / l10n.t in src/ (the keys of l10n bundles).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
export function l10nKeys(root = 'src') {
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

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(l10nKeys(), null, 2));
}
