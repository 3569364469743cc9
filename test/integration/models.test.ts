// Today's API against the stand-in: the models list read page by page with real query
// parameters, a retired model's 404 typed with its replacement, the one retry without a parameter
// a model does not take, and the reply fields kept (usage, modelStatus, finishMessage).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { estimateCost, imageModelsFrom } from '../../src/core/models';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { discoverModels, listModels, ModelListCache, MODEL_LIST_TTL_MS } from '../../src/gemini/modelLister';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import { memoryStore } from '../../src/gemini/storage';
import { UnsupportedParameterMemory } from '../../src/gemini/unsupportedParameters';
import { generateImages } from '../../src/generation/generateImages';
import { generate } from '../../src/generation/pipeline';
import { pipelineHarness } from '../support/pipelineHarness';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { tempDir } from '../support/tempWorkspace';
import { rejectsWith } from '../support/testHelpers';

const KEY = 'test-key-Mo42';
let server: FakeGemini;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY], modelAliases: { 'relay-image-1k': 'gemini-2.5-flash-image' }, retirementTimes: { 'gemini-3.1-flash-image': '2027-02-01T00:00:00Z' } });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => server.reset());

function client(options: Partial<ClientOptions> = {}, at: FakeGemini = server) {
  return new GeminiClient({ endpoint: { baseUrl: at.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0, timeoutMs: 10_000, ...options });
}

describe('GET /v1beta/models', () => {
  test('pageSize and pageToken go as query parameters, and every nextPageToken is followed', async () => {
    const models = await listModels(client(), { pageSize: 3 });
    const seen = server.requests.filter((r) => r.method === 'GET');
    assert.deepEqual(seen.map((r) => r.path), ['/v1beta/models', '/v1beta/models', '/v1beta/models']);
    assert.deepEqual(seen[0].query, { pageSize: '3' });
    assert.equal(seen[1].query.pageSize, '3');
    assert.ok(seen[1].query.pageToken, 'the second page asks with the first page\'s token');
    assert.equal(models.length, 9);
    assert.deepEqual(imageModelsFrom(models).map((m) => m.id), ['gemini-nano-banana-2.1', 'gemini-3.1-flash-image', 'gemini-3.1-flash-lite-image', 'gemini-3-pro-image', 'gemini-2.5-flash-image']);
  });

  test('the default request is /v1beta/models?pageSize=1000, never %3F in the path; a capped page is followed', async () => {
    const capped = await startFakeGemini({ apiKeys: [KEY], maxModelsPageSize: 2 });
    try {
      const models = await listModels(client({}, capped));
      assert.equal(models.length, 9);
      assert.ok(capped.requests.every((r) => r.path === '/v1beta/models' && r.query.pageSize === '1000'), JSON.stringify(capped.requests.map((r) => [r.path, r.query])));
      assert.equal(capped.requests.length, 5);
    } finally {
      await capped.close();
    }
  });

  test('a failure comes back typed; the answer is cached per endpoint for a day', async () => {
    const noRoute = await startFakeGemini({ apiKeys: [KEY], modelsListStatus: 404 });
    let now = Date.parse('2026-12-01T08:00:00Z');
    const cache = new ModelListCache(memoryStore(), () => now);
    try {
      const failed = await discoverModels(client({}, noRoute), cache);
      assert.ok('error' in failed && failed.error.kind === 'notFound');
      assert.equal(cache.get(noRoute.url), undefined, 'failures are not cached');
      const bad = await discoverModels(client({ endpoint: { baseUrl: server.url, apiKey: 'wrong', authStyle: 'x-goog-api-key' } }), cache);
      assert.ok('error' in bad && bad.error.kind === 'auth', 'a bad key says so instead of falling back silently');
      server.reset();

      const first = await discoverModels(client(), cache);
      assert.ok('models' in first && !first.cached);
      const again = await discoverModels(client(), cache);
      assert.ok('models' in again && again.cached);
      assert.equal(server.requests.filter((r) => r.path === '/v1beta/models').length, 1);
      now += MODEL_LIST_TTL_MS + 1;
      const stale = await discoverModels(client(), cache);
      assert.ok('models' in stale && !stale.cached);
    } finally {
      await noRoute.close();
    }
  });
});

describe('generateContent on today\'s API', () => {
  test('a retired model answers Google\'s 404, typed with the model and its replacement', async () => {
    const e = await rejectsWith(client().generateContent('gemini-3-pro-image-preview', buildImageRequest({ prompt: 'p', model: 'gemini-3-pro-image-preview' }), memorySink()), 'notFound');
    assert.equal(e.details.model, 'gemini-3-pro-image-preview');
    assert.equal(e.details.replacement, 'gemini-3-pro-image');
    assert.match(e.details.serverMessage ?? '', /models\/gemini-3-pro-image-preview is not found for API version v1beta/);
    const unknown = await rejectsWith(client().generateContent('no-such-model', buildImageRequest({ prompt: 'p', model: 'no-such-model' }), memorySink()), 'notFound');
    assert.equal(unknown.details.replacement, undefined);
  });

  test('a 400 naming an unsupported parameter: one retry without it, remembered for that model and base URL', async () => {
    const memory = new UnsupportedParameterMemory(memoryStore());
    const relay = client({ parameterMemory: memory });
    // Unknown to the catalogue, so imageSize is sent; the relay serves a 1K-only model under that name.
    const request = buildImageRequest({ prompt: 'a fox', model: 'relay-image-1k', aspectRatio: '1:1', imageSize: '2K' });
    const reply = await relay.generateContent('relay-image-1k', request, memorySink());
    assert.equal(reply.images.length, 1);
    assert.deepEqual(reply.droppedParameters, ['imageSize']);
    const bodies = server.requests.map((r) => (r.body as { generationConfig?: { imageConfig?: unknown } }).generationConfig?.imageConfig);
    assert.deepEqual(bodies, [{ aspectRatio: '1:1', imageSize: '2K' }, { aspectRatio: '1:1' }]);
    assert.deepEqual([...memory.omitted(server.url, 'relay-image-1k')], ['imageSize']);
    assert.deepEqual([...memory.omitted(server.url, 'gemini-3-pro-image')], []);

    server.reset();
    await relay.generateContent('relay-image-1k', request, memorySink());
    assert.equal(server.requests.length, 1, 'the next request leaves it out from the start');
    assert.deepEqual((server.requests[0].body as { generationConfig: { imageConfig: unknown } }).generationConfig.imageConfig, { aspectRatio: '1:1' });

    server.reset();
    server.enqueue({ kind: 'badRequest', message: 'Request contains an invalid argument.' });
    await rejectsWith(relay.generateContent('gemini-3-pro-image', buildImageRequest({ prompt: 'p', model: 'gemini-3-pro-image', imageSize: '2K' }), memorySink()), 'badRequest');
    assert.equal(server.requests.length, 1, 'a 400 that names no parameter is not retried');
  });

  test('usage, model version, response id and a deprecated model\'s status are kept with the images', async () => {
    const dir = tempDir();
    try {
      const model = 'gemini-3.1-flash-image';
      const result = await generateImages({
        client: client(),
        model,
        request: buildImageRequest({ prompt: 'a lighthouse', model, imageSize: '4K', thinkingLevel: 'high' }),
        count: 2,
        targetPath: (ext) => join(dir.path, `lighthouse.${ext}`),
        tempDir: dir.path,
      });
      assert.equal(result.replies.length, 2);
      const reply = result.replies[0];
      assert.equal(reply.modelVersion, model);
      assert.ok(reply.responseId);
      assert.deepEqual(reply.modelStatus, { modelStage: 'DEPRECATED', retirementTime: '2027-02-01T00:00:00Z' });
      const usage = reply.usage!;
      assert.ok(usage.promptTokenCount! > 0 && usage.thoughtsTokenCount! > 0);
      assert.equal(usage.totalTokenCount, usage.promptTokenCount! + usage.candidatesTokenCount! + usage.thoughtsTokenCount!);
      assert.deepEqual(usage.candidatesTokensDetails?.find((d) => d.modality === 'IMAGE'), { modality: 'IMAGE', tokenCount: 2520 });
      assert.deepEqual((server.requests[0].body as { generationConfig: unknown }).generationConfig, {
        responseModalities: ['TEXT', 'IMAGE'],
        imageConfig: { imageSize: '4K' },
        thinkingConfig: { thinkingLevel: 'high' },
      });
      assert.equal(estimateCost({ model, imageSize: '4K', images: result.images.length }), 0.302);
    } finally {
      dir.cleanup();
    }
  });

  test('Gemini 3 Pro answers JPEG; a block carries Google\'s finishMessage into the error', async () => {
    const pro = await client().generateContent('gemini-3-pro-image', buildImageRequest({ prompt: 'p', model: 'gemini-3-pro-image' }), memorySink());
    assert.equal(pro.images[0].mimeType, 'image/jpeg');
    server.enqueue({ kind: 'finish', finishReason: 'IMAGE_SAFETY' });
    const dir = tempDir();
    try {
      const model = 'gemini-nano-banana-2.1';
      const run = generateImages({ client: client(), model, request: buildImageRequest({ prompt: 'p', model }), count: 1, targetPath: (ext) => join(dir.path, `x.${ext}`), tempDir: dir.path });
      const e = await rejectsWith(run, 'blocked');
      assert.equal(e.details.finishReason, 'IMAGE_SAFETY');
      assert.match(e.details.finishMessage ?? '', /Prohibited Use policy/);
    } finally {
      dir.cleanup();
    }
  });

  test('the retired text model gemini-2.5-flash is served by its successor, as Google routes it', async () => {
    const reply = await client().generateContent('gemini-2.5-flash', { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }, memorySink());
    assert.equal(reply.modelVersion, 'gemini-3.5-flash-lite');
  });
});

describe('the pipeline on today\'s API', () => {
  const job = { prompt: 'a red fox', options: { aspectRatio: '1:1' as const, imageSize: '4K' as const, count: 2 } };

  test('no model set: the first model of the catalogue\'s order that the list has; usage and cost land in the records', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path });
      const cache = new ModelListCache(memoryStore());
      const deps = { ...h.deps, settings: { ...h.deps.settings, model: 'unused-offline-choice', modelIsAutomatic: true }, modelCache: cache };
      const outcome = await generate(job, deps);
      const calls = server.requests.map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(calls, ['GET /v1beta/models', 'POST /v1beta/models/gemini-nano-banana-2.1:generateContent', 'POST /v1beta/models/gemini-nano-banana-2.1:generateContent']);
      const record = outcome!.records[0];
      assert.equal(record.model, 'gemini-nano-banana-2.1');
      assert.ok(record.tokens! > 2520, `tokens ${record.tokens}`);
      assert.equal(record.cost, 0.113);
      assert.equal(record.costFrom, 'estimate', 'Nano Banana 2.1 has no confirmed text-token rate: its figure is the estimate');
      await generate(job, deps);
      assert.equal(server.requests.filter((r) => r.path === '/v1beta/models').length, 1, 'the list is cached');
    } finally {
      dir.cleanup();
    }
  });

  test('a configured model goes through the editor\'s offer; a reply\'s modelStatus is passed on', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, model: 'gemini-3-pro-image-preview' });
      const offered: string[] = [];
      const statuses: unknown[] = [];
      const deps = {
        ...h.deps,
        confirmModel: async (model: string) => (offered.push(model), 'gemini-3.1-flash-image'),
        onModelStatus: (_model: string, status: unknown) => void statuses.push(status),
      };
      const outcome = await generate({ ...job, options: { ...job.options, count: 1 } }, deps);
      assert.deepEqual(offered, ['gemini-3-pro-image-preview']);
      assert.equal(outcome!.records[0].model, 'gemini-3.1-flash-image');
      assert.deepEqual(statuses, [{ modelStage: 'DEPRECATED', retirementTime: '2027-02-01T00:00:00Z' }]);
    } finally {
      dir.cleanup();
    }
  });
});
