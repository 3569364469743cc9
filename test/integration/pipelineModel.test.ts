// The model a generation uses is settled before anything depends on it: listing the models shows
// progress and obeys Cancel, the destination hears the chosen model, and the options recorded are
// the ones that model was sent.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import { closeDispatchers } from '../../src/gemini/http';
import { ModelListCache } from '../../src/gemini/modelLister';
import { memoryStore } from '../../src/gemini/storage';
import { generate } from '../../src/generation/pipeline';
import type { GenerationJob } from '../../src/generation/ports';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { pipelineHarness } from '../support/pipelineHarness';
import { tempDir } from '../support/tempWorkspace';

const KEY = 'test-key-Pm17';
let server: FakeGemini;
/** Its models list takes 5 s (a slow relay). */
let slow: FakeGemini;
let dir: ReturnType<typeof tempDir>;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY] });
  slow = await startFakeGemini({ apiKeys: [KEY], modelsListDelayMs: 5_000 });
});
after(async () => {
  await server.close();
  await slow.close();
  await closeDispatchers();
});
beforeEach(() => {
  server.reset();
  dir?.cleanup();
  dir = tempDir();
});

const job = (aspectRatio: GenerationJob['options']['aspectRatio'] = '1:1'): GenerationJob => ({ prompt: 'a red fox', options: { aspectRatio, imageSize: '1K', count: 1 } });

function automatic(at = server, model = 'unused-offline-choice') {
  const h = pipelineHarness({ baseUrl: at.url, apiKey: KEY, dir: dir.path });
  const asked: string[] = [];
  const choose = h.deps.targets.choose;
  const deps = {
    ...h.deps,
    settings: { ...h.deps.settings, model, modelIsAutomatic: true },
    modelCache: new ModelListCache(memoryStore()),
    // A destination that names the model (`${model}`): it asks for it.
    targets: { choose: async (prompt: string, model: () => Promise<string>) => (asked.push(await model()), choose(prompt, model)) },
  };
  return { h, deps, asked };
}

test('listing the models shows progress, and its Cancel stops the generation before anything is paid for', async () => {
  const { h, deps, asked } = automatic(slow);
  const started = Date.now();
  const run = generate(job(), deps);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(h.progress.map((p) => p.type), ['choosingModel']);
  h.cancel();
  await assert.rejects(run, (e) => e instanceof GeminiError && e.kind === 'cancelled');
  assert.ok(Date.now() - started < 2_000, 'cancelled at once, not after the list or a timeout');
  assert.equal(slow.requests.filter((r) => r.path.endsWith(':generateContent')).length, 0);
  assert.deepEqual(asked, [], 'no destination was chosen');
  assert.deepEqual(h.sink.events, []);
});

test('the destination is chosen with the model the endpoint\'s list decided, not the offline guess', async () => {
  const { deps, asked } = automatic();
  const outcome = await generate(job(), deps);
  assert.deepEqual(asked, ['gemini-nano-banana-2.1']);
  assert.equal(outcome?.records[0].model, 'gemini-nano-banana-2.1');
  // A second run reads the cached list: no notification flashes for it.
  const again = automatic();
  again.deps.modelCache = deps.modelCache;
  await generate(job(), again.deps);
  assert.deepEqual(again.h.progress.map((p) => p.type), ['started', 'saved']);
});

test('a destination that does not name the model is settled first: refused, nothing is sent, not even the list', async () => {
  const { deps } = automatic(slow);
  deps.targets = { choose: async () => undefined };
  const before = slow.requests.length;
  assert.equal(await generate(job(), deps), undefined);
  assert.equal(slow.requests.length, before);
});

test('a ratio the model lacks is neither sent nor recorded', async () => {
  const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, model: 'gemini-3-pro-image' });
  const outcome = await generate(job('1:8'), h.deps);
  const sent = server.requests.find((r) => r.path.endsWith(':generateContent'))?.body as { generationConfig?: { imageConfig?: Record<string, unknown> } };
  assert.equal(sent.generationConfig?.imageConfig?.aspectRatio, undefined);
  assert.equal(outcome?.records[0].aspectRatio, undefined);
  assert.ok(outcome?.records[0].path.startsWith(join(dir.path, 'images')));
});
