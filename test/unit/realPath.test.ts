// Symbolic links out of the workspace: the destination is judged by where it really leads.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { DestinationError } from '../../src/core/destination';
import { assertReallyInside, realPathOf, staysInside } from '../../src/workspace/realPath';
import { listFiles, tempDir } from '../support/tempWorkspace';

let root: { path: string; cleanup(): void };
let ws: string;
let outside: string;

beforeEach(() => {
  root = tempDir('gis-realpath-');
  ws = join(root.path, 'ws');
  outside = join(root.path, 'outside');
  mkdirSync(ws);
  mkdirSync(outside);
});
afterEach(() => root.cleanup());

async function refused(dir: string): Promise<DestinationError> {
  let caught: unknown;
  await assertReallyInside(ws, dir).catch((e) => (caught = e));
  assert.ok(caught instanceof DestinationError, `expected a refusal for ${dir}`);
  assert.equal(caught.reason, 'outsideWorkspace');
  return caught;
}

test('an images folder that is a link to a folder outside the workspace is refused, also below it', async () => {
  symlinkSync(outside, join(ws, 'images'));
  const e = await refused(join(ws, 'images'));
  assert.ok(e.detail.includes(outside), e.detail);
  await refused(join(ws, 'images', 'not', 'yet', 'there'));
  assert.deepEqual(listFiles(outside), []);
});

test('a link one level up (docs -> outside), a relative link, and a link to a link are refused', async () => {
  symlinkSync(outside, join(ws, 'docs'));
  await refused(join(ws, 'docs', 'images'));
  symlinkSync('../outside', join(ws, 'rel'));
  await refused(join(ws, 'rel'));
  symlinkSync(join(ws, 'rel'), join(ws, 'chain'));
  await refused(join(ws, 'chain', 'images'));
});

test('a dangling link is refused rather than guessed at', async () => {
  symlinkSync(join(root.path, 'nowhere'), join(ws, 'images'));
  assert.equal(await realPathOf(join(ws, 'images', 'x')), undefined);
  await refused(join(ws, 'images'));
});

test('a link to a file is not a way out either', async () => {
  writeFileSync(join(outside, 'f'), '');
  symlinkSync(join(outside, 'f'), join(ws, 'f'));
  await refused(join(ws, 'f'));
});

test('links that stay inside, folders not yet made, and a workspace reached through a link are allowed', async () => {
  mkdirSync(join(ws, 'assets'));
  symlinkSync(join(ws, 'assets'), join(ws, 'images'));
  await assertReallyInside(ws, join(ws, 'images'));
  await assertReallyInside(ws, join(ws, 'new', 'deeper'));
  await assertReallyInside(ws, ws);
  const alias = join(root.path, 'alias');
  symlinkSync(ws, alias);
  await assertReallyInside(alias, join(alias, 'images'));
  assert.deepEqual(await staysInside(alias, join(alias, 'images', 'x')), { inside: true, real: join(ws, 'assets', 'x') });
});
