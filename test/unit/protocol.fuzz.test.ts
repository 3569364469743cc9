// 10,000 hostile messages through the host's gate: none throws, and what passes is a known shape
// carrying ids (never paths), bounded prompts and file: URIs only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMAGE_ACTIONS, parseFromWebview } from '../../src/shared/protocol';
import { hostileMessages, SAFE_ID } from '../support/hostileMessages';

test('10,000 generated messages: no throw, and every accepted one is a valid, path-free shape', () => {
  const accepted: Record<string, number> = {};
  for (const raw of hostileMessages(10_000)) {
    const m = parseFromWebview(raw);
    if (!m) continue;
    accepted[m.type] = (accepted[m.type] ?? 0) + 1;
    switch (m.type) {
      case 'action':
        assert.ok((IMAGE_ACTIONS as readonly string[]).includes(m.action));
        assert.match(m.id, SAFE_ID);
        break;
      case 'removeReference':
        assert.match(m.id, SAFE_ID);
        break;
      case 'generate':
        assert.ok(m.prompt.trim() && m.prompt.length <= 20_000);
        assert.ok(Number.isInteger(m.choices.count) && m.choices.count >= 1 && m.choices.count <= 8);
        break;
      case 'remixDrop':
        assert.match(m.uri, /^file:\/\//i);
        break;
      default:
        assert.ok(m.type === 'ready' || m.type === 'addReference');
    }
    assert.deepEqual(Object.keys(m).sort(), Object.keys(m).filter((k) => ['type', 'action', 'id', 'prompt', 'choices', 'uri'].includes(k)).sort(), 'nothing extra is passed on');
  }
  // The generator reaches every gate, so the check above is not vacuous.
  for (const type of ['ready', 'action', 'generate', 'removeReference', 'remixDrop', 'addReference']) assert.ok(accepted[type] > 0, `${type} accepted sometimes: ${JSON.stringify(accepted)}`);
});
