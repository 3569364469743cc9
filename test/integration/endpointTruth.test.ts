// The editor's pipeline against the stand-in, learning from the endpoint: an automatic user moves
// on from a model it reports deprecated; a hosted-URL reply is saved without the key ever reaching
// the image host; Set API Key refuses a key that can list models but not generate; a relay's
// base URL forms all reach the API.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { checkApiKey, saveDecision } from '../../src/gemini/keyCheck';
import { ModelListCache } from '../../src/gemini/modelLister';
import { ModelStatusBook } from '../../src/gemini/modelStatusBook';
import { memoryStore } from '../../src/gemini/storage';
import { memorySink } from '../../src/gemini/imageSink';
import { apiUrl } from '../../src/gemini/request';
import { generate } from '../../src/generation/pipeline';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { pipelineHarness } from '../support/pipelineHarness';
import { captureLog, tempDir } from '../support/tempWorkspace';

const KEY = 'truth-key-7Qx2';
const OLD_KEY = 'AIzaOldStandardKey-9f3';
let server: FakeGemini;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY], standardKeys: [OLD_KEY], retirementTimes: { 'gemini-nano-banana-2.1': '2027-01-20T00:00:00Z' } });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => server.reset());

const job = { prompt: 'a lighthouse', options: { aspectRatio: '1:1' as const, imageSize: '1K' as const, count: 1 } };
const posts = () => server.requests.filter((r) => r.method === 'POST').map((r) => r.path);

describe('an automatic user on an endpoint that reports its model deprecated', () => {
  test('the first generation uses Nano Banana 2.1 and hears its retirement; the next one moves on, the saved setting untouched', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path });
      const store = memoryStore();
      const book = new ModelStatusBook(store);
      const deps = { ...h.deps, settings: { ...h.deps.settings, model: 'offline-choice', modelIsAutomatic: true }, modelCache: new ModelListCache(store), statusBook: book };
      const first = await generate(job, deps);
      assert.equal(first!.records[0].model, 'gemini-nano-banana-2.1');
      assert.equal(first!.records[0].modelRetires, '2027-01-20', 'the card can say when it retires');
      assert.deepEqual(book.get(server.url, 'gemini-nano-banana-2.1'), { at: book.get(server.url, 'gemini-nano-banana-2.1')!.at, stage: 'STABLE', retirementTime: '2027-01-20T00:00:00Z' });
      const second = await generate(job, deps);
      // 3.1 Flash Image is deprecated too: Lite is the next live one.
      assert.equal(second!.records[0].model, 'gemini-3.1-flash-lite-image');
      assert.deepEqual(posts(), ['/v1beta/models/gemini-nano-banana-2.1:generateContent', '/v1beta/models/gemini-3.1-flash-lite-image:generateContent']);
      assert.equal(deps.settings.model, 'offline-choice');
    } finally {
      dir.cleanup();
    }
  });

  test('a configured model that answers 404 is marked gone for that endpoint only', async () => {
    const client = new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0, statusBook: new ModelStatusBook(memoryStore()) });
    const book = (client as unknown as { options: { statusBook: ModelStatusBook } }).options.statusBook;
    await assert.rejects(client.generateContent('gemini-3-pro-image-preview', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] }, memorySink()), { code: 'notFound' });
    assert.equal(book.get(server.url, 'gemini-3-pro-image-preview')?.gone, true);
    assert.equal(book.get('https://relay.example', 'gemini-3-pro-image-preview'), undefined);
  });
});

describe('a relay that answers with a hosted image URL', () => {
  for (const hostedUrl of ['markdown', 'bare'] as const) {
    test(`${hostedUrl}: the image is downloaded and saved; the key never reaches the image host`, async () => {
      const dir = tempDir();
      try {
        server.enqueue({ kind: 'image', hostedUrl, text: 'Here you go.' });
        const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, log: captureLog() });
        const outcome = await generate(job, h.deps);
        const record = outcome!.records[0];
        assert.ok(existsSync(record.path));
        const sent = server.sentImages[0];
        // Our prompt chunks go in; the picture's own data is what the host served.
        assert.ok(readFileSync(record.path).includes(sent.subarray(sent.length - 200, sent.length - 12)), 'the bytes the host served');
        assert.equal(record.mimeType, 'image/png', 'sniffed from the bytes: the host says application/octet-stream');
        assert.deepEqual(record.texts, ['Here you go.'], 'the link is taken out of the words');
        const hits = server.imageHost.requests;
        assert.equal(hits.length, 1);
        for (const hit of hits) {
          assert.equal(hit.headers['x-goog-api-key'], undefined);
          assert.equal(hit.headers.authorization, undefined);
          assert.ok(!JSON.stringify(hit).includes(KEY), 'no key anywhere in what the image host saw');
        }
      } finally {
        dir.cleanup();
      }
    });
  }

  test('a redirect within the host is followed; one to another host is not, and no image is claimed', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, log: captureLog() });
      server.enqueue({ kind: 'image', hostedUrl: 'markdown', hostRedirect: 'sameHost' });
      assert.ok(existsSync((await generate(job, h.deps))!.records[0].path));
      server.enqueue({ kind: 'image', hostedUrl: 'markdown', hostRedirect: 'otherHost' });
      await assert.rejects(generate(job, h.deps), { code: 'noImage' });
      assert.ok(server.imageHost.requests.every((r) => !String(r.headers.host ?? '').startsWith('localhost')), 'the other host was never asked');
    } finally {
      dir.cleanup();
    }
  });
});

describe('Set API Key\'s check', () => {
  test('an old "Standard" key lists models but cannot generate: refused in the box with Google\'s reason', async () => {
    const client = new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: OLD_KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0, timeoutMs: 5_000 });
    const check = await checkApiKey(client, undefined, 'gemini-nano-banana-2.1');
    assert.equal(check.kind, 'refused');
    assert.equal(saveDecision(check), 'askAgain');
    assert.ok(check.kind === 'refused' && check.error.details.reason === 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1beta/models', 'POST /v1beta/models/gemini-nano-banana-2.1:countTokens']);
    const good = await checkApiKey(new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0 }), undefined, 'gemini-nano-banana-2.1');
    assert.equal(good.kind, 'works');
  });

  test('generation with such a key fails with the key-type reason, not a bare 401', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: OLD_KEY, dir: dir.path });
      await assert.rejects(generate(job, h.deps), (e: { code?: string; details?: { reason?: string } }) => e.code === 'auth' && e.details?.reason === 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
    } finally {
      dir.cleanup();
    }
  });
});

test('base URLs ending in /v1beta, /v1/v1beta or a relay prefix reach the API', async () => {
  const endpoint = (baseUrl: string) => ({ baseUrl, apiKey: 'k', authStyle: 'x-goog-api-key' as const });
  assert.equal(apiUrl(endpoint('https://relay.example/v1beta/'), '/v1beta/models').toString(), 'https://relay.example/v1beta/models');
  assert.equal(apiUrl(endpoint('https://relay.example/v1/v1beta'), '/v1beta/models').toString(), 'https://relay.example/v1/v1beta/models');
  assert.equal(apiUrl(endpoint('https://relay.example/gemini'), '/v1beta/models').toString(), 'https://relay.example/gemini/v1beta/models');
  const client = new GeminiClient({ endpoint: { baseUrl: `${server.url}/v1beta`, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0 });
  const reply = await client.generateContent('gemini-3-pro-image', { contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } }, memorySink());
  assert.equal(reply.images.length, 1);
});
