// The client and the file pipeline against the stand-in Gemini server when things go wrong: every
// failure typed, retried only when it can help, with nothing left behind; the auth styles that
// reach the server, and a relay's quirks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { assertKeyNowhere, client, dir, KEY, run, server, useStandIn } from '../support/generateImagesHarness';
import { listFiles } from '../support/tempWorkspace';
import { freePort, rejectsWith } from '../support/testHelpers';

useStandIn();

describe('generateImages against the stand-in server', () => {
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
