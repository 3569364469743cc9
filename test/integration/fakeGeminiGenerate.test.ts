// The stand-in's generateContent, exercised with plain fetch: valid requests get the documented
// images, what the API rejects (shared/gemini-api.md) gets Google's errors, and text models
// answer in text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeGemini } from '../support/fakeGemini';
import { decodePng, imageInfo } from '../support/fakeGemini/inspect';
import { assertGoogleError, call, generate, IMAGE_MODEL, imageBytes, imageParts, KEY, parts, request, server, tinyPng, useFakeGemini, type Json } from '../support/fakeGeminiCalls';

useFakeGemini();

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
