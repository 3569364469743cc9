// The stand-in Gemini server, exercised with plain fetch: it must behave like the documented API
// (shared/gemini-api.md) and each queued behaviour must do what it says.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { decodePng, imageInfo } from '../support/fakeGemini/inspect';

const KEY = 'test-key';
const IMAGE_MODEL = 'gemini-nano-banana-2.1';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  ms: number;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function call(server: FakeGemini, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers['x-goog-api-key'] = opts.key ?? KEY;
  let body: string | Buffer | undefined;
  if (Buffer.isBuffer(opts.body)) body = opts.body;
  else if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = Date.now();
  const res = await fetch(`${server.url}${path}`, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: opts.signal });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON: the test looks at text
  }
  return { status: res.status, headers: res.headers, text, json, ms: Date.now() - started };
}

function request(extra: Json = {}, config: Json = { responseModalities: ['TEXT', 'IMAGE'] }): Json {
  return { contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }], generationConfig: config, ...extra };
}

function generate(server: FakeGemini, body: unknown = request(), model = IMAGE_MODEL, opts: CallOptions = {}): Promise<Answer> {
  return call(server, `/v1beta/models/${model}:generateContent`, { ...opts, body });
}

function parts(answer: Answer): Json[] {
  return answer.json.candidates[0].content.parts as Json[];
}

function imageParts(answer: Answer): Json[] {
  return parts(answer).filter((p) => p.inlineData && !p.thought);
}

function imageBytes(part: Json): Buffer {
  return Buffer.from(part.inlineData.data as string, 'base64');
}

function assertGoogleError(answer: Answer, code: number, status: string, message?: RegExp): void {
  assert.equal(answer.status, code, answer.text.slice(0, 500));
  assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(answer.json.error.code, code);
  assert.equal(answer.json.error.status, status);
  if (message) assert.match(answer.json.error.message, message);
}

/** A small valid PNG made here (not by the server), for reference images. */
function tinyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let server: FakeGemini;
before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY, 'other-key'] });
});
after(() => server.close());
beforeEach(() => server.reset());

