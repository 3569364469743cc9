// The language model tools' inputs: workspace-relative paths stay in the workspace and get an
// image extension; the confirmation's cost comes from the price table, never guessed for unknown ids.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { estimateImageCost, formatDollars } from '../../src/core/imageCost';
import { resolveToolImagePath, workspaceRelative } from '../../src/core/toolPaths';

const root = path.resolve('/w/site');
const other = path.resolve('/w/notes');
const one = [{ name: 'site', path: root }];
const two = [...one, { name: 'notes', path: other }];

test('a workspace-relative path resolves inside the first folder', () => {
  assert.deepEqual(resolveToolImagePath('docs/images/diagram.png', one), { ok: true, path: path.join(root, 'docs', 'images', 'diagram.png') });
  assert.deepEqual(resolveToolImagePath('./a.webp', one), { ok: true, path: path.join(root, 'a.webp') });
  assert.deepEqual(resolveToolImagePath('docs\\b.jpg', one), { ok: true, path: path.join(root, 'docs', 'b.jpg') });
});

test('in a multi-root workspace a leading folder name picks the folder', () => {
  assert.deepEqual(resolveToolImagePath('notes/x.png', two), { ok: true, path: path.join(other, 'x.png') });
  assert.deepEqual(resolveToolImagePath('img/x.png', two), { ok: true, path: path.join(root, 'img', 'x.png') });
  assert.equal(workspaceRelative(path.join(other, 'x.png'), two), 'notes/x.png');
  assert.equal(workspaceRelative(path.join(root, 'img', 'x.png'), one), 'img/x.png');
});

test('nothing escapes the workspace unless allowed', () => {
  assert.equal(resolveToolImagePath('../elsewhere/x.png', one).ok, false);
  assert.deepEqual(resolveToolImagePath('../../etc/x.png', one), { ok: false, reason: 'outsideWorkspace', detail: '../../etc/x.png' });
  assert.equal(resolveToolImagePath(path.resolve('/tmp/x.png'), one).ok, false);
  assert.equal(resolveToolImagePath(path.join(root, 'ok.png'), one).ok, true);
  assert.equal(resolveToolImagePath('../x.png', one, { allowOutsideWorkspace: true }).ok, true);
});

test('an image extension is required, or added when asked to', () => {
  assert.deepEqual(resolveToolImagePath('docs/diagram', one, { addExtension: true }), { ok: true, path: path.join(root, 'docs', 'diagram.png') });
  assert.equal(resolveToolImagePath('docs/diagram', one).ok, false);
  assert.deepEqual(resolveToolImagePath('logo.svg', one, { addExtension: true }), { ok: false, reason: 'notAnImage', detail: 'logo.svg' });
  assert.deepEqual(resolveToolImagePath('  ', one), { ok: false, reason: 'empty', detail: '  ' });
  assert.deepEqual(resolveToolImagePath('a.png', []), { ok: false, reason: 'noWorkspace', detail: 'a.png' });
});

test('cost estimates follow the price table by model and size', () => {
  assert.equal(estimateImageCost('gemini-2.5-flash-image', '1K'), 0.039);
  assert.equal(estimateImageCost('models/gemini-3.1-flash-image', '4K', 2), 0.302);
  assert.equal(estimateImageCost('gemini-3-pro-image', '2K'), 0.134);
  assert.equal(estimateImageCost('my-relay-alias', '1K'), undefined);
  assert.equal(formatDollars(0.039), '$0.039');
  assert.equal(formatDollars(0.24), '$0.24');
});
