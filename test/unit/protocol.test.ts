import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFromWebview } from '../../src/shared/protocol';

const choices = { aspectRatio: '16:9', imageSize: '1K', count: 2, styleId: 'builtin:watercolor' };

test('valid messages pass, copied', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'action', action: 'insert', id: '3f2c-aa', extra: 'dropped' }), { type: 'action', action: 'insert', id: '3f2c-aa' });
  assert.deepEqual(parseFromWebview({ type: 'generate', prompt: 'a fox', choices }), { type: 'generate', prompt: 'a fox', choices });
  assert.deepEqual(parseFromWebview({ type: 'removeReference', id: 'r1' }), { type: 'removeReference', id: 'r1' });
  assert.deepEqual(parseFromWebview({ type: 'remixDrop', uri: 'file:///ws/images/a.png' }), { type: 'remixDrop', uri: 'file:///ws/images/a.png' });
});

test('anything else is dropped: unknown types and actions, paths for ids, bad choices, empty prompts', () => {
  for (const bad of [
    null,
    'ready',
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'action', action: 'exec', id: 'a' },
    { type: 'action', action: 'open', id: '../../etc/passwd' },
    { type: 'action', action: 'open', id: '/abs/path.png' },
    { type: 'action', action: 'open', id: 'x'.repeat(65) },
    { type: 'generate', prompt: '   ', choices },
    { type: 'generate', prompt: 'ok', choices: { ...choices, count: 9 } },
    { type: 'generate', prompt: 'ok', choices: { ...choices, count: 1.5 } },
    { type: 'generate', prompt: 'ok', choices: { ...choices, aspectRatio: 'x'.repeat(100) } },
    { type: 'generate', prompt: 'p'.repeat(20_001), choices },
    { type: 'removeReference', id: '..' + '/x' },
    { type: 'remixDrop', uri: 'https://evil.example/a.png' },
    { type: 'remixDrop', uri: 'vscode-resource:/etc/passwd' },
    { type: 'remixDrop', uri: 'file:///' + 'a'.repeat(5000) },
  ]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  }
});