describe('generateContent: a valid request', () => {
  test('returns text, then a decodable PNG of the asked size with a thought signature', async () => {
    const answer = await generate(server, request({}, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } }));
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(answer.json.candidates[0].finishReason, 'STOP');
    assert.equal(answer.json.candidates[0].content.role, 'model');
    assert.equal(answer.json.modelVersion, IMAGE_MODEL);
    assert.ok(answer.json.responseId);
    assert.ok(answer.json.usageMetadata.totalTokenCount > answer.json.usageMetadata.promptTokenCount);
    assert.equal(parts(answer)[0].text, 'Here is your image.');
    const [image] = imageParts(answer);
    assert.equal(image.inlineData.mimeType, 'image/png');
    assert.match(image.thoughtSignature, /^[A-Za-z0-9+/]{190,}={0,2}$/);
    const png = decodePng(imageBytes(image));
    assert.deepEqual([png.width, png.height], [1344, 768]);
    assert.deepEqual(png.chunkTypes.filter((t) => t !== 'IDAT'), ['IHDR', 'IEND']);
    const colours = new Set<string>();
    for (let i = 0; i < png.pixels.length; i += 3 * 997) colours.add(png.pixels.toString('hex', i, i + 3));
    assert.ok(colours.size > 20, `a placeholder picture, not a flat fill (${colours.size} colours)`);
    assert.equal(server.sentImages.length, 1);
    assert.ok(server.sentImages[0].equals(imageBytes(image)));
  });

  test('draws every documented aspect ratio at its 1K size', async () => {
    const sizes: Record<string, [number, number]> = {
      '1:1': [1024, 1024], '2:3': [832, 1248], '3:2': [1248, 832], '3:4': [864, 1184], '4:3': [1184, 864],
      '4:5': [896, 1152], '5:4': [1152, 896], '9:16': [768, 1344], '16:9': [1344, 768], '21:9': [1536, 672],
    };
    for (const [ratio, size] of Object.entries(sizes)) {
      const answer = await generate(server, request({}, { imageConfig: { aspectRatio: ratio } }));
      assert.equal(answer.status, 200, ratio);
      const info = imageInfo(imageBytes(imageParts(answer)[0]));
      assert.deepEqual([info?.width, info?.height], size, ratio);
    }
  });

  test('2K and 4K double and quadruple the size on Gemini 3 Pro; 512 halves it on 3.1 Flash', async () => {
    const cases: [string, string, string, number, number][] = [
      ['gemini-3-pro-image', '2K', '1:1', 2048, 2048],
      ['gemini-3-pro-image', '4K', '16:9', 5376, 3072],
      ['gemini-3.1-flash-image', '512', '1:1', 512, 512],
      ['gemini-3.1-flash-image', '1K', '1:4', 512, 2048],
    ];
    for (const [model, imageSize, aspectRatio, width, height] of cases) {
      const answer = await generate(server, request({}, { responseModalities: ['IMAGE'], imageConfig: { aspectRatio, imageSize } }), model);
      assert.equal(answer.status, 200, `${model} ${imageSize}: ${answer.text.slice(0, 300)}`);
      assert.equal(parts(answer).filter((p) => p.text).length, 0, 'IMAGE only: no text part');
      const info = imageInfo(imageBytes(imageParts(answer)[0]));
      assert.deepEqual([info?.width, info?.height], [width, height], `${model} ${imageSize} ${aspectRatio}`);
    }
  });

  test('a 1K image is made quickly', async () => {
    await generate(server); // warm up
    // The best of three: a loaded machine (two test processes on two cores) slows single runs.
    const answers = [await generate(server), await generate(server), await generate(server)];
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    const best = Math.min(...answers.map((a) => a.ms));
    assert.ok(best < 500, `took ${answers.map((a) => a.ms).join(', ')} ms`);
  });

  test('without an aspect ratio, an edit follows the reference image shape', async () => {
    const body = { contents: [{ parts: [{ text: 'make it blue' }, { inlineData: { mimeType: 'image/png', data: tinyPng(160, 90).toString('base64') } }] }] };
    const answer = await generate(server, body);
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    const info = imageInfo(imageBytes(imageParts(answer)[0]));
    assert.deepEqual([info?.width, info?.height], [1344, 768]);
    assert.equal(answer.json.usageMetadata.promptTokensDetails[1].modality, 'IMAGE');
  });

  test('accepts snake_case field names in the request, as the API does', async () => {
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'again' }, { inline_data: { mime_type: 'image/png', data: tinyPng(8, 8).toString('base64') } }] }],
      generation_config: { response_modalities: ['TEXT', 'IMAGE'], image_config: { aspect_ratio: '3:4' } },
    };
    const answer = await generate(server, body);
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(imageInfo(imageBytes(imageParts(answer)[0]))?.width, 864);
  });
});

