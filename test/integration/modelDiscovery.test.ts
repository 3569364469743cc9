// Commands other than a generation (describe, docs, write prompt) list the models too when the
// model is automatic: under a notification with Cancel, or under the caller's own Cancel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { closeDispatchers } from '../../src/gemini/http';
import { GeminiError } from '../../src/gemini/errors';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as Record<string, Record<string, unknown>>;
installVscodeStub(stub);
const { withChosenModels } = require('../../src/commands/modelChoice') as typeof import('../../src/commands/modelChoice');
const { readSettings } = require('../../src/config') as typeof import('../../src/config');

const KEY = 'test-key-Md55';
let slow: FakeGemini;

before(async () => {
  slow = await startFakeGemini({ apiKeys: [KEY], modelsListDelayMs: 3_000 });
});
after(async () => {
  await slow.close();
  await closeDispatchers();
});

function services() {
  const values = new Map<string, unknown>();
  const memento = { get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()] };
  return { globalState: memento, log: { warn() {}, error() {}, info() {}, addSecret() {} }, extension: { version: '0' } } as never;
}

const automatic = () => ({ ...readSettings(), baseUrl: slow.url, modelIsAutomatic: true, textModelIsAutomatic: true });
const isCancelled = (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled';

test('without a caller\'s Cancel, listing shows a notification whose Cancel stops it at once', async () => {
  const titles: string[] = [];
  stub.window.withProgress = async (options: { title: string; cancellable: boolean }, task: (p: unknown, token: unknown) => Promise<unknown>) => {
    titles.push(`${options.title} ${options.cancellable}`);
    const listeners: (() => void)[] = [];
    setTimeout(() => listeners.forEach((l) => l()), 100);
    return task({ report() {} }, { onCancellationRequested: (l: () => void) => (listeners.push(l), { dispose() {} }) });
  };
  const started = Date.now();
  await assert.rejects(withChosenModels(services(), automatic() as never, KEY), isCancelled);
  assert.ok(Date.now() - started < 2_000);
  assert.deepEqual(titles, ['Choosing a model… true']);
});

test('under the caller\'s own Cancel, no second notification', async () => {
  stub.window.withProgress = async () => assert.fail('a second notification');
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 100);
  await assert.rejects(withChosenModels(services(), automatic() as never, KEY, abort.signal), isCancelled);
});
