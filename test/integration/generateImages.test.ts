// The client and the file pipeline against the stand-in Gemini server: bytes on disk, the request
// the server saw, names never overwritten, and every failure typed, with nothing left behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DestinationError } from '../../src/core/destination';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import type { AuthStyle } from '../../src/gemini/types';
import { generateImages, type GenerateImagesInput } from '../../src/generation/generateImages';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { itxt, withoutTextChunks } from '../support/pngChunks';
import { captureLog, listFiles, tempDir } from '../support/tempWorkspace';
import { freePort, rejectsWith } from '../support/testHelpers';

const KEY = 'test-key-Zq81';
let server: FakeGemini;
let dir: { path: string; cleanup(): void };
let log: ReturnType<typeof captureLog>;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY] });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => {
  server.reset();
  dir?.cleanup();
  dir = tempDir();
  log = captureLog();
});

function client(options: Partial<ClientOptions> = {}, authStyle: AuthStyle = 'x-goog-api-key') {
  return new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle }, maxRetries: 2, timeoutMs: 10_000, log, ...options });
}

function run(overrides: Partial<GenerateImagesInput> = {}) {
  const prompt = 'a lighthouse at dawn';
  return generateImages({
    client: client(),
    model: 'gemini-nano-banana-2.1',
    request: buildImageRequest({ prompt, model: 'gemini-nano-banana-2.1', aspectRatio: '16:9' }),
    count: 1,
    targetPath: (ext) => join(dir.path, 'images', `a-lighthouse-at-dawn.${ext}`),
    tempDir: join(dir.path, 'images'),
    ...overrides,
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function assertKeyNowhere(...texts: string[]) {
  for (const t of [...texts, ...log.lines]) assert.ok(!t.includes(KEY), `the key leaked into: ${t.slice(0, 200)}`);
}

describe('generateImages against the stand-in server', () => {
  test('one image: the file holds exactly the bytes the server sent, and the request is as documented', async () => {
    const result = await run();
    assert.equal(result.images.length, 1);
    const image = result.images[0];
    assert.equal(image.path, join(dir.path, 'images', 'a-lighthouse-at-dawn.png'));
    assert.deepEqual(readFileSync(image.path), server.sentImages[0]);
    assert.deepEqual([image.width, image.height], [1344, 768]);
    assert.deepEqual(result.texts, ['Here is your image.']);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);

    const seen = server.requests.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.path, '/v1beta/models/gemini-nano-banana-2.1:generateContent');
    assert.equal(seen.headers['x-goog-api-key'], KEY);
    assert.deepEqual(seen.query, {});
    assert.deepEqual(seen.body, {
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    assertKeyNowhere();
  });

  test('N images are N parallel requests, never candidateCount, named -1, -2', async () => {
    const result = await run({ count: 3 });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn-1.png', 'images/a-lighthouse-at-dawn-2.png', 'images/a-lighthouse-at-dawn.png']);
    assert.deepEqual(new Set(result.images.map((i) => sha(readFileSync(i.path)))), new Set(server.sentImages.map(sha)));
    for (const r of server.requests) assert.equal((r.body as { generationConfig: Record<string, unknown> }).generationConfig.candidateCount, undefined);
  });

  test('an existing file is never overwritten', async () => {
    mkdirSync(join(dir.path, 'images'));
    writeFileSync(join(dir.path, 'images', 'a-lighthouse-at-dawn.png'), 'precious');
    const result = await run();
    assert.equal(readFileSync(join(dir.path, 'images', 'a-lighthouse-at-dawn.png'), 'utf8'), 'precious');
    assert.equal(result.images[0].path, join(dir.path, 'images', 'a-lighthouse-at-dawn-1.png'));
  });

  test('two generations racing for one name both keep their image', async () => {
    const [a, b] = await Promise.all([run(), run()]);
    assert.notEqual(a.images[0].path, b.images[0].path);
    assert.equal(listFiles(dir.path).length, 2);
  });

  test('JPEG replies are saved as .jpg, and snake_case / data-URL / draft images are handled', async () => {
    server.enqueue({ kind: 'image', mimeType: 'image/jpeg' }, { kind: 'image', dataUrlInText: true }, { kind: 'image', thoughtImages: 2 }, { kind: 'image', keyOrder: 'dataFirst', escapeSlashes: true });
    const jpeg = await run();
    assert.match(jpeg.images[0].path, /\.jpg$/);
    const dataUrl = await run();
    const drafts = await run();
    const escaped = await run();
    const finals = server.sentImages;
    assert.deepEqual(readFileSync(jpeg.images[0].path), finals[0]);
    assert.deepEqual(readFileSync(dataUrl.images[0].path), finals[1]);
    assert.deepEqual(readFileSync(drafts.images[0].path), finals[2]);
    assert.deepEqual(readFileSync(escaped.images[0].path), finals[3]);
    assert.equal(drafts.images.length, 1, 'draft images are not saved');
    assert.equal(listFiles(dir.path).length, 4);
  });

  test('a safety block writes nothing and says which', async () => {
    server.enqueue({ kind: 'promptBlocked', blockReason: 'SAFETY' });
    const e = await rejectsWith(run(), 'blocked');
    assert.equal(e.details.blockReason, 'SAFETY');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('no image with text: the model text and finish reason come back, nothing written', async () => {
    server.enqueue({ kind: 'finish', finishReason: 'NO_IMAGE', text: 'I can only draw cats.' });
    const e = await rejectsWith(run(), 'noImage');
    assert.equal(e.details.finishReason, 'NO_IMAGE');
    assert.match(e.details.modelText ?? '', /only draw cats/);
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('IMAGE_SAFETY is a block; only draft images is "no image"', async () => {
    server.enqueue({ kind: 'finish', finishReason: 'IMAGE_SAFETY' }, { kind: 'onlyThoughtImages' });
    await rejectsWith(run(), 'blocked');
    await rejectsWith(run(), 'noImage');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('429 with RetryInfo is retried after the delay', async () => {
    server.enqueue({ kind: 'rateLimited', retryDelaySeconds: 0.3 });
    const started = Date.now();
    const retries: number[] = [];
    const result = await run({ onRetry: (_a, delay) => retries.push(delay) });
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual(retries, [300]);
    assert.equal(server.requests.length, 2);
    assert.equal(result.images.length, 1);
  });

  test('503 is retried with backoff, then reported with the attempts', async () => {
    server.enqueue({ kind: 'unavailable' }, { kind: 'unavailable' }, { kind: 'unavailable' });
    const e = await rejectsWith(run({ client: client({ maxRetries: 2 }) }), 'server');
    assert.equal(e.details.status, 503);
    assert.equal(e.details.attempts, 3);
    assert.equal(server.requests.length, 3);
  });

  test('400, a bad key, 403 and 404 are never retried', async () => {
    server.enqueue({ kind: 'badRequest' });
    await rejectsWith(run(), 'badRequest');
    server.enqueue({ kind: 'badKey' });
    await rejectsWith(run(), 'auth');
    server.enqueue({ kind: 'permission' });
    await rejectsWith(run(), 'permission');
    const e = await rejectsWith(run({ model: 'gemini-9-imaginary' }), 'notFound');
    assert.match(e.details.serverMessage ?? '', /not found/i);
    assert.equal(server.requests.length, 4);
    assertKeyNowhere(e.message);
  });

  test('a wrong key is the server\'s "API key not valid", not retried', async () => {
    const wrong = new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: 'wrong-key', authStyle: 'x-goog-api-key' }, maxRetries: 3 });
    const e = await rejectsWith(run({ client: wrong }), 'auth');
    assert.match(e.details.serverMessage ?? '', /API key not valid/);
    assert.equal(server.requests.length, 1);
  });

  test('an HTML 502 from a proxy is summarised', async () => {
    server.enqueue({ kind: 'proxyHtml', status: 502 }, { kind: 'proxyHtml', status: 502 }, { kind: 'proxyHtml', status: 502 });
    const e = await rejectsWith(run({ client: client({ maxRetries: 2 }) }), 'proxy');
    assert.equal(e.details.status, 502);
    assert.match(e.details.bodyExcerpt ?? '', /Bad Gateway/);
    assert.ok(!/<html|<body/i.test(e.details.bodyExcerpt ?? ''));
  });

  test('bearer and query auth styles reach the server as such, and the key is not logged', async () => {
    await run({ client: client({}, 'bearer') });
    assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(server.requests.at(-1)!.headers['x-goog-api-key'], undefined);
    await run({ client: client({}, 'query') });
    assert.equal(server.requests.at(-1)!.query.key, KEY);
    assertKeyNowhere();
  });

  test('cancel during a slow request aborts it: no file, the server saw the abort', async () => {
    server.enqueue({ kind: 'hang' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    await rejectsWith(run({ signal: abort.signal }), 'cancelled');
    await server.idle(3000);
    assert.equal(server.requests.at(-1)!.aborted, true);
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('cancel in the middle of a slowly arriving image leaves no partial file', async () => {
    server.enqueue({ kind: 'image', bytes: 2_000_000, chunkSize: 64 * 1024, chunkDelayMs: 40 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await rejectsWith(run({ signal: abort.signal }), 'cancelled');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('a reply that never comes times out', async () => {
    server.enqueue({ kind: 'hang' });
    await rejectsWith(run({ client: client({ timeoutMs: 400, maxRetries: 0 }) }), 'timeout');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('connection reset mid-body, truncated JSON, bad base64 and an unknown image type leave nothing', async () => {
    server.enqueue({ kind: 'reset' });
    await rejectsWith(run({ client: client({ maxRetries: 0 }) }), 'network');
    server.enqueue({ kind: 'truncated' });
    await rejectsWith(run(), 'badResponse');
    server.enqueue({ kind: 'badBase64' });
    await rejectsWith(run(), 'badResponse');
    server.enqueue({ kind: 'unknownMime' });
    await rejectsWith(run(), 'badResponse');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('connection refused is a network error', async () => {
    const port = await freePort();
    const refused = new GeminiClient({ endpoint: { baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 1, maxRetryDelayMs: 10 });
    const e = await rejectsWith(run({ client: refused }), 'network');
    assert.match(e.message, /ECONNREFUSED/);
  });

  test('metadata goes into the PNG before it gets its name; the hash is of the bytes the model sent', async () => {
    const result = await run({ metadataFor: (image) => ({ version: 1, prompt: '一座灯塔 🌅', model: 'm', imageSize: '1K', width: image.width, height: image.height }) });
    const image = result.images[0];
    const saved = readFileSync(image.path);
    assert.deepEqual(withoutTextChunks(saved), server.sentImages[0]);
    assert.equal(image.sha256, sha(server.sentImages[0]));
    assert.equal(itxt(saved).Description, '一座灯塔 🌅');
    assert.match(itxt(saved).GeminiImageStudio, /"imageSize":"1K".*"width":1344,"height":768/);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);
  });

  test('JPEG metadata goes to a sidecar; the image bytes stay as sent', async () => {
    server.enqueue({ kind: 'image', mimeType: 'image/jpeg' });
    const result = await run({ metadataFor: () => ({ version: 1, prompt: 'p' }) });
    assert.deepEqual(readFileSync(result.images[0].path), server.sentImages[0]);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.jpg', 'images/a-lighthouse-at-dawn.jpg.json']);
  });

  test('a very large reply (a ~30 MB image, ~40 MB of JSON) is saved intact', async () => {
    server.enqueue({ kind: 'image', bytes: 30_000_000 });
    const result = await run();
    const saved = readFileSync(result.images[0].path);
    assert.ok(saved.length > 25_000_000, `only ${saved.length} bytes`);
    assert.equal(sha(saved), sha(server.sentImages[0]));
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);
  });

  test('a destination that cannot be written is a DestinationError naming it, with nothing left', async () => {
    writeFileSync(join(dir.path, 'images'), 'a file where the folder should be');
    let caught: unknown;
    await run().catch((e) => (caught = e));
    assert.ok(caught instanceof DestinationError, String(caught));
    assert.equal(caught.reason, 'notWritable');
    assert.match(caught.detail, /images/);
    assert.deepEqual(listFiles(dir.path), ['images']);
    assert.equal(readFileSync(join(dir.path, 'images'), 'utf8'), 'a file where the folder should be');
  });

  test('temporary files left by a window that closed mid-generation are swept, recent ones kept', async () => {
    mkdirSync(join(dir.path, 'images'));
    const stale = join(dir.path, 'images', '.gemini-image-0123456789ab.part');
    const fresh = join(dir.path, 'images', '.gemini-image-ba9876543210.part');
    writeFileSync(stale, 'half an image');
    writeFileSync(fresh, 'another window is writing this');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, old, old);
    await run();
    assert.deepEqual(listFiles(dir.path), ['images/.gemini-image-ba9876543210.part', 'images/a-lighthouse-at-dawn.png']);
  });

  test('plain http to a remote host is refused before anything is sent', async () => {
    const insecure = new GeminiClient({ endpoint: { baseUrl: 'http://relay.example', apiKey: KEY, authStyle: 'x-goog-api-key' } });
    await rejectsWith(run({ client: insecure }), 'insecureUrl');
    assert.equal(server.requests.length, 0);
  });
});

describe('relay quirks', () => {
  let relay: FakeGemini;
  before(async () => {
    relay = await startFakeGemini({ apiKeys: [KEY], snakeCase: true, authStyles: ['bearer'] });
  });
  after(() => relay.close());

  test('a snake_case relay that only takes a bearer token works', async () => {
    const c = new GeminiClient({ endpoint: { baseUrl: `${relay.url}/v1beta/`, apiKey: KEY, authStyle: 'bearer' } });
    const result = await run({ client: c });
    assert.deepEqual(readFileSync(result.images[0].path), relay.sentImages[0]);
  });
});