describe('generateContent: what the API rejects', () => {
  test('unknown fields anywhere: 400 with the documented message format', async () => {
    const answer = await generate(server, { ...request({}, { responseModalities: ['IMAGE'], numberOfImages: 2, imageConfig: { aspectRatio: '1:1', style: 'x' } }), prompt: 'x' });
    assertGoogleError(answer, 400, 'INVALID_ARGUMENT');
    const message: string = answer.json.error.message;
    assert.match(message, /Invalid JSON payload received\. Unknown name "prompt": Cannot find field\./);
    assert.match(message, /Unknown name "numberOfImages" at 'generation_config': Cannot find field\./);
    assert.match(message, /Unknown name "style" at 'generation_config\.image_config': Cannot find field\./);
    const violations = answer.json.error.details[0].fieldViolations as Json[];
    assert.equal(answer.json.error.details[0]['@type'], 'type.googleapis.com/google.rpc.BadRequest');
    assert.equal(violations.length, 3);
    const part = await generate(server, { contents: [{ parts: [{ text: 'x', mime: 'y' }] }] });
    assertGoogleError(part, 400, 'INVALID_ARGUMENT', /Unknown name "mime" at 'contents\[0\]\.parts\[0\]'/);
    assert.equal(server.sentImages.length, 0);
  });

  test('candidateCount 2 on an image model', async () => {
    const answer = await generate(server, request({}, { candidateCount: 2 }));
    assertGoogleError(answer, 400, 'INVALID_ARGUMENT', /^Multiple candidates is not enabled for models\/gemini-nano-banana-2\.1/);
  });

  test('aspect ratios and image sizes a model does not take', async () => {
    const bad: [string, Json][] = [
      [IMAGE_MODEL, { aspectRatio: '7:3' }],
      ['gemini-3-pro-image', { aspectRatio: '1:4' }], // 3.1 Flash and newer only
      ['gemini-3.1-flash-lite-image', { imageSize: '2K' }], // 1K only
      [IMAGE_MODEL, { imageSize: '512' }], // 3.1 Flash only
      ['gemini-3-pro-image', { imageSize: '1k' }], // uppercase K
      ['gemini-3-pro-image', { imageSize: '512' }], // 3.1 Flash only
      ['gemini-3-pro-image', { imageSize: '8K' }],
    ];
    for (const [model, imageConfig] of bad) {
      const answer = await generate(server, request({}, { imageConfig }), model);
      assertGoogleError(answer, 400, 'INVALID_ARGUMENT');
      assert.match(answer.json.error.message, /aspect_ratio|image_size/, `${model} ${JSON.stringify(imageConfig)}`);
    }
  });

  test('the key: wrong is 400 API_KEY_INVALID, missing is 403, three places accepted', async () => {
    const wrong = await generate(server, request(), IMAGE_MODEL, { key: 'nope' });
    assertGoogleError(wrong, 400, 'INVALID_ARGUMENT', /API key not valid/);
    assert.equal(wrong.json.error.details.find((d: Json) => d['@type'].endsWith('ErrorInfo')).reason, 'API_KEY_INVALID');
    const missing = await generate(server, request(), IMAGE_MODEL, { key: null });
    assertGoogleError(missing, 403, 'PERMISSION_DENIED', /unregistered callers/);
    const bearer = await generate(server, request(), IMAGE_MODEL, { key: null, headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(bearer.status, 200);
    const query = await call(server, `/v1beta/models/${IMAGE_MODEL}:generateContent?key=${KEY}`, { key: null, body: request() });
    assert.equal(query.status, 200);
  });

  test('a relay that takes only Bearer ignores x-goog-api-key', async () => {
    const relay = await startFakeGemini({ authStyles: ['bearer'] });
    try {
      assertGoogleError(await generate(relay), 403, 'PERMISSION_DENIED');
      assert.equal((await generate(relay, request(), IMAGE_MODEL, { key: null, headers: { authorization: `Bearer ${KEY}` } })).status, 200);
    } finally {
      await relay.close();
    }
  });

  test('unknown models, and listed models that cannot generateContent: 404', async () => {
    const answer = await generate(server, request(), 'gemini-9-ultra-image');
    assertGoogleError(answer, 404, 'NOT_FOUND', /^models\/gemini-9-ultra-image is not found for API version v1beta/);
    assertGoogleError(await generate(server, request(), 'text-embedding-004'), 404, 'NOT_FOUND');
  });

  test('malformed contents and parts', async () => {
    const png = tinyPng(4, 4).toString('base64');
    const cases: [Json, RegExp][] = [
      [{ contents: [] }, /contents is not specified/],
      [{}, /contents is not specified/],
      [{ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, /valid role: user, model/],
      [{ contents: [{ parts: [] }] }, /parts must not be empty/],
      [{ contents: [{ parts: [{}] }] }, /required oneof field 'data'/],
      [{ contents: [{ parts: [{ text: 'x', inlineData: { mimeType: 'image/png', data: png } }] }] }, /Oneof field 'data' is already set/],
      [{ contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: 'not base64!' } }] }] }, /TYPE_BYTES\), Base64 decoding failed/],
      [{ contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: Buffer.from('hello, not an image').toString('base64') } }] }] }, /Unable to process input image/],
      [{ contents: [{ parts: [{ inlineData: { mimeType: 'image/gif', data: png } }] }] }, /Unsupported MIME type: image\/gif/],
      [{ contents: [{ parts: [{ text: 42 }] }] }, /Invalid value at 'contents\[0\]\.parts\[0\]\.text' \(TYPE_STRING\)/],
      [{ contents: [{ parts: [{ fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.png' } }] }] }, /Invalid or unsupported file uri/],
    ];
    for (const [body, message] of cases) {
      const answer = await generate(server, body);
      assertGoogleError(answer, 400, 'INVALID_ARGUMENT', message);
    }
    const notJson = await generate(server, '{"contents": [');
    assertGoogleError(notJson, 400, 'INVALID_ARGUMENT', /^Invalid JSON payload received/);
  });

  test('a body past the size limit', async () => {
    const small = await startFakeGemini({ maxRequestBytes: 2000 });
    try {
      const body = { contents: [{ parts: [{ text: 'x'.repeat(3000) }] }] };
      assertGoogleError(await generate(small, body), 400, 'INVALID_ARGUMENT', /Request payload size exceeds the limit: 2000 bytes/);
    } finally {
      await small.close();
    }
  });
});

describe('text models', () => {
  test('describe the images they receive, in text', async () => {
    const png = tinyPng(8, 8).toString('base64');
    const body = {
      contents: [{ parts: [{ text: 'Describe these for alt text.' }, { inlineData: { mimeType: 'image/png', data: png } }, { inlineData: { mimeType: 'image/png', data: png } }] }],
    };
    const answer = await generate(server, body, 'gemini-3.5-flash-lite');
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(parts(answer).length, 1);
    assert.match(parts(answer)[0].text, /received 2 images/);
    assert.equal(server.sentImages.length, 0);
  });

  test('refuse IMAGE in responseModalities', async () => {
    const answer = await generate(server, request(), 'gemini-3.1-flash-lite');
    assertGoogleError(answer, 400, 'INVALID_ARGUMENT', /response modalities/);
  });
});

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

describe('multi-turn editing: thought signatures', () => {
  async function firstTurn(model = 'gemini-3-pro-image'): Promise<Json[]> {
    const answer = await generate(server, request(), model);
    assert.equal(answer.status, 200);
    return [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }, answer.json.candidates[0].content];
  }

  function refine(history: Json[]): Json {
    return { contents: [...history, { role: 'user', parts: [{ text: 'now at night' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } };
  }

  test('the turns sent back exactly as received are accepted', async () => {
    const history = await firstTurn();
    const answer = await generate(server, refine(history), 'gemini-3-pro-image');
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(imageParts(answer).length, 1);
  });

  test('an altered, moved, missing or foreign signature is refused', async () => {
    const history = await firstTurn();
    const model = history[1];
    const imageIndex = model.parts.findIndex((p: Json) => p.inlineData);
    const sig: string = model.parts[imageIndex].thoughtSignature;
    const variants: [string, (m: Json) => void, RegExp][] = [
      ['altered', (m) => (m.parts[imageIndex].thoughtSignature = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)), /Corrupted thought signature/],
      ['missing', (m) => delete m.parts[imageIndex].thoughtSignature, /missing a thought_signature in content position 2, part position 2/],
      ['on other bytes', (m) => (m.parts[imageIndex].inlineData.data = tinyPng(4, 4).toString('base64')), /Corrupted thought signature/],
      ['moved to the text', (m) => {
        m.parts[0].thoughtSignature = sig;
        m.parts[imageIndex].thoughtSignature = sig;
      }, /Corrupted thought signature/],
      ['made up', (m) => (m.parts[imageIndex].thoughtSignature = Buffer.alloc(150, 7).toString('base64')), /Corrupted thought signature/],
    ];
    for (const [name, change, message] of variants) {
      const edited = structuredClone(history);
      change(edited[1]);
      assertGoogleError(await generate(server, refine(edited), 'gemini-3-pro-image'), 400, 'INVALID_ARGUMENT', message);
      assert.ok(name);
    }
    const otherModel = await generate(server, refine(history), 'gemini-3.1-flash-image');
    assertGoogleError(otherModel, 400, 'INVALID_ARGUMENT', /Corrupted thought signature/);
  });

  test('a model turn must come back whole: dropping the draft images is refused', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const history = await firstTurn();
    assert.equal(history[1].parts[0].thought, true);
    assert.equal((await generate(server, refine(history), 'gemini-3-pro-image')).status, 200);
    const withoutDrafts = structuredClone(history);
    withoutDrafts[1].parts = withoutDrafts[1].parts.filter((p: Json) => !p.thought);
    const answer = await generate(server, refine(withoutDrafts), 'gemini-3-pro-image');
    assertGoogleError(answer, 400, 'INVALID_ARGUMENT', /Content position 2 \(role model\) lacks parts of the response it came from: 1 of its 2/);
  });

  test('a reset server forgets the signatures it issued', async () => {
    const history = await firstTurn();
    server.reset();
    assertGoogleError(await generate(server, refine(history), 'gemini-3-pro-image'), 400, 'INVALID_ARGUMENT');
  });
});

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

describe('other routes and options', () => {
  test('GET /v1beta/models lists models with their methods, page by page', async () => {
    const all = await call(server, '/v1beta/models');
    assert.equal(all.status, 200);
    const names: string[] = all.json.models.map((m: Json) => m.name);
    assert.ok(names.includes('models/gemini-nano-banana-2.1'));
    assert.ok(names.includes('models/gemini-3-pro-image'));
    const embed = all.json.models.find((m: Json) => m.name === 'models/gemini-embedding-001');
    assert.deepEqual(embed.supportedGenerationMethods, ['embedContent', 'countTextTokens', 'countTokens']);
    const page = await call(server, '/v1beta/models?pageSize=2');
    assert.equal(page.json.models.length, 2);
    const next = await call(server, `/v1beta/models?pageSize=2&pageToken=${page.json.nextPageToken}`);
    assert.equal(next.json.models[0].name, names[2]);
    assertGoogleError(await call(server, '/v1beta/models', { key: null }), 403, 'PERMISSION_DENIED');
  });

  test('snakeCase answers inline_data / mime_type like some relays', async () => {
    const relay = await startFakeGemini({ snakeCase: true });
    try {
      const answer = await generate(relay);
      assert.equal(answer.status, 200);
      const part = answer.json.candidates[0].content.parts[1];
      assert.equal(part.inline_data.mime_type, 'image/png');
      assert.ok(Buffer.from(part.inline_data.data, 'base64').equals(relay.sentImages[0]));
      assert.equal(typeof part.thought_signature, 'string');
      assert.equal(answer.json.candidates[0].finish_reason, 'STOP');
      assert.ok(answer.json.usage_metadata.total_token_count > 0);
      assert.doesNotMatch(answer.text, /"inlineData"|"mimeType"|"finishReason"/);
    } finally {
      await relay.close();
    }
  });

  test('requests are recorded with what a test needs', async () => {
    await generate(server, request(), IMAGE_MODEL, { headers: { 'x-custom': 'yes' } });
    await call(server, '/__control/requests');
    assert.equal(server.requests.length, 1, 'control routes are not recorded');
    const [r] = server.requests;
    assert.equal(r.method, 'POST');
    assert.equal(r.path, `/v1beta/models/${IMAGE_MODEL}:generateContent`);
    assert.equal(r.headers['x-custom'], 'yes');
    assert.deepEqual(r.body, request());
    assert.equal(r.bodyBytes, Buffer.byteLength(JSON.stringify(request())));
    assert.equal(r.status, 200);
    assert.equal(r.model, IMAGE_MODEL);
    assert.equal(r.aborted, false);
    assert.ok(r.endedAt !== undefined && r.endedAt >= r.startedAt);
  });

  test('control routes drive the server from another process', async () => {
    const enqueue = await call(server, '/__control/enqueue', { key: null, body: [{ kind: 'unavailable' }, { kind: 'image', count: 2 }] });
    assert.equal(enqueue.status, 200);
    assert.equal((await generate(server)).status, 503);
    const two = await generate(server);
    assert.equal(imageParts(two).length, 2);
    assert.equal((await call(server, '/__control/default', { key: null, body: { kind: 'textOnly' } })).status, 200);
    assert.equal(imageParts(await generate(server)).length, 0);
    const sent = (await call(server, '/__control/sent-images', { key: null })).json as unknown as Json[];
    assert.equal(sent.length, 2);
    assert.equal(sent[0].thought, false);
    assert.equal(sent[1].sha256, createHash('sha256').update(imageBytes(imageParts(two)[1])).digest('hex'));
    assert.equal(sent[1].size, imageBytes(imageParts(two)[1]).length);
    const recorded = (await call(server, '/__control/requests', { key: null })).json as unknown as Json[];
    assert.equal(recorded.length, 3);
    assert.equal(recorded[1].status, 200);
    const unknown = await call(server, '/__control/enqueue', { key: null, body: { kind: 'explode' } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error, /unknown behaviour kind/);
    assert.equal((await call(server, '/__control/reset', { key: null, method: 'POST' })).status, 200);
    assert.equal(server.requests.length, 0);
    assert.equal(imageParts(await generate(server)).length, 1, 'reset restores the image default');
  });

  test('sent-images lists drafts only when asked; lean servers keep no bytes or bodies', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    await generate(server);
    assert.equal(((await call(server, '/__control/sent-images', { key: null })).json as unknown as Json[]).length, 1);
    const all = (await call(server, '/__control/sent-images?all=1', { key: null })).json as unknown as Json[];
    assert.deepEqual(all.map((s) => s.thought), [true, false]);
    const lean = await startFakeGemini({ recordBodies: false, keepSentImages: false });
    try {
      assert.equal((await generate(lean)).status, 200);
      assert.equal(lean.sentImages.length, 0);
      assert.equal(lean.requests[0].body, undefined);
      assert.ok(lean.requests[0].bodyBytes > 0);
      const listed = (await call(lean, '/__control/sent-images', { key: null })).json as unknown as Json[];
      assert.equal(listed.length, 1);
      assert.ok(listed[0].size > 1000);
    } finally {
      await lean.close();
    }
  });

  test('close() ends hanging requests and stray sockets promptly', async () => {
    const other = await startFakeGemini();
    other.enqueue({ kind: 'hang' });
    const pending = generate(other);
    while (other.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await other.close();
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 1000);
    assert.equal(other.requests[0].aborted, false, 'closed by the server, not aborted by the client');
    await assert.rejects(fetch(`${other.url}/v1beta/models`));
  });

  test('the CLI prints its URL, serves, and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(__dirname, '../support/fakeGemini/cli.js'), '--port', '0', '--key', 'cli-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const match = /^FAKE_GEMINI_URL=(http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line);
      assert.ok(match, line);
      const res = await fetch(`${match[1]}/v1beta/models`, { headers: { 'x-goog-api-key': 'cli-key' } });
      assert.equal(res.status, 200);
      await res.text();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
