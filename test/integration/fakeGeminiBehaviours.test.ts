// The stand-in's queued behaviours: each one (image variants, delays, Google errors, proxy pages,
// blocks, cut or hanging connections, bad payloads) must do what it says.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { startFakeGemini } from '../support/fakeGemini';
import { decodePng, imageInfo } from '../support/fakeGemini/inspect';
import { assertGoogleError, generate, IMAGE_MODEL, imageBytes, imageParts, KEY, parts, request, server, useFakeGemini, type Json } from '../support/fakeGeminiCalls';

useFakeGemini();

describe('queued behaviours', () => {
  test('run in FIFO order, then the default; unknown kinds and options throw at enqueue', async () => {
    server.enqueue({ kind: 'internal' }, { kind: 'unavailable' });
    assert.equal((await generate(server)).status, 500);
    assert.equal((await generate(server)).status, 503);
    assert.equal((await generate(server)).status, 200);
    server.setDefault({ kind: 'textOnly', text: 'words only' });
    assert.equal(parts(await generate(server))[0].text, 'words only');
    assert.throws(() => server.enqueue({ kind: 'explode' } as never), /unknown behaviour kind "explode"/);
    assert.throws(() => server.enqueue({ kind: 'image', colour: 'red' } as never), /no option colour/);
    assert.throws(() => server.enqueue({ kind: 'image', mimeType: 'image/gif' } as never), /mimeType/);
    assert.equal(server.requests.at(-1)?.behaviour, 'textOnly');
  });

  test('image: count, JPEG and WebP, an empty text', async () => {
    server.enqueue({ kind: 'image', count: 3, text: '' }, { kind: 'image', mimeType: 'image/jpeg' }, { kind: 'image', mimeType: 'image/webp' });
    const three = await generate(server, request({}, { imageConfig: { aspectRatio: '4:3' } }));
    assert.equal(parts(three).length, 3);
    const hashes = new Set(imageParts(three).map((p) => createHash('sha256').update(imageBytes(p)).digest('hex')));
    assert.equal(hashes.size, 3, 'each image differs');
    const jpeg = imageBytes(imageParts(await generate(server))[0]);
    assert.equal(imageParts(await generate(server, request({}, { imageConfig: { aspectRatio: '9:16' } })))[0].inlineData.mimeType, 'image/webp');
    assert.deepEqual(imageInfo(jpeg), { type: 'jpeg', width: 1024, height: 1024 });
    assert.equal(jpeg.readUInt16BE(jpeg.length - 2), 0xffd9, 'JPEG ends with EOI');
    const webp = server.sentImages[4];
    assert.deepEqual(imageInfo(webp), { type: 'webp', width: 768, height: 1344 });
    assert.equal(webp.readUInt32LE(4), webp.length - 8, 'RIFF size');
  });

  test('image: bytes makes an incompressible image of about that size', async () => {
    server.enqueue({ kind: 'image', bytes: 3_000_000 });
    const answer = await generate(server);
    const file = imageBytes(imageParts(answer)[0]);
    assert.ok(Math.abs(file.length - 3_000_000) < 150_000, `${file.length} bytes`);
    assert.ok(deflateSync(file, { level: 1 }).length > file.length * 0.98, 'noise does not compress');
    const png = decodePng(file);
    assert.ok(Math.abs(png.width / png.height - 1) < 0.01, 'keeps the aspect ratio');
  });

  test('image: thoughtImages come first, marked thought, each with a signature', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 2 });
    const answer = await generate(server, request(), 'gemini-3-pro-image');
    const all = parts(answer);
    assert.deepEqual(all.map((p) => (p.thought ? 'draft' : p.text ? 'text' : 'image')), ['draft', 'draft', 'text', 'image']);
    assert.ok(all.filter((p) => p.inlineData).every((p) => typeof p.thoughtSignature === 'string'));
    assert.equal(server.sentThoughtImages.length, 2);
    assert.equal(server.sentImages.length, 1);
    assert.ok(server.sentImages[0].equals(imageBytes(all[3])));
  });

  test('image: dataUrlInText puts the image in a markdown data URL', async () => {
    server.enqueue({ kind: 'image', dataUrlInText: true });
    const answer = await generate(server);
    assert.equal(parts(answer).length, 1);
    const match = /!\[image\]\(data:image\/png;base64,([A-Za-z0-9+/=]+)\)/.exec(parts(answer)[0].text);
    assert.ok(match, parts(answer)[0].text.slice(0, 100));
    assert.ok(Buffer.from(match[1], 'base64').equals(server.sentImages[0]));
  });

  test('image: escapeSlashes, keyOrder dataFirst', async () => {
    server.enqueue({ kind: 'image', escapeSlashes: true }, { kind: 'image', keyOrder: 'dataFirst' });
    const escaped = await generate(server);
    assert.match(escaped.text, /"image\\\/png"/);
    assert.doesNotMatch(escaped.text.replace(/\\\//g, ''), /\//, 'every slash escaped');
    assert.ok(imageBytes(imageParts(escaped)[0]).equals(server.sentImages[0]));
    const reordered = await generate(server);
    const inline = reordered.text.slice(reordered.text.indexOf('"inlineData"'));
    assert.ok(inline.indexOf('"data"') < inline.indexOf('"mimeType"'));
  });

  test('delayMs and chunkDelayMs slow the answer down', async () => {
    server.enqueue({ kind: 'image', delayMs: 250 }, { kind: 'image', chunkDelayMs: 40, chunkSize: 20_000 });
    const delayed = await generate(server);
    assert.ok(delayed.ms >= 240, `${delayed.ms} ms`);
    const chunked = await generate(server);
    const pieces = Math.ceil(Buffer.byteLength(chunked.text) / 20_000);
    assert.ok(pieces >= 3);
    assert.ok(chunked.ms >= (pieces - 1) * 40 - 10, `${chunked.ms} ms for ${pieces} pieces`);
    assert.ok(imageBytes(imageParts(chunked)[0]).equals(server.sentImages[1]));
    const slow = await startFakeGemini({ defaultDelayMs: 200 });
    try {
      const answer = await generate(slow);
      assert.equal(answer.status, 200);
      assert.ok(answer.ms >= 190, `${answer.ms} ms`);
    } finally {
      await slow.close();
    }
  });

  test('Google errors: status, body and retry hints', async () => {
    server.enqueue(
      { kind: 'badRequest' },
      { kind: 'badKey' },
      { kind: 'permission' },
      { kind: 'notFound' },
      { kind: 'rateLimited', retryDelaySeconds: 2, retryAfter: 3 },
      { kind: 'rateLimited', retryDelaySeconds: null },
      { kind: 'internal' },
      { kind: 'unavailable' },
    );
    assertGoogleError(await generate(server), 400, 'INVALID_ARGUMENT');
    const badKey = await generate(server);
    assertGoogleError(badKey, 400, 'INVALID_ARGUMENT', /API key not valid/);
    assert.equal(badKey.json.error.details[0].reason, 'API_KEY_INVALID');
    assertGoogleError(await generate(server), 403, 'PERMISSION_DENIED');
    assertGoogleError(await generate(server), 404, 'NOT_FOUND', /is not found for API version v1beta/);
    const limited = await generate(server);
    assertGoogleError(limited, 429, 'RESOURCE_EXHAUSTED');
    assert.equal(limited.json.error.details.find((d: Json) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo').retryDelay, '2s');
    assert.equal(limited.headers.get('retry-after'), '3');
    const noHint = await generate(server);
    assert.equal(noHint.json.error.details.some((d: Json) => d['@type'].endsWith('RetryInfo')), false);
    assert.equal(noHint.headers.get('retry-after'), null);
    assertGoogleError(await generate(server), 500, 'INTERNAL');
    assertGoogleError(await generate(server), 503, 'UNAVAILABLE', /The model is overloaded\. Please try again later\./);
  });

  test('proxyHtml: an nginx page on 502 or 504', async () => {
    server.enqueue({ kind: 'proxyHtml' }, { kind: 'proxyHtml', status: 504 });
    const bad = await generate(server);
    assert.equal(bad.status, 502);
    assert.match(bad.headers.get('content-type') ?? '', /text\/html/);
    assert.match(bad.text, /<h1>502 Bad Gateway<\/h1>/);
    const timeout = await generate(server);
    assert.equal(timeout.status, 504);
    assert.match(timeout.text, /504 Gateway Time-out/);
  });

  test('blocks: promptBlocked, finish, onlyThoughtImages, textOnly', async () => {
    server.enqueue(
      { kind: 'promptBlocked' },
      { kind: 'promptBlocked', blockReason: 'PROHIBITED_CONTENT' },
      { kind: 'finish', finishReason: 'IMAGE_SAFETY', text: 'I cannot draw that.' },
      { kind: 'finish', finishReason: 'NO_IMAGE' },
      { kind: 'onlyThoughtImages', count: 2 },
      { kind: 'textOnly' },
    );
    const blocked = await generate(server);
    assert.equal(blocked.status, 200);
    assert.equal(blocked.json.candidates, undefined);
    assert.equal(blocked.json.promptFeedback.blockReason, 'SAFETY');
    assert.equal((await generate(server)).json.promptFeedback.blockReason, 'PROHIBITED_CONTENT');
    const safety = await generate(server);
    assert.equal(safety.json.candidates[0].finishReason, 'IMAGE_SAFETY');
    assert.deepEqual(parts(safety), [{ text: 'I cannot draw that.' }]);
    const noImage = await generate(server);
    assert.equal(noImage.json.candidates[0].finishReason, 'NO_IMAGE');
    assert.equal(noImage.json.candidates[0].content, undefined);
    const drafts = await generate(server);
    assert.equal(parts(drafts).length, 2);
    assert.ok(parts(drafts).every((p) => p.thought === true && p.inlineData));
    const textOnly = await generate(server);
    assert.equal(textOnly.json.candidates[0].finishReason, 'STOP');
    assert.ok(parts(textOnly).every((p) => typeof p.text === 'string' && !p.inlineData));
    assert.equal(server.sentImages.length, 0);
  });

  test('reset: headers, part of the body, then a dropped connection', async () => {
    server.enqueue({ kind: 'reset', afterBytes: 5000 });
    const res = await fetch(`${server.url}/v1beta/models/${IMAGE_MODEL}:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': KEY }, body: JSON.stringify(request()) });
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
    await server.idle();
    assert.equal(server.requests[0].aborted, false, 'the server cut it, the client did not abort');
  });

  test('truncated: a complete answer whose JSON stops short', async () => {
    server.enqueue({ kind: 'truncated', afterBytes: 300 });
    const answer = await generate(server);
    assert.equal(answer.status, 200);
    assert.equal(Buffer.byteLength(answer.text), 300);
    assert.throws(() => JSON.parse(answer.text));
    assert.ok(answer.text.startsWith('{'));
  });

  test('hang: no answer; a client abort is recorded', async () => {
    server.enqueue({ kind: 'hang' });
    // Measured from when the client starts: under load the request may reach the server late.
    const sentAt = Date.now();
    await assert.rejects(generate(server, request(), IMAGE_MODEL, { signal: AbortSignal.timeout(150) }));
    await server.idle();
    const record = server.requests[0];
    assert.equal(record.aborted, true);
    assert.equal(record.status, undefined);
    assert.ok(record.endedAt !== undefined && record.endedAt - sentAt >= 140, 'the server held the request until the client gave up');
  });

  test('badBase64 and unknownMime', async () => {
    server.enqueue({ kind: 'badBase64' }, { kind: 'unknownMime' });
    const bad = await generate(server);
    const data: string = imageParts(bad)[0].inlineData.data;
    assert.doesNotMatch(data, /^[A-Za-z0-9+/]*={0,2}$/);
    const unknown = await generate(server);
    const part = parts(unknown).find((p) => p.inlineData);
    assert.equal(part?.inlineData.mimeType, 'application/x-unknown');
    assert.equal(server.sentImages.length, 0);
  });
});
