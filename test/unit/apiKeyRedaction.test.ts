// Issue 20 #18: the key is scrubbed from the log wherever it is read, whichever path reads it (a
// batch resumed at activation, Show Batch Jobs, a command), not only where a caller remembers to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

const lines: string[] = [];
const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { window: Record<string, unknown> };
const write = (m: string) => void lines.push(m);
stub.window.createOutputChannel = () => ({ info: write, warn: write, error: write, show() {}, dispose() {} });
installVscodeStub(stub);
const { ApiKeyStore } = require('../../src/apiKey') as typeof import('../../src/apiKey');
const { Log } = require('../../src/log') as typeof import('../../src/log');

const STORED = 'AIzaStoredKey-7fQ2xY';
const ENVIRONMENT = 'AIzaEnvironmentKey-k93L';

function secrets(initial?: string) {
  const values = new Map<string, string>(initial ? [['geminiImage.apiKey', initial]] : []);
  return {
    get: async (k: string) => values.get(k),
    store: async (k: string, v: string) => void values.set(k, v),
    delete: async (k: string) => void values.delete(k),
    keys: async () => [...values.keys()],
    onDidChange: () => ({ dispose() {} }),
  } as unknown as import('vscode').SecretStorage;
}

test('a key read from secret storage is redacted in every later log line, with no other call needed', async () => {
  lines.length = 0;
  const log = new Log();
  const keys = new ApiKeyStore(secrets(STORED), log, {});
  const key = await keys.get();
  assert.equal(key, STORED);
  log.error(`batch poll failed: GET /v1beta/batches/x?key=${key}`);
  log.info(`header x-goog-api-key: ${key}`);
  assert.equal(lines.length, 2);
  for (const line of lines) assert.ok(!line.includes(STORED), line);
});

test('the environment\'s key, and a key typed to be checked, are redacted too', async () => {
  lines.length = 0;
  const log = new Log();
  const keys = new ApiKeyStore(secrets(), log, { GEMINI_API_KEY: ENVIRONMENT });
  assert.equal(await keys.get(), ENVIRONMENT);
  const typed = keys.seen('AIzaTypedInTheBox-0pQ');
  log.warn(`The key could not be checked: ${ENVIRONMENT} / ${typed}`);
  assert.ok(!lines[0].includes(ENVIRONMENT) && !lines[0].includes(typed), lines[0]);
});
