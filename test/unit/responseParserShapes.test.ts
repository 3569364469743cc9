// What the streaming parser reads from each reply shape we know (camelCase and snake_case, drafts,
// data URLs in text, escapes, multi-byte UTF-8, feedback and errors): the same under every chunking.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import { fillImageRefs, memorySink, parseGenerateContentReply, requireImages, type ImageRef } from '../../src/gemini/responseParser';
import { chunked, jpeg, parseEvery, png, reply } from '../support/responseParserHarness';

describe('parseGenerateContentReply', () => {
  it('reads a camelCase reply: text, image, signature, metadata, modelTurn', async () => {
    const image = png(5000);
    const json = JSON.stringify({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'Here is your lighthouse.' }, { inlineData: { mimeType: 'image/png', data: image.toString('base64') }, thoughtSignature: 'c2ln' }],
          },
          finishReason: 'STOP',
          safetyRatings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' }],
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }] },
      modelVersion: 'gemini-nano-banana-2.1',
      responseId: 'abc123',
      someFutureField: { nested: [1, 2, { deep: 'x'.repeat(1000) }] },
    });
    const r = await parseEvery(json);
    assert.equal(r.images.length, 1);
    assert.deepEqual(r.images[0].handle, image);
    assert.equal(r.images[0].mimeType, 'image/png');
    assert.equal(r.images[0].byteLength, image.length);
    assert.equal(r.images[0].thoughtSignature, 'c2ln');
    assert.equal(r.images[0].partIndex, 1);
    assert.deepEqual(r.texts, ['Here is your lighthouse.']);
    assert.equal(r.finishReason, 'STOP');
    assert.deepEqual(r.safetyRatings, [{ category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' }]);
    assert.deepEqual(r.usage, { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }] });
    assert.equal(r.modelVersion, 'gemini-nano-banana-2.1');
    assert.equal(r.responseId, 'abc123');
    assert.deepEqual(r.modelTurn, {
      role: 'model',
      parts: [{ text: 'Here is your lighthouse.' }, { inlineData: { mimeType: 'image/png', data: { imageRef: 0 } }, thoughtSignature: 'c2ln' }],
    });
    const restored = fillImageRefs(r.modelTurn, (ref) => r.images[(ref as { imageRef: number }).imageRef].handle.toString('base64'));
    assert.deepEqual(restored, JSON.parse(json).candidates[0].content);
  });

  it('reads snake_case replies and either order of data / mimeType', async () => {
    const a = jpeg(3000);
    const b = png(2000);
    const json =
      '{"candidates":[{"content":{"parts":[' +
      `{"inline_data":{"data":"${a.toString('base64')}","mime_type":"image/jpeg"}},` +
      `{"inlineData":{"data":"${b.toString('base64')}","mimeType":"image/png"}},` +
      `{"inline_data":{"mime_type":"image/png","data":"${b.toString('base64')}"},"thought_signature":"s"}` +
      ']},"finish_reason":"STOP"}],"usage_metadata":{"prompt_token_count":4},"model_version":"m"}';
    const r = await parseEvery(json);
    assert.deepEqual(
      r.images.map((i) => [i.mimeType, i.handle.equals(i.mimeType === 'image/jpeg' ? a : b), i.partIndex, i.thoughtSignature]),
      [
        ['image/jpeg', true, 0, undefined],
        ['image/png', true, 1, undefined],
        ['image/png', true, 2, 's'],
      ],
    );
    assert.equal(r.finishReason, 'STOP');
    assert.equal(r.usage?.promptTokenCount, 4);
    assert.equal(r.modelVersion, 'm');
  });

  it('skips thought images whether `thought` comes before or after the data, and keeps them for the turn', async () => {
    const draft = png(1500);
    const final = png(2500);
    const json =
      '{"candidates":[{"content":{"role":"model","parts":[' +
      '{"text":"Let me sketch it first.","thought":true},' +
      `{"thought":true,"inlineData":{"mimeType":"image/png","data":"${draft.toString('base64')}"}},` +
      `{"inlineData":{"mimeType":"image/png","data":"${draft.toString('base64')}"},"thought":true},` +
      `{"inlineData":{"mimeType":"image/png","data":"${final.toString('base64')}"},"thought":false,"thoughtSignature":"sig-final"},` +
      '{"text":"Done."}' +
      ']},"finishReason":"STOP"}]}';
    const r = await parseEvery(json);
    assert.equal(r.images.length, 1);
    assert.deepEqual(r.images[0].handle, final);
    assert.equal(r.images[0].thoughtSignature, 'sig-final');
    assert.equal(r.images[0].partIndex, 3);
    assert.deepEqual(r.texts, ['Done.']);
    assert.equal(r.thoughtImages.length, 2);
    assert.ok(r.thoughtImages.every((t) => t.handle.equals(draft)));
    const parts = (r.modelTurn as { parts: Record<string, unknown>[] }).parts;
    assert.deepEqual(parts[0], { text: 'Let me sketch it first.', thought: true });
    assert.deepEqual(parts[1], { thought: true, inlineData: { mimeType: 'image/png', data: { thoughtImageRef: 0 } } });
    assert.deepEqual(parts[2].inlineData, { mimeType: 'image/png', data: { thoughtImageRef: 1 } });
    const restored = fillImageRefs(r.modelTurn, (ref: ImageRef) =>
      'imageRef' in ref ? r.images[ref.imageRef].handle.toString('base64') : r.thoughtImages[ref.thoughtImageRef].handle.toString('base64'),
    );
    assert.deepEqual(restored, JSON.parse(json).candidates[0].content);

    const dropped = await parseEvery(json, { thoughtImages: 'discard' });
    assert.equal(dropped.thoughtImages.length, 0);
    assert.equal(dropped.images.length, 1);
    assert.deepEqual((dropped.modelTurn as { parts: Record<string, { data: unknown }>[] }).parts[1].inlineData.data, { thoughtImageRef: -1 });
  });

  it('reads several images, and only candidate 0 of several candidates', async () => {
    const images = [png(100), jpeg(7000), png(70_000)];
    const other = png(900);
    const json = JSON.stringify({
      candidates: [
        { content: { parts: images.map((img, i) => ({ inlineData: { mimeType: i === 1 ? 'image/jpeg' : 'image/png', data: img.toString('base64') } })) } },
        { content: { parts: [{ text: 'other' }, { inlineData: { mimeType: 'image/png', data: other.toString('base64') } }] }, finishReason: 'STOP' },
        'not even an object',
      ],
    });
    const r = await parseEvery(json);
    assert.deepEqual(
      r.images.map((i) => i.handle),
      images,
    );
    assert.deepEqual(r.texts, []);
    assert.equal(r.finishReason, undefined);
  });

  it('takes images from markdown and bare data URLs in text parts', async () => {
    const a = png(4000);
    const b = jpeg(300);
    const c = png(50);
    const json = reply([
      { text: `Here you go:\n\n![a lighthouse](data:image/png;base64,${a.toString('base64')})\n\nAnd a bare one: data:image/jpeg;base64,${b.toString('base64')} done` },
      { text: `![only](data:image/png;base64,${c.toString('base64')})` },
      { text: '  \n' },
      { text: 'data:image/png;base64, is not an image' },
    ]);
    const r = await parseEvery(json);
    assert.deepEqual(
      r.images.map((i) => [i.mimeType, i.partIndex]),
      [
        ['image/png', 0],
        ['image/jpeg', 0],
        ['image/png', 1],
      ],
    );
    assert.deepEqual(r.images[0].handle, a);
    assert.deepEqual(r.images[1].handle, b);
    assert.deepEqual(r.images[2].handle, c);
    assert.deepEqual(r.texts, ['Here you go:\n\n\n\nAnd a bare one:  done', 'data:image/png;base64, is not an image']);
    const turn = r.modelTurn as { parts: { text: unknown }[] };
    assert.deepEqual(turn.parts[1].text, ['![only](data:image/png;base64,', { imageRef: 2 }, ')']);
    const restored = fillImageRefs(r.modelTurn, (ref) => r.images[(ref as { imageRef: number }).imageRef].handle.toString('base64'));
    assert.deepEqual(restored, JSON.parse(json).candidates[0].content);
  });

  it('handles escapes inside base64: \\/, \\u002F, \\n line breaks, spaces, URL-safe alphabet', async () => {
    const image = randomBytes(6000);
    const b64 = image.toString('base64');
    const variants = [
      b64.replace(/\//g, '\\/'),
      b64.replace(/\//g, '\\u002F').replace(/A/g, '\\u0041'),
      b64.replace(/.{76}/g, '$&\\n'),
      b64.replace(/.{64}/g, '$&\\r\\n'),
      b64.replace(/.{10}/g, '$& '),
      b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    ];
    for (const data of variants) {
      const r = await parseEvery(`{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"${data}"}}]}}]}`);
      assert.deepEqual(r.images[0].handle, image);
    }
    // Same inside a data URL in text (a PHP relay escapes every slash).
    const r = await parseEvery(`{"candidates":[{"content":{"parts":[{"text":"see ![x](data:image\\/png;base64,${b64.replace(/\//g, '\\/')}) ok"}]}}]}`);
    assert.deepEqual(r.images[0].handle, image);
    assert.deepEqual(r.texts, ['see  ok']);
  });

  it('decodes multi-byte UTF-8 and escapes split across chunks', async () => {
    const text = '你好，世界 🌅🏝️ — café naïve 𝄞 \u0000\u001f "quoted" \\ back\\slash /slash';
    const json = reply([{ text }, { text: '\\ud83d\\ude00 \\u4F60\\u597d lone \\udc00 end' }], { modelVersion: '模型' });
    const r = await parseEvery(json.replace('"\\\\ud83d', '"\\ud83d').replace(/\\\\u4F60\\\\u597d/, '\\u4F60\\u597d'));
    const expected = JSON.parse(json.replace('"\\\\ud83d', '"\\ud83d').replace(/\\\\u4F60\\\\u597d/, '\\u4F60\\u597d'));
    assert.deepEqual(
      r.texts,
      expected.candidates[0].content.parts.map((p: { text: string }) => p.text),
    );
    assert.equal(r.texts[0], text);
    assert.equal(r.modelVersion, '模型');
    // Raw JSON with every kind of escape, split every way.
    const raw = '{"candidates":[{"content":{"parts":[{"text":"a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u00e9\\uD834\\uDD1E"}]}}]}';
    const rr = await parseEvery(raw);
    assert.deepEqual(rr.texts, [JSON.parse(raw).candidates[0].content.parts[0].text]);
  });

  it('reads promptFeedback.blockReason with no candidates', async () => {
    const json = JSON.stringify({
      promptFeedback: { blockReason: 'PROHIBITED_CONTENT', safetyRatings: [{ category: 'X', probability: 'HIGH' }] },
      usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
      modelVersion: 'gemini-3-pro-image',
    });
    const r = await parseEvery(json);
    assert.equal(r.blockReason, 'PROHIBITED_CONTENT');
    assert.deepEqual(r.images, []);
    assert.deepEqual(r.safetyRatings, [{ category: 'X', probability: 'HIGH' }]);
    assert.equal(r.usage?.totalTokenCount, 7);
    assert.equal(r.modelTurn, undefined);
    assert.throws(() => requireImages(r), (e: unknown) => e instanceof GeminiError && e.kind === 'blocked' && e.details.blockReason === 'PROHIBITED_CONTENT');
  });

  it('keeps a top-level error object (relays that answer 200 with one)', async () => {
    const r = await parseEvery('{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}');
    assert.deepEqual(r.error, { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' });
    assert.throws(() => requireImages(r), (e: unknown) => e instanceof GeminiError && e.kind === 'noImage' && e.details.serverMessage === 'Resource exhausted');
  });

  it('ignores unknown top-level fields without keeping them (they do not count against maxJsonBytes)', async () => {
    const image = png(100);
    const json = `{"huge":"${'z'.repeat(300_000)}","list":[${'1,'.repeat(50_000)}2],${reply([{ inlineData: { mimeType: 'image/png', data: image.toString('base64') } }]).slice(1)}`;
    const r = await parseGenerateContentReply(chunked(Buffer.from(json), [1000]), memorySink(), { maxJsonBytes: 10_000 });
    assert.deepEqual(r.images[0].handle, image);
  });

  it('names the type from the bytes when the reply gives none', async () => {
    const r = await parseEvery(reply([{ inlineData: { data: jpeg(100).toString('base64') } }, { inlineData: { data: randomBytes(20).toString('base64') } }]));
    assert.deepEqual(
      r.images.map((i) => i.mimeType),
      ['image/jpeg', 'application/octet-stream'],
    );
  });

  it('treats empty image data as no image, and keeps it as received in the turn', async () => {
    const r = await parseEvery(reply([{ inlineData: { mimeType: 'image/png', data: '' } }]));
    assert.deepEqual(r.images, []);
    assert.deepEqual(r.modelTurn, { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] });
  });

  it('resolves duplicate keys like JSON.parse (the last one wins)', async () => {
    const a = png(50);
    const b = png(60);
    const json = `{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"${a.toString('base64')}","data":"${b.toString('base64')}"}}]}}]}`;
    const r = await parseEvery(json);
    assert.deepEqual(
      r.images.map((i) => i.handle),
      [b],
    );
  });
});
