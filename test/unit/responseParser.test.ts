import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { GeminiError } from '../../src/gemini/errors';
import type { ImageSink } from '../../src/gemini/imageSink';
import { prng } from '../support/testHelpers';
import {
  fillImageRefs,
  memorySink,
  parseGenerateContentReply,
  requireImages,
  type ImageRef,
  type ParsedReply,
} from '../../src/gemini/responseParser';

// --- helpers ---

interface WriterLog {
  chunks: Buffer[];
  state: 'open' | 'finished' | 'discarded';
  mimeType?: string;
}

/** A sink that remembers every writer, to check each one is finished or discarded exactly once. */
function recordingSink(): { sink: ImageSink<Buffer>; writers: WriterLog[] } {
  const writers: WriterLog[] = [];
  const sink: ImageSink<Buffer> = {
    begin() {
      const log: WriterLog = { chunks: [], state: 'open' };
      writers.push(log);
      return {
        write(bytes) {
          assert.equal(log.state, 'open', 'write after settle');
          log.chunks.push(Buffer.from(bytes));
          // Every other write answers asynchronously, as a file would.
          return log.chunks.length % 2 === 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
        },
        async finish(mimeType) {
          assert.equal(log.state, 'open', 'finish twice');
          log.state = 'finished';
          log.mimeType = mimeType;
          return Buffer.concat(log.chunks);
        },
        async discard() {
          assert.equal(log.state, 'open', 'discard after settle');
          log.state = 'discarded';
        },
      };
    },
  };
  return { sink, writers };
}

async function* chunked(body: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let k = 0;
  for (let at = 0; at < body.length; ) {
    const size = Math.max(1, sizes[k++ % sizes.length]);
    // Plain Uint8Array views, as undici gives them.
    yield new Uint8Array(body.buffer, body.byteOffset + at, Math.min(size, body.length - at));
    at += size;
  }
}

function chunkings(body: Buffer): number[][] {
  const random = prng(body.length);
  const schemes = [[1], [2], [3], [5, 1, 7], [64], [4096], [body.length]];
  for (let k = 0; k < 4; k++) schemes.push(Array.from({ length: 17 }, () => 1 + Math.floor(random() * 40)));
  return schemes;
}

/** Parses `body` under every chunking; the replies must all agree. Returns the first. */
async function parseEvery(json: string | Buffer, options: Parameters<typeof parseGenerateContentReply>[2] = {}): Promise<ParsedReply<Buffer>> {
  const body = typeof json === 'string' ? Buffer.from(json) : json;
  let first: ParsedReply<Buffer> | undefined;
  for (const sizes of chunkings(body)) {
    const { sink, writers } = recordingSink();
    const parsed: ParsedReply<Buffer> = await parseGenerateContentReply(chunked(body, sizes), sink, options);
    assert.ok(writers.every((w) => w.state !== 'open'), 'every writer settled');
    assert.equal(writers.filter((w) => w.state === 'finished').length, parsed.images.length + parsed.thoughtImages.length);
    if (!first) first = parsed;
    else assert.deepEqual(parsed, first, `chunk sizes ${sizes.join(',')}`);
  }
  return first as ParsedReply<Buffer>;
}

/** Every chunking must fail with a GeminiError of this kind, with every writer discarded. */
async function failEvery(json: string | Buffer, kind: string, options: Parameters<typeof parseGenerateContentReply>[2] = {}): Promise<GeminiError> {
  const body = typeof json === 'string' ? Buffer.from(json) : json;
  let error: GeminiError | undefined;
  for (const sizes of chunkings(body)) {
    const { sink, writers } = recordingSink();
    await assert.rejects(parseGenerateContentReply(chunked(body, sizes), sink, options), (e: unknown) => {
      assert.ok(e instanceof GeminiError, `not a GeminiError: ${String(e)}`);
      assert.equal(e.kind, kind, e.message);
      error ??= e;
      return true;
    });
    assert.ok(writers.every((w) => w.state === 'discarded'), 'every writer discarded');
  }
  return error as GeminiError;
}

function reply(parts: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], ...extra });
}

const png = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]);
const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(n)]);

