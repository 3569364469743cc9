// The stand-in's Files API, exercised with plain fetch: resumable upload, get, list, use and
// delete, PROCESSING files, expiry and other keys, and relays that rewrite or lack the route.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { assertGoogleError, call, generate, IMAGE_MODEL, KEY, server, tinyPng, useFakeGemini, type Answer, type Json } from '../support/fakeGeminiCalls';

useFakeGemini();

describe('Files API', () => {
  async function startUpload(target: FakeGemini, bytes: Buffer, extra: Record<string, string> = {}, key = KEY): Promise<Answer> {
    return call(target, '/upload/v1beta/files', {
      key,
      body: { file: { display_name: 'reference.png' } },
      headers: {
        'X-Goog-Upload-Protocol': 'resumable',
        'X-Goog-Upload-Command': 'start',
        'X-Goog-Upload-Header-Content-Length': String(bytes.length),
        'X-Goog-Upload-Header-Content-Type': 'image/png',
        ...extra,
      },
    });
  }

  async function upload(target: FakeGemini, bytes: Buffer, key = KEY): Promise<Json> {
    const started = await startUpload(target, bytes, {}, key);
    assert.equal(started.status, 200, started.text);
    assert.equal(started.headers.get('x-goog-upload-status'), 'active');
    const url = started.headers.get('x-goog-upload-url');
    assert.match(url ?? '', /\/upload\/v1beta\/files\?upload_id=[^&]+&upload_protocol=resumable$/);
    const res = await fetch(url!, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'upload, finalize', 'X-Goog-Upload-Offset': '0' }, body: bytes });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-goog-upload-status'), 'final');
    return ((await res.json()) as Json).file as Json;
  }

  function useFile(file: Json): Json {
    return { contents: [{ parts: [{ text: 'like this' }, { fileData: { mimeType: 'image/png', fileUri: file.uri } }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } };
  }

  test('upload, get, list, use, delete', async () => {
    const bytes = tinyPng(64, 48);
    const file = await upload(server, bytes);
    assert.match(file.name, /^files\/[a-z0-9]+$/);
    assert.equal(file.uri, `${server.url}/v1beta/${file.name}`);
    assert.equal(file.displayName, 'reference.png');
    assert.equal(file.mimeType, 'image/png');
    assert.equal(file.sizeBytes, String(bytes.length));
    assert.equal(file.sha256Hash, createHash('sha256').update(bytes).digest('base64'));
    assert.equal(file.state, 'ACTIVE');
    assert.equal(file.source, 'UPLOADED');
    const lifetime = Date.parse(file.expirationTime) - Date.parse(file.createTime);
    assert.ok(Math.abs(lifetime - 48 * 3600 * 1000) < 5000);
    assert.ok(server.files.get(file.name)?.bytes.equals(bytes));

    assert.deepEqual((await call(server, `/v1beta/${file.name}`)).json, file);
    const second = await upload(server, tinyPng(2, 2));
    const page1 = await call(server, '/v1beta/files?pageSize=1');
    assert.deepEqual(page1.json.files.map((f: Json) => f.name), [second.name]);
    const page2 = await call(server, `/v1beta/files?pageSize=1&pageToken=${page1.json.nextPageToken}`);
    assert.deepEqual(page2.json.files.map((f: Json) => f.name), [file.name]);
    assert.equal(page2.json.nextPageToken, undefined);

    const used = await generate(server, useFile(file));
    assert.equal(used.status, 200, used.text.slice(0, 300));
    assert.equal(used.json.usageMetadata.promptTokensDetails[1].modality, 'IMAGE');

    assert.equal((await call(server, `/v1beta/${file.name}`, { method: 'DELETE' })).text.trim(), '{}');
    assertGoogleError(await call(server, `/v1beta/${file.name}`), 404, 'NOT_FOUND');
    assertGoogleError(await generate(server, useFile(file)), 403, 'PERMISSION_DENIED', /You do not have permission to access the File .* or it may not exist\./);
    assert.equal(server.requests.filter((r) => r.path.startsWith('/upload/')).length, 4);
  });

  test('an empty list is {}', async () => {
    assert.deepEqual((await call(server, '/v1beta/files')).json, {});
  });

  test('a size different from the declared length is refused', async () => {
    const started = await startUpload(server, Buffer.alloc(100), { 'X-Goog-Upload-Header-Content-Length': '100' });
    const res = await fetch(started.headers.get('x-goog-upload-url')!, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'upload, finalize', 'X-Goog-Upload-Offset': '0' }, body: tinyPng(4, 4) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as Json).error.message, /declared 100 bytes/);
    assert.equal(server.files.size, 0);
  });

  test('PROCESSING for the first N GETs, unusable until ACTIVE', async () => {
    server.enqueueUpload({ processingPolls: 2 });
    const file = await upload(server, tinyPng(4, 4));
    assert.equal(file.state, 'PROCESSING');
    assertGoogleError(await generate(server, useFile(file)), 400, 'FAILED_PRECONDITION', /not in an ACTIVE state/);
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await call(server, `/v1beta/${file.name}`)).json.state);
    assert.deepEqual(states, ['PROCESSING', 'PROCESSING', 'ACTIVE']);
    assert.equal((await generate(server, useFile(file))).status, 200);
  });

  test('expired files and other keys\' files cannot be read or used', async () => {
    const mine = await upload(server, tinyPng(4, 4));
    assertGoogleError(await call(server, `/v1beta/${mine.name}`, { key: 'other-key' }), 403, 'PERMISSION_DENIED');
    assertGoogleError(await generate(server, useFile(mine), IMAGE_MODEL, { key: 'other-key' }), 403, 'PERMISSION_DENIED');
    server.expire(mine.name);
    assertGoogleError(await call(server, `/v1beta/${mine.name}`), 404, 'NOT_FOUND');
    assertGoogleError(await generate(server, useFile(mine)), 403, 'PERMISSION_DENIED');
  });

  test('server options: processingPolls for every upload, a rewritten upload URL', async () => {
    const relay = await startFakeGemini({ processingPolls: 1, uploadUrlBase: 'http://127.0.0.1:9/relay' });
    try {
      const started = await startUpload(relay, Buffer.alloc(10));
      const url = new URL(started.headers.get('x-goog-upload-url')!);
      assert.equal(`${url.origin}${url.pathname}`, 'http://127.0.0.1:9/relay/upload/v1beta/files');
      const res = await fetch(`${relay.url}/upload/v1beta/files${url.search}`, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'upload, finalize', 'X-Goog-Upload-Offset': '0' }, body: Buffer.alloc(10) });
      const file = ((await res.json()) as Json).file as Json;
      assert.equal(file.state, 'PROCESSING');
      assert.equal((await call(relay, `/v1beta/${file.name}`)).json.state, 'PROCESSING');
      assert.equal((await call(relay, `/v1beta/${file.name}`)).json.state, 'ACTIVE');
    } finally {
      await relay.close();
    }
  });

  test('a relay without the upload route answers 404 HTML', async () => {
    const relay = await startFakeGemini({ uploadRoute: false });
    try {
      const answer = await startUpload(relay, Buffer.alloc(10));
      assert.equal(answer.status, 404);
      assert.match(answer.text, /<title>404 Not Found<\/title>/);
    } finally {
      await relay.close();
    }
  });
});
