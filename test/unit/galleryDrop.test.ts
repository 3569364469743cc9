import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordForDrop } from '../../src/core/galleryDrop';

const records = [
  { id: 'a1', path: '/ws/docs/images/drag-me.png' },
  { id: 'b2', path: '/ws/images/海报 1.png' },
];

test('the panel id wins', () => {
  assert.equal(recordForDrop(records, { id: 'b2', uriList: 'file:///ws/docs/images/drag-me.png' })?.id, 'b2');
  assert.equal(recordForDrop(records, { id: 'zz' }), undefined);
});

test('a webview resource URI from the panel finds its image, spaces and CJK encoded', () => {
  const src = 'https://vscode-remote%2B127-002e0-002e0-002e1-003a37855.vscode-resource.vscode-cdn.net/ws/docs/images/drag-me.png';
  assert.equal(recordForDrop(records, { uriList: `# comment\r\n${src}` })?.id, 'a1');
  assert.equal(recordForDrop(records, { uriList: `file:///ws/images/${encodeURIComponent('海报 1.png')}` })?.id, 'b2');
});

test('other drops are not ours: other files, a path that merely ends alike, junk', () => {
  assert.equal(recordForDrop(records, { uriList: 'file:///ws/docs/images/other.png' }), undefined);
  assert.equal(recordForDrop(records, { uriList: 'file:///elsewhere/xdrag-me.png' }), undefined);
  assert.equal(recordForDrop(records, { uriList: 'not a uri\n\n' }), undefined);
  assert.equal(recordForDrop(records, {}), undefined);
});
