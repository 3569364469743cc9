// What the parser refuses (too much JSON, a truncated body, not JSON, bad base64) and how it stops
// (an abort, a failing body), every writer discarded; then requireImages on a reply without images.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import { memorySink, parseGenerateContentReply, requireImages, type ParsedReply } from '../../src/gemini/responseParser';
import { chunked, failEvery, parseEvery, png, recordingSink, reply } from '../support/responseParserHarness';

describe('parseGenerateContentReply', () => {
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
