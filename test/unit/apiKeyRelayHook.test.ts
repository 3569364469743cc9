// The key is handed out for a request only after the relay check agrees: a "no" is a cancel (no
// key, nothing sent, no "set a key" prompt), and without a key the check is not even asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

installVscodeStub(createVscodeStub({ commands: [], serializers: [], outputChannels: [] }));
const { ApiKeyStore } = require('../../src/apiKey') as typeof import('../../src/apiKey');

function secrets(value: string | undefined) {
  return { get: async () => value, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }), keys: async () => [] } as never;
}

test('the check says send: the key is given', async () => {
  let asked = 0;
  const store = new ApiKeyStore(secrets('stored-key'), undefined, {}, async () => (asked++, true));
  assert.equal(await store.get(), 'stored-key');
  assert.equal(asked, 1);
});

test('the check says no: get() throws a cancel, which the commands report quietly', async () => {
  const store = new ApiKeyStore(secrets(undefined), undefined, { GEMINI_API_KEY: 'env-key' }, async () => false);
  await assert.rejects(store.get(), (e: { code?: string }) => e.code === 'cancelled');
});

test('no key at all: the check is not asked, get() gives undefined', async () => {
  let asked = 0;
  const store = new ApiKeyStore(secrets(undefined), undefined, {}, async () => (asked++, false));
  assert.equal(await store.get(), undefined);
  assert.equal(asked, 0);
});