// --- tests ---

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

  it('refuses more kept JSON than maxJsonBytes', async () => {
    await failEvery(reply([{ text: 'x'.repeat(5000) }]), 'badResponse', { maxJsonBytes: 4000 });
    // A text part's data-URL image is not JSON kept in memory: it passes.
    const image = randomBytes(20_000);
    const r = await parseGenerateContentReply(chunked(Buffer.from(reply([{ text: `data:image/png;base64,${image.toString('base64')}` }])), [999]), memorySink(), {
      maxJsonBytes: 4000,
    });
    assert.deepEqual(r.images[0].handle, image);
  });

  it('rejects truncated bodies at any point, discarding every writer', async () => {
    const json = reply([{ text: 'hello' }, { inlineData: { mimeType: 'image/png', data: png(3000).toString('base64') } }, { text: 'bye' }]);
    const body = Buffer.from(json);
    for (let cut = 0; cut < body.length; cut += cut < 200 ? 1 : 97) {
      const { sink, writers } = recordingSink();
      await assert.rejects(parseGenerateContentReply(chunked(body.subarray(0, cut), [7]), sink), (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse');
      assert.ok(writers.every((w) => w.state === 'discarded'));
    }
  });

  it('rejects what is not JSON with a short excerpt', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n'.repeat(5);
    const e = await failEvery(html, 'badResponse');
    assert.match(e.details.bodyExcerpt ?? '', /^<html><head><title>502 Bad Gateway/);
    assert.ok((e.details.bodyExcerpt ?? '').length <= 200);
    for (const text of ['', '   ', 'upstream connect error', '{"candidates": [}', '{"a":1}{"b":2}', '[1,2]', '"just a string"', '\ufeff{"candidates":[]']) {
      await failEvery(text, 'badResponse');
    }
    // A byte order mark before valid JSON is fine.
    const r = await parseEvery(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(reply([{ text: 'bom' }]))]));
    assert.deepEqual(r.texts, ['bom']);
  });

  it('rejects invalid base64 in image data and in data URLs', async () => {
    const b64 = png(500).toString('base64');
    await failEvery(reply([{ inlineData: { mimeType: 'image/png', data: b64.slice(0, 100) + '*' + b64.slice(100) } }]), 'badResponse');
    await failEvery(reply([{ inlineData: { mimeType: 'image/png', data: b64 + 'A' } }]), 'badResponse');
    await failEvery(reply([{ inlineData: { mimeType: 'image/png', data: 'é' + b64 } }]), 'badResponse');
    await failEvery(reply([{ text: 'data:image/png;base64,QUJDR then text' }]), 'badResponse');
    await failEvery(reply([{ text: 'data:image/png;base64,Q= and more' }]), 'badResponse');
    // A URL ends where base64 ends (after its padding): "QQ==" is the image, "A" is text.
    const r = await parseEvery(reply([{ text: 'data:image/png;base64,QQ==A' }]));
    assert.deepEqual(r.images[0].handle, Buffer.from('A'));
    assert.deepEqual(r.texts, ['A']);
  });

  it('stops at an abort: stops reading, discards writers, throws cancelled', async () => {
    const image = png(200_000).toString('base64');
    const body = Buffer.from(reply([{ inlineData: { mimeType: 'image/png', data: image } }]));
    const controller = new AbortController();
    let reads = 0;
    let closed = false;
    async function* source() {
      try {
        for (let at = 0; at < body.length; at += 1000) {
          reads++;
          if (reads === 20) controller.abort();
          yield body.subarray(at, at + 1000);
        }
      } finally {
        closed = true;
      }
    }
    const { sink, writers } = recordingSink();
    await assert.rejects(parseGenerateContentReply(source(), sink, { signal: controller.signal }), (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    assert.equal(reads, 20);
    assert.ok(writers.length === 1 && writers[0].state === 'discarded');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(closed, 'the body was closed');

    // Aborted while the body is stalled: answers at once.
    const stalled = new AbortController();
    async function* hang() {
      yield Buffer.from('{"candidates":[{"content":{"parts":[{"inlineData":{"data":"QUJD');
      await new Promise(() => undefined);
    }
    const second = recordingSink();
    const pending = parseGenerateContentReply(hang(), second.sink, { signal: stalled.signal });
    setTimeout(() => stalled.abort(), 20);
    await assert.rejects(pending, (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    assert.ok(second.writers.every((w) => w.state === 'discarded'));

    // Already aborted: nothing is read.
    await assert.rejects(parseGenerateContentReply(source(), memorySink(), { signal: AbortSignal.abort() }), (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
  });

  it('lets an error of the body itself through, after discarding', async () => {
    async function* broken() {
      yield Buffer.from('{"candidates":[{"content":{"parts":[{"inlineData":{"data":"QUJD');
      throw new Error('ECONNRESET');
    }
    const { sink, writers } = recordingSink();
    await assert.rejects(parseGenerateContentReply(broken(), sink), /ECONNRESET/);
    assert.ok(writers.every((w) => w.state === 'discarded'));
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

describe('requireImages', () => {
  const base: ParsedReply<Buffer> = { images: [], thoughtImages: [], texts: [], modelTurn: undefined };

  it('returns a reply that has images', () => {
    const r = { ...base, images: [{ handle: Buffer.from('x'), mimeType: 'image/png', byteLength: 1, partIndex: 0 }], finishReason: 'STOP' };
    assert.equal(requireImages(r), r);
  });

  it('says "blocked" for a blockReason or a safety finishReason, with the model text', () => {
    for (const finishReason of ['SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION', 'RECITATION', 'BLOCKLIST', 'SPII']) {
      assert.throws(
        () => requireImages({ ...base, finishReason, texts: ['I cannot draw that.', 'Sorry.'] }),
        (e: unknown) =>
          e instanceof GeminiError && e.kind === 'blocked' && e.details.finishReason === finishReason && e.details.modelText === 'I cannot draw that.\n\nSorry.',
      );
    }
    assert.throws(() => requireImages({ ...base, blockReason: 'OTHER' }), (e: unknown) => e instanceof GeminiError && e.kind === 'blocked' && e.details.blockReason === 'OTHER');
  });

  it('says "noImage" for every other ending', () => {
    for (const finishReason of ['NO_IMAGE', 'IMAGE_OTHER', 'OTHER', 'MAX_TOKENS', 'STOP', undefined]) {
      assert.throws(
        () => requireImages({ ...base, finishReason, texts: ['Here is a poem instead.'] }),
        (e: unknown) => e instanceof GeminiError && e.kind === 'noImage' && e.details.finishReason === finishReason && e.details.modelText === 'Here is a poem instead.',
      );
    }
    const onlyDrafts = { ...base, finishReason: 'STOP', thoughtImages: [{ handle: Buffer.from('x'), mimeType: 'image/png', byteLength: 1, partIndex: 0 }] };
    assert.throws(() => requireImages(onlyDrafts), (e: unknown) => e instanceof GeminiError && e.kind === 'noImage' && /draft/.test(e.message));
  });
});

describe('a 16 MB reply in 64 KB chunks', () => {
  it('never holds the event loop for long, and decodes the exact bytes', async (t) => {
    const image = randomBytes(12 * 1024 * 1024);
    const body = Buffer.from(reply([{ text: 'Here is your 4K image.' }, { inlineData: { mimeType: 'image/png', data: image.toString('base64') }, thoughtSignature: 's'.repeat(4096) }]));
    // A source that never waits: the parser itself must give the loop its turns.
    async function* source() {
      for (let at = 0; at < body.length; at += 65536) yield body.subarray(at, at + 65536);
    }
    // The best of three runs: on a loaded machine the OS may preempt one run for longer than the
    // parser ever holds the loop; a parser that never yields stalls for the whole parse every time.
    const stalls: number[] = [];
    for (let attempt = 0; attempt < 3 && !stalls.some((s) => s < 50); attempt++) {
      let written = 0;
      const hash = createHash('sha256');
      const hashingSink: ImageSink<string> = {
        begin: () => ({
          write(bytes) {
            written += bytes.length;
            hash.update(bytes);
          },
          finish: async () => hash.digest('hex'),
          discard: async () => undefined,
        }),
      };
      const delay = monitorEventLoopDelay({ resolution: 1 });
      // Give the monitor's timer one turn before measuring.
      await new Promise((resolve) => setTimeout(resolve, 5));
      delay.enable();
      const started = performance.now();
      const r = await parseGenerateContentReply(source(), hashingSink);
      const took = performance.now() - started;
      delay.disable();
      assert.equal(written, image.length);
      assert.equal(r.images[0].handle, createHash('sha256').update(image).digest('hex'));
      assert.deepEqual(r.texts, ['Here is your 4K image.']);
      stalls.push(delay.max / 1e6);
      t.diagnostic(`parse ${took.toFixed(1)} ms, longest stall ${stalls[stalls.length - 1].toFixed(1)} ms`);
    }
    const baselineStart = performance.now();
    const parsed = JSON.parse(body.toString('utf8'));
    Buffer.from(parsed.candidates[0].content.parts[1].inlineData.data, 'base64');
    t.diagnostic(`JSON.parse + Buffer.from ${(performance.now() - baselineStart).toFixed(1)} ms`);
    const stallMs = Math.min(...stalls);
    assert.ok(stallMs < 50, `longest stall ${stallMs} ms`);
  });
});
