import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveDestination, type DestinationInput } from '../../src/core/destination';

const ws = path.resolve('/projects/ws');
const base: DestinationInput = {
  pattern: '',
  workspaceFolder: ws,
  isMarkdown: false,
  prompt: 'A red fox',
  ext: 'png',
  model: 'gemini-nano-banana-2.1',
  now: new Date(2026, 10, 26, 9, 5, 7),
};

test('default outside markdown: workspace images folder', () => {
  assert.deepEqual(resolveDestination(base), { ok: true, path: path.join(ws, 'images', 'a-red-fox.png') });
});

test('default in markdown: next to the document', () => {
  const r = resolveDestination({ ...base, isMarkdown: true, documentPath: path.join(ws, 'docs', 'guide.md') });
  assert.deepEqual(r, { ok: true, path: path.join(ws, 'docs', 'images', 'a-red-fox.png') });
});

test('variables are substituted', () => {
  const r = resolveDestination({ ...base, pattern: 'art/${date}/${documentBaseName}-${time}-${model}.${ext}', documentPath: path.join(ws, 'a.md'), ext: 'jpg' });
  assert.deepEqual(r, { ok: true, path: path.join(ws, 'art', '2026-11-26', 'a-090507-gemini-nano-banana-2.1.jpg') });
});

test('a trailing slash is a folder; a name without extension gets one', () => {
  assert.deepEqual(resolveDestination({ ...base, pattern: 'assets/' }), { ok: true, path: path.join(ws, 'assets', 'a-red-fox.png') });
  assert.deepEqual(resolveDestination({ ...base, pattern: 'assets/hero' }), { ok: true, path: path.join(ws, 'assets', 'hero.png') });
});

test('outside the workspace is refused unless allowed', () => {
  const r = resolveDestination({ ...base, pattern: '../elsewhere/${promptSlug}.${ext}' });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'outsideWorkspace');
  const abs = resolveDestination({ ...base, pattern: '/tmp/x.png' });
  assert.equal(!abs.ok && abs.reason, 'outsideWorkspace');
  const allowed = resolveDestination({ ...base, pattern: '/tmp/x.png', allowOutsideWorkspace: true });
  assert.deepEqual(allowed, { ok: true, path: path.resolve('/tmp/x.png') });
});

test('a prompt cannot climb out through the slug', () => {
  const r = resolveDestination({ ...base, prompt: '../../../../etc/cron.d/evil' });
  assert.ok(r.ok && r.path.startsWith(ws + path.sep), JSON.stringify(r));
});

test('unknown variables and document variables without a document are errors', () => {
  assert.deepEqual(resolveDestination({ ...base, pattern: '${nope}/x.png' }), { ok: false, reason: 'unknownVariable', detail: '${nope}' });
  assert.deepEqual(resolveDestination({ ...base, pattern: '${documentDirName}/x.png' }), { ok: false, reason: 'needsDocument', detail: '${documentDirName}' });
});
