// The Files API functions against the stand-in server: the resumable protocol as documented, the
// upload URL rebased for relays, PROCESSING polled, and a relay without the upload route detected.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { GeminiError } from '../../src/gemini/errors';
import { deleteFile, endpointId, getFile, isNoUploadRoute, uploadFile, uploadTarget, waitUntilActive } from '../../src/gemini/files';
import { closeDispatchers } from '../../src/gemini/http';
import type { AuthStyle } from '../../src/gemini/types';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '../support/fakeGemini';
import { makeImage } from '../support/fakeGemini/images';
import { captureLog } from '../support/tempWorkspace';
import { rejectsWith } from '../support/testHelpers';

const KEY = 'files-key-Qx74';
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

function client(on: FakeGemini = server, authStyle: AuthStyle = 'x-goog-api-key') {
  return new GeminiClient({ endpoint: { baseUrl: on.url, apiKey: KEY, authStyle }, maxRetries: 2, timeoutMs: 10_000, log });
}

const png = makeImage({ mimeType: 'image/png', width: 64, height: 48, seed: 1 }).bytes;

function uploads(on: FakeGemini = server) {
  return on.requests.filter((r) => r.path.startsWith('/upload/'));
}

describe('Files API against the stand-in server', () => {
  test('resumable upload: start then upload+finalize, with the documented headers and body', async () => {
    const file = await uploadFile(client(), png, 'image/png', 'sky.png');
    assert.match(file.name, /^files\/[a-z0-9]+$/);
    assert.equal(file.uri, `${server.url}/v1beta/${file.name}`);
    assert.equal(file.mimeType, 'image/png');
    assert.equal(file.sizeBytes, String(png.length));
    assert.equal(file.state, 'ACTIVE');
    assert.ok(file.expirationTime && Date.parse(file.expirationTime) > Date.now() + 47 * 3600_000);
    assert.deepEqual(server.files.get(file.name)?.bytes, png);
    assert.equal(server.files.get(file.name)?.displayName, 'sky.png');

    const [startReq, uploadReq] = uploads();
    assert.equal(uploads().length, 2);
    assert.equal(startReq.method, 'POST');
    assert.deepEqual(startReq.query, {});
    assert.equal(startReq.headers['x-goog-upload-protocol'], 'resumable');
    assert.equal(startReq.headers['x-goog-upload-command'], 'start');
    assert.equal(startReq.headers['x-goog-upload-header-content-length'], String(png.length));
    assert.equal(startReq.headers['x-goog-upload-header-content-type'], 'image/png');
    assert.equal(startReq.headers['x-goog-api-key'], KEY);
    assert.deepEqual(startReq.body, { file: { display_name: 'sky.png' } });

    assert.equal(uploadReq.headers['x-goog-upload-command'], 'upload, finalize');
    assert.equal(uploadReq.headers['x-goog-upload-offset'], '0');
    assert.equal(uploadReq.bodyBytes, png.length);
    assert.ok(uploadReq.query.upload_id, 'the bytes go to the session URL the server announced');
    // Same origin as the base URL: the key goes along (the official SDK does the same).
    assert.equal(uploadReq.headers['x-goog-api-key'], KEY);
    assert.ok(log.lines.every((l) => !l.includes(KEY)));
  });

  test('query-style auth: the key rides in the query of both steps, never in the log', async () => {
    await uploadFile(client(server, 'query'), png, 'image/png', 'q.png');
    const [startReq, uploadReq] = uploads();
    assert.equal(startReq.query.key, KEY);
    assert.equal(uploadReq.query.key, KEY);
    assert.equal(startReq.headers['x-goog-api-key'], undefined);
    assert.ok(log.lines.length > 0 && log.lines.every((l) => !l.includes(KEY)));
  });

  test('a relay that rewrites the upload URL host: the bytes are sent to the base URL instead', async () => {
    const relay = await start({ uploadUrlBase: 'http://uploads.relay.invalid:9' });
    const file = await uploadFile(client(relay), png, 'image/png', 'r.png');
    assert.deepEqual(relay.files.get(file.name)?.bytes, png);
    const [, uploadReq] = uploads(relay);
    assert.ok(uploadReq.query.upload_id);
  });

  test('uploadTarget: rebase onto a relay (keeping its path prefix); Google\'s own answer is left alone', () => {
    const relay = uploadTarget('https://relay.example/gemini/', 'https://10.0.0.7:8080/upload/v1beta/files?upload_id=abc&upload_protocol=resumable');
    assert.equal(relay.url.toString(), 'https://relay.example/gemini/upload/v1beta/files?upload_id=abc&upload_protocol=resumable');
    assert.equal(relay.sameOrigin, true);
    const prefixed = uploadTarget('https://relay.example/gemini', 'http://internal/gemini/upload/v1beta/files?upload_id=x');
    assert.equal(prefixed.url.toString(), 'https://relay.example/gemini/upload/v1beta/files?upload_id=x');
    const same = uploadTarget('https://generativelanguage.googleapis.com', 'https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=g');
    assert.deepEqual([same.url.toString(), same.sameOrigin], ['https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=g', true]);
    const other = uploadTarget('https://generativelanguage.googleapis.com', 'https://uploads.googleapis.com/upload/v1beta/files?upload_id=g');
    assert.equal(other.url.host, 'uploads.googleapis.com');
    assert.equal(other.sameOrigin, false, 'the key is never sent to a host the user did not configure');
  });

  test('get and delete; an expired file is notFound', async () => {
    const file = await uploadFile(client(), png, 'image/png', 'g.png');
    const got = await getFile(client(), file.name);
    assert.equal(got.uri, file.uri);
    assert.equal(got.state, 'ACTIVE');
    server.expire(file.name);
    await rejectsWith(getFile(client(), file.name), 'notFound');

    const other = await uploadFile(client(), png, 'image/png', 'd.png');
    await deleteFile(client(), other.name);
    assert.equal(server.files.has(other.name), false);
  });

  test('PROCESSING is polled with GET until ACTIVE', async () => {
    server.enqueueUpload({ processingPolls: 3 });
    const file = await uploadFile(client(), png, 'image/png', 'p.png');
    assert.equal(file.state, 'PROCESSING');
    const active = await waitUntilActive(client(), file, { intervalMs: 5 });
    assert.equal(active.state, 'ACTIVE');
    // Three GETs still say PROCESSING, the fourth ACTIVE; then no more.
    assert.equal(server.requests.filter((r) => r.method === 'GET' && r.path === `/v1beta/${file.name}`).length, 4);
  });

  test('polling is bounded, and FAILED is its own kind (uploadFailed), carrying File.error', async () => {
    server.enqueueUpload({ processingPolls: 50 }, { processingPolls: 1, endState: 'FAILED' });
    const slow = await uploadFile(client(), png, 'image/png', 's.png');
    const timedOut = await rejectsWith(waitUntilActive(client(), slow, { intervalMs: 1, maxPolls: 4 }), 'timeout');
    assert.match(timedOut.message, /still processing after 4 checks/);
    const failed = await uploadFile(client(), png, 'image/png', 'f.png');
    const e = await rejectsWith(waitUntilActive(client(), failed, { intervalMs: 1 }), 'uploadFailed');
    // File.error says why; the user reads Google's message.
    assert.equal(e.details.fileError, 'The file could not be processed: the image data is not supported.');
  });

  test('cancelling while polling stops at once', async () => {
    server.enqueueUpload({ processingPolls: 50 });
    const file = await uploadFile(client(), png, 'image/png', 'c.png');
    const controller = new AbortController();
    const waiting = waitUntilActive(client(), file, { intervalMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await rejectsWith(waiting, 'cancelled');
  });

  test('a relay without the upload route: a typed error after one request, no retries', async () => {
    const relay = await start({ uploadRoute: false });
    let caught: unknown;
    await uploadFile(client(relay), png, 'image/png', 'n.png').catch((e) => (caught = e));
    assert.ok(isNoUploadRoute(caught), `expected noUploadRoute, got ${caught}`);
    assert.equal((caught as GeminiError).details.status, 404);
    assert.equal(uploads(relay).length, 1);
  });

  test('a relay that starts a session but drops x-goog-upload-url counts as having no upload route', async () => {
    const stub = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end());
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const c = new GeminiClient({ endpoint: { baseUrl: url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0, timeoutMs: 5000 });
      let caught: unknown;
      await uploadFile(c, png, 'image/png', 'h.png').catch((e) => (caught = e));
      assert.ok(isNoUploadRoute(caught), `expected noUploadRoute, got ${caught}`);
    } finally {
      stub.closeAllConnections();
      await new Promise<void>((resolve) => stub.close(() => resolve()));
    }
  });

  test('endpointId: base URL and a key hash, never the key or URL credentials', () => {
    const id = endpointId({ baseUrl: 'https://user:secret@relay.example/v1beta/', apiKey: KEY });
    assert.match(id, /^https:\/\/relay\.example#key:[0-9a-f]{16}$/);
    assert.ok(!id.includes(KEY) && !id.includes('secret'));
    assert.notEqual(endpointId({ baseUrl: 'https://relay.example', apiKey: KEY }), id, 'the credentials still tell endpoints apart');
    assert.notEqual(endpointId({ baseUrl: 'https://relay.example', apiKey: 'other' }), endpointId({ baseUrl: 'https://relay.example', apiKey: KEY }));
    assert.equal(endpointId({ baseUrl: 'https://relay.example/', apiKey: KEY }), endpointId({ baseUrl: 'https://relay.example/v1beta', apiKey: KEY }));
  });
});
