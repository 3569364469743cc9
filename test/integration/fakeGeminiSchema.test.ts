// The stand-in follows Google's published schema (the protos under shared/reference), not our
// client: every real GenerateContentRequest field is accepted, what Google lacks is rejected, and
// replies carry what real ones do.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const KEY = 'test-key';
let server: FakeGemini;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY] });
});
after(() => server.close());
beforeEach(() => server.reset());

async function generate(body: unknown, model = 'gemini-nano-banana-2.1'): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${server.url}/v1beta/models/${model}:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

const contents = [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }];

describe('GenerateContentRequest as Google defines it', () => {
  test('every real field is accepted: model, systemInstruction, safetySettings, thinkingConfig, mediaResolution', async () => {
    const answer = await generate({
      model: 'models/gemini-nano-banana-2.1',
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse', mediaResolution: { level: 'MEDIA_RESOLUTION_HIGH' } }] }],
      systemInstruction: { parts: [{ text: 'You draw lighthouses.' }] },
      safetySettings: [
        { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' },
        { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_MEDIUM_AND_ABOVE' },
      ],
      generationConfig: {
        responseModalities: ['TEXT', 'IMAGE'],
        mediaResolution: 'MEDIA_RESOLUTION_MEDIUM',
        thinkingConfig: { thinkingLevel: 'HIGH', includeThoughts: false },
        imageConfig: { aspectRatio: '4:1', imageSize: '2K' },
        presencePenalty: 0,
        frequencyPenalty: 0,
      },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.json).slice(0, 400));
  });

  test('the REST guide writes thinking levels in lower case: accepted too', async () => {
    assert.equal((await generate({ contents, generationConfig: { thinkingConfig: { thinkingLevel: 'minimal' } } })).status, 200);
  });

  test('what Google does not have is rejected: image harm categories, safetySettings[].method, a level a model lacks', async () => {
    const invented = await generate({ contents, safetySettings: [{ category: 'HARM_CATEGORY_IMAGE_HATE', threshold: 'BLOCK_ONLY_HIGH' }] });
    assert.equal(invented.status, 400);
    assert.match(invented.json.error.message, /safety_settings\[0\]\.category/);
    const method = await generate({ contents, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH', method: 'SEVERITY' }] });
    assert.equal(method.status, 400);
    assert.match(method.json.error.message, /Unknown name "method"/);
    const pro = await generate({ contents, generationConfig: { thinkingConfig: { thinkingLevel: 'high' } } }, 'gemini-3-pro-image');
    assert.equal(pro.status, 400);
    assert.match(pro.json.error.message, /thinking_level/);
    const vertexOnly = await generate({ contents, generationConfig: { imageConfig: { personGeneration: 'ALLOW_ALL' } } });
    assert.equal(vertexOnly.status, 400);
  });
});

describe('behaviour modes stay inside Google\'s enums', () => {
  test('an invented finishReason or blockReason is refused when queued', () => {
    assert.throws(() => server.enqueue({ kind: 'finish', finishReason: 'IMAGE_BLOCKED' }), /not in Google's FinishReason enum/);
    assert.throws(() => server.enqueue({ kind: 'promptBlocked', blockReason: 'IMAGE_PROHIBITED_CONTENT' }), /BlockReason enum/);
    for (const finishReason of ['MISSING_THOUGHT_SIGNATURE', 'MALFORMED_RESPONSE', 'IMAGE_OTHER', 'NO_IMAGE', 'LANGUAGE']) server.enqueue({ kind: 'finish', finishReason });
    server.enqueue({ kind: 'promptBlocked', blockReason: 'IMAGE_SAFETY' });
  });
});

describe('replies carry what real ones do', () => {
  test('finishMessage, thoughtsTokenCount, candidatesTokensDetails, modelVersion, responseId; modelStatus from a deprecated model', async () => {
    const ok = await generate({ contents }, 'gemini-3.1-flash-image');
    assert.equal(ok.status, 200);
    assert.equal(ok.json.modelVersion, 'gemini-3.1-flash-image');
    assert.match(ok.json.responseId, /^[\w-]{16,}$/);
    assert.ok(ok.json.usageMetadata.thoughtsTokenCount > 0);
    assert.deepEqual(ok.json.usageMetadata.candidatesTokensDetails.map((d: Json) => d.modality), ['TEXT', 'IMAGE']);
    assert.deepEqual(ok.json.modelStatus, { modelStage: 'DEPRECATED' });
    const live = await generate({ contents }, 'gemini-nano-banana-2.1');
    assert.equal(live.json.modelStatus, undefined);

    server.enqueue({ kind: 'finish', finishReason: 'IMAGE_PROHIBITED_CONTENT' });
    const blocked = await generate({ contents });
    assert.equal(blocked.json.candidates[0].finishReason, 'IMAGE_PROHIBITED_CONTENT');
    assert.match(blocked.json.candidates[0].finishMessage, /prohibited content/);
  });

  test('Gemini 3 Pro answers JPEG, the Flash models PNG', async () => {
    const pro = await generate({ contents }, 'gemini-3-pro-image');
    const image = pro.json.candidates[0].content.parts.find((p: Json) => p.inlineData);
    assert.equal(image.inlineData.mimeType, 'image/jpeg');
    assert.equal(Buffer.from(image.inlineData.data, 'base64').subarray(0, 3).toString('hex'), 'ffd8ff');
  });

  test('retired ids are not listed and answer 404 NOT_FOUND', async () => {
    const list = (await (await fetch(`${server.url}/v1beta/models?pageSize=1000`, { headers: { 'x-goog-api-key': KEY } })).json()) as Json;
    const names = list.models.map((m: Json) => m.name);
    assert.ok(names.includes('models/gemini-nano-banana-2.1'));
    for (const id of ['gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview']) {
      assert.ok(!names.includes(`models/${id}`), id);
      const gone = await generate({ contents }, id);
      assert.equal(gone.status, 404);
      assert.equal(gone.json.error.status, 'NOT_FOUND');
      assert.match(gone.json.error.message, /is not found for API version v1beta, or is not supported for generateContent/);
    }
    // Deprecated but still served to the projects that used it: its replies say when it retires.
    assert.ok(names.includes('models/gemini-2.5-flash-image'));
    const old = await generate({ contents }, 'gemini-2.5-flash-image');
    assert.equal(old.status, 200);
    assert.deepEqual(old.json.modelStatus, { modelStage: 'DEPRECATED', retirementTime: '2027-03-15T00:00:00Z' });
  });

  test('serviceTier: accepted at the request root and echoed in usageMetadata; refused for Lite', async () => {
    const flex = await generate({ contents, serviceTier: 'flex' }, 'gemini-nano-banana-2.1');
    assert.equal(flex.status, 200);
    assert.equal(flex.json.usageMetadata.serviceTier, 'flex');
    assert.equal((await generate({ contents }, 'gemini-nano-banana-2.1')).json.usageMetadata.serviceTier, 'standard');
    const lite = await generate({ contents, serviceTier: 'flex' }, 'gemini-3.1-flash-lite-image');
    assert.equal(lite.status, 400);
    assert.match(lite.json.error.message, /service_tier "flex" is not supported by models\/gemini-3\.1-flash-lite-image/);
    const unknown = await generate({ contents, serviceTier: 'cheap' }, 'gemini-nano-banana-2.1');
    assert.equal(unknown.status, 400);
  });
});
