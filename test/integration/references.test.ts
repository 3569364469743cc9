// Reference images through the upload cache against the stand-in server: what generateContent
// carried, how many uploads happened, and what the cache keeps (never the key).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { GeminiError } from '../../src/gemini/errors';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import type { Part } from '../../src/gemini/types';
import { maxReferenceImages, referencePart, referenceParts, withFreshReferences, type ReferenceImage, type ReferencePartOptions } from '../../src/references/referenceParts';
import { memoryStore, UploadCache, type UploadCacheState } from '../../src/references/uploadCache';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '../support/fakeGemini';
import { makeImage } from '../support/fakeGemini/images';
import { captureLog } from '../support/tempWorkspace';

const KEY = 'refs-key-Lm92';
const MODEL = 'gemini-nano-banana-2.1';
const servers: FakeGemini[] = [];
let server: FakeGemini;
let log: ReturnType<typeof captureLog>;

async function start(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const s = await startFakeGemini({ apiKeys: [KEY], ...options });
  servers.push(s);
  return s;
}

before(async () => {
  server = await start();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await closeDispatchers();
});
beforeEach(() => {
  server.reset();
  log = captureLog();
});

function client(on: FakeGemini = server) {
  return new GeminiClient({ endpoint: { baseUrl: on.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 1, timeoutMs: 10_000, log });
}

function image(seed = 1, name = `ref-${seed}.png`): ReferenceImage {
  return { bytes: makeImage({ mimeType: 'image/png', width: 96, height: 64, seed }).bytes, mimeType: 'image/png', name };
}

function setup(options: Partial<ReferencePartOptions> & { on?: FakeGemini; onFallback?: (baseUrl: string) => void } = {}) {
  const store = memoryStore();
  const fallbacks: string[] = [];
  const cache = new UploadCache(store, {
    onFallback: (baseUrl) => {
      fallbacks.push(baseUrl);
      options.onFallback?.(baseUrl);
    },
  });
  const c = client(options.on);
  const opts: ReferencePartOptions = { client: c, cache, mode: 'files', wait: { intervalMs: 5 }, log, ...options };
  return { store, cache, client: c, opts, fallbacks };
}

function uploadSteps(on: FakeGemini = server) {
  return on.requests.filter((r) => r.path.startsWith('/upload/') && r.query.upload_id);
}
function uploadRequests(on: FakeGemini = server) {
  return on.requests.filter((r) => r.path.startsWith('/upload/'));
}

async function edit(c: GeminiClient, references: Part[]) {
  return c.generateContent(MODEL, buildImageRequest({ prompt: 'make it blue', model: MODEL, references }), memorySink());
}

function lastGenerateParts(on: FakeGemini = server): Part[] {
  const req = on.requests.filter((r) => r.path.endsWith(':generateContent')).at(-1)!;
  return (req.body as { contents: { parts: Part[] }[] }).contents.at(-1)!.parts;
}

describe('reference images through the Files API cache', () => {
  test('files mode: uploaded once, sent as fileData with the server uri; the second use uploads nothing', async () => {
    const { opts, store } = setup();
    const ref = image();
    const part = await referencePart(ref, opts);
    const [file] = [...server.files.values()];
    assert.deepEqual(part, { fileData: { mimeType: 'image/png', fileUri: file.uri } });
    assert.deepEqual(file.bytes, Buffer.from(ref.bytes));
    await edit(opts.client, [part]);
    assert.deepEqual(lastGenerateParts().slice(1), [{ fileData: { mimeType: 'image/png', fileUri: file.uri } }]);
    const uploadsAfterFirst = uploadRequests().length;
    assert.equal(uploadsAfterFirst, 2);

    const again = await referencePart({ ...ref, name: 'renamed.png' }, opts);
    await edit(opts.client, [again]);
    assert.equal(uploadRequests().length, uploadsAfterFirst, 'the second edit with the same image uploads nothing');
    assert.deepEqual(lastGenerateParts().slice(1), [{ fileData: { mimeType: 'image/png', fileUri: file.uri } }]);

    const persisted = JSON.stringify(store.value);
    assert.ok(!persisted.includes(KEY), 'the cache never holds the key');
    assert.ok(Object.keys((store.value as UploadCacheState).files).every((k) => k.startsWith(`${server.url}#key:`)));
    assert.ok(log.lines.every((l) => !l.includes(KEY)));
  });

  test('inline mode never touches /upload', async () => {
    const { opts } = setup({ mode: 'inline' });
    const ref = image();
    for (let i = 0; i < 3; i++) {
      const part = await referencePart(ref, opts);
      assert.deepEqual(part, { inlineData: { mimeType: 'image/png', data: Buffer.from(ref.bytes).toString('base64') } });
      await edit(opts.client, [part]);
    }
    assert.equal(uploadRequests().length, 0);
  });

  test('auto mode: small images inline on first use, uploaded when used twice, then reused; big ones uploaded at once', async () => {
    const { opts } = setup({ mode: 'auto', autoThresholdBytes: 1024 * 1024 });
    const small = image(2);
    assert.ok(small.bytes.byteLength < 1024 * 1024);
    const first = await referencePart(small, opts);
    assert.ok(first.inlineData);
    assert.equal(uploadRequests().length, 0);
    const second = await referencePart(small, opts);
    assert.ok(second.fileData, 'the second use goes through the Files API');
    assert.equal(uploadSteps().length, 1);
    const third = await referencePart(small, opts);
    assert.deepEqual(third, second);
    assert.equal(uploadSteps().length, 1);

    const usedBefore = await referencePart(image(3), { ...opts, usedBefore: true });
    assert.ok(usedBefore.fileData, '"Use as reference" on a result counts as a reuse');

    const big = await referencePart(image(4), { ...opts, autoThresholdBytes: 100 });
    assert.ok(big.fileData);
    assert.equal(uploadSteps().length, 3);
  });

  test('an entry close to its expirationTime is not reused: the image is uploaded again', async () => {
    const { opts, store } = setup();
    const ref = image(5);
    const first = await referencePart(ref, opts);
    const state = store.value as UploadCacheState;
    for (const entry of Object.values(state.files)) entry.expirationTime = new Date(Date.now() + 30 * 60_000).toISOString();
    const second = await referencePart(ref, opts);
    assert.equal(uploadSteps().length, 2);
    assert.notEqual(second.fileData?.fileUri, first.fileData?.fileUri);
    await edit(opts.client, [second]);
  });

  test('an entry not confirmed for a while is checked with GET; gone on the server, it is uploaded again', async () => {
    let now = Date.now();
    const store = memoryStore();
    const cache = new UploadCache(store, { verifyAfterMs: 3600_000, now: () => now });
    const opts: ReferencePartOptions = { client: client(), cache, mode: 'files', log };
    const ref = image(6);
    const first = await referencePart(ref, opts);
    now += 2 * 3600_000;
    const checked = await referencePart(ref, opts);
    assert.deepEqual(checked, first, 'still there: reused after one GET');
    const name = [...server.files.keys()][0];
    assert.equal(server.requests.filter((r) => r.method === 'GET' && r.path === `/v1beta/${name}`).length, 1);
    assert.equal(uploadSteps().length, 1);

    now += 2 * 3600_000;
    server.expire(name);
    const fresh = await referencePart(ref, opts);
    assert.notEqual(fresh.fileData?.fileUri, first.fileData?.fileUri);
    assert.equal(uploadSteps().length, 2);
    await edit(opts.client, [fresh]);
  });

  test('a 403 from generateContent for a cached file: the entry is dropped and the image uploaded again', async () => {
    const { opts, cache } = setup();
    const ref = image(7);
    const first = await referencePart(ref, opts);
    server.expire([...server.files.keys()][0]);
    let attempts = 0;
    const reply = await withFreshReferences(
      cache,
      () => referenceParts([ref], opts),
      (parts) => {
        attempts++;
        return edit(opts.client, parts);
      },
    );
    assert.equal(attempts, 2);
    assert.equal(reply.images.length, 1);
    assert.equal(uploadSteps().length, 2);
    const sent = lastGenerateParts()[1].fileData!.fileUri;
    assert.notEqual(sent, first.fileData!.fileUri);
    const statuses = server.requests.filter((r) => r.path.endsWith(':generateContent')).map((r) => r.status);
    assert.deepEqual(statuses, [403, 200]);
  });

  test('a 403 not about our files is passed on untouched', async () => {
    const { opts, cache } = setup({ mode: 'inline' });
    server.enqueue({ kind: 'permission' });
    let caught: unknown;
    await withFreshReferences(cache, () => referenceParts([image(8)], opts), (parts) => edit(opts.client, parts)).catch((e) => (caught = e));
    assert.ok(caught instanceof GeminiError && caught.kind === 'permission');
    assert.equal(server.requests.filter((r) => r.path.endsWith(':generateContent')).length, 1);
  });

  test('PROCESSING is polled until ACTIVE before the file is used', async () => {
    const { opts } = setup();
    server.enqueueUpload({ processingPolls: 2 });
    const part = await referencePart(image(9), opts);
    const name = [...server.files.keys()][0];
    assert.equal(server.files.get(name)!.state, 'ACTIVE');
    assert.equal(server.requests.filter((r) => r.method === 'GET' && r.path === `/v1beta/${name}`).length, 3);
    const reply = await edit(opts.client, [part]);
    assert.equal(reply.images.length, 1);
  });

  test('a relay without the upload route: inlineData, onFallback once across two calls, no second attempt', async () => {
    const relay = await start({ uploadRoute: false });
    const { opts, fallbacks, store } = setup({ on: relay });
    const ref = image(10);
    const one = await referencePart(ref, opts);
    assert.ok(one.inlineData);
    await edit(opts.client, [one]);
    const two = await referencePart(image(11), opts);
    assert.ok(two.inlineData);
    await edit(opts.client, [two]);
    assert.deepEqual(fallbacks, [relay.url]);
    assert.equal(uploadRequests(relay).length, 1, 'the missing route is remembered for the base URL');
    assert.ok(!JSON.stringify(store.value).includes(KEY));

    // Another UploadCache on the same store (a new window): still known, still not told again.
    const later = new UploadCache(store, { onFallback: (b) => fallbacks.push(b) });
    const three = await referencePart(ref, { ...opts, cache: later });
    assert.ok(three.inlineData);
    assert.deepEqual(fallbacks, [relay.url]);
    assert.equal(uploadRequests(relay).length, 1);
  });

  test('auto mode with a relay without the upload route inlines too', async () => {
    const relay = await start({ uploadRoute: false });
    const { opts, fallbacks } = setup({ on: relay, mode: 'auto', autoThresholdBytes: 10 });
    const part = await referencePart(image(12), opts);
    assert.ok(part.inlineData);
    assert.equal(fallbacks.length, 1);
  });

  test('the same image twice in one request uploads once', async () => {
    const { opts } = setup();
    const ref = image(13);
    const parts = await referenceParts([ref, { ...ref, name: 'copy.png' }], opts);
    assert.equal(uploadSteps().length, 1);
    assert.deepEqual(parts[0], parts[1]);
  });

  test('another key on the same base URL does not reuse the first key\'s uploads', async () => {
    const other = await start({ apiKeys: [KEY, 'second-key-Zz11'] });
    const store = memoryStore();
    const cache = new UploadCache(store);
    const mk = (apiKey: string) => new GeminiClient({ endpoint: { baseUrl: other.url, apiKey, authStyle: 'x-goog-api-key' }, maxRetries: 0, timeoutMs: 10_000 });
    const ref = image(14);
    const a = await referencePart(ref, { client: mk(KEY), cache, mode: 'files' });
    const b = await referencePart(ref, { client: mk('second-key-Zz11'), cache, mode: 'files' });
    assert.notEqual(a.fileData?.fileUri, b.fileData?.fileUri);
    assert.equal(uploadSteps(other).length, 2);
    assert.ok(!JSON.stringify(store.value).includes('second-key-Zz11'));
  });

  test('maxReferenceImages follows the documented limits', () => {
    assert.equal(maxReferenceImages('gemini-nano-banana-2.1'), 14);
    assert.equal(maxReferenceImages('models/gemini-3-pro-image'), 14);
    assert.equal(maxReferenceImages('gemini-3.1-flash-image'), 14);
    // A relay keeping the retired 2.5 Flash Image under its old name: the catalogue still knows its limit.
    assert.equal(maxReferenceImages('gemini-2.5-flash-image'), 3);
    // Unknown ids get permissive defaults: the model decides.
    assert.equal(maxReferenceImages('some-relay-alias'), 14);
  });
});
