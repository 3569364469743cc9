// The pipeline, core, gemini and shared code load in plain Node, with no `vscode` module to be
// found: what the docs filler and the CLI will run. Every compiled file of those folders is loaded.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = join(__dirname, '..', '..', 'src');
const FOLDERS = ['core', 'gemini', 'shared', 'generation', 'gallery', 'references'];

function compiled(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? compiled(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

test('no vscode module exists here, so a file that loads it would fail', () => {
  assert.throws(() => require('vscode'), /Cannot find module 'vscode'/);
});

for (const folder of FOLDERS) {
  const files = compiled(join(SRC, folder));
  test(`src/${folder}: every file loads without vscode`, () => {
    assert.ok(files.length > 0, `nothing compiled under src/${folder}`);
    for (const file of files) assert.doesNotThrow(() => require(file), `${relative(SRC, file)} needs vscode at run time`);
  });
}
