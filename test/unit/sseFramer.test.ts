// The event-stream framing of streamGenerateContent?alt=sse: events split anywhere across chunks,
// CRLF / LF / CR line ends, comments and keep-alives, and a last event without its blank line;
// then whole replies through the streaming parser, drafts reported before the final image.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import type { ParsedReply } from '../../src/gemini/responseParser';
import { SseFramer } from '../../src/gemini/sseFramer';
import { parseStreamedReply } from '../../src/gemini/streamedReply';
import { chunked, png, recordingSink } from '../support/responseParserHarness';

/** The data of each event the framer reports, under every split of `body` into two chunks and byte by byte. */
function eventsOf(body: string): string[] {
  const bytes = Buffer.from(body, 'utf8');
  const run = (pieces: Buffer[]): string[] => {
    const events: string[] = [];
    let current: Buffer[] = [];
    const framer = new SseFramer({
      data: (buf, start, end) => void current.push(Buffer.from(buf.subarray(start, end))),
      dataLineBreak: () => void current.push(Buffer.from('\n')),
      eventEnd: () => {
        events.push(Buffer.concat(current).toString('utf8'));
        current = [];
      },
    });
    for (const piece of pieces) framer.write(piece);
    framer.end();
    return events;
  };
  const whole = run([bytes]);
  for (let at = 0; at <= bytes.length; at++) assert.deepEqual(run([bytes.subarray(0, at), bytes.subarray(at)]), whole, `split at ${at}`);
  assert.deepEqual(run([...bytes].map((b) => Buffer.from([b]))), whole, 'byte by byte');
  return whole;
}

describe('SseFramer', () => {
  it('reads events as Google sends them (CRLF, a blank line after each)', () => {
    assert.deepEqual(eventsOf('data: {"a":1}\r\n\r\ndata: {"b":2}\r\n\r\n'), ['{"a":1}', '{"b":2}']);
  });

  it('takes LF and lone CR line ends, and mixes of them', () => {
    assert.deepEqual(eventsOf('data: one\n\ndata: two\r\rdata: three\r\n\ndata: four\n\r\n'), ['one', 'two', 'three', 'four']);
  });

  it('skips comments, keep-alives and the other fields', () => {
    const body = ': connected\r\n\r\n:keep-alive\r\n\r\nevent: message\r\nid: 7\r\nretry: 1000\r\ndata: {"x":true}\r\nfoo: bar\r\n\r\n: ping\n\n';
    assert.deepEqual(eventsOf(body), ['{"x":true}']);
  });

  it('reports a last event that has no blank line after it, with or without a line end', () => {
    assert.deepEqual(eventsOf('data: first\r\n\r\ndata: last\r\n'), ['first', 'last']);
    assert.deepEqual(eventsOf('data: first\n\ndata: last'), ['first', 'last']);
  });

  it('joins the data lines of one event with a line feed; only one space after the colon is dropped', () => {
    assert.deepEqual(eventsOf('data: {\r\ndata:  "a": 1\r\ndata:}\r\n\r\n'), ['{\n "a": 1\n}']);
    assert.deepEqual(eventsOf('data\r\ndata:x\r\n\r\n'), ['\nx']);
  });

  it('drops a byte order mark before the first field; a long unknown field name is read past', () => {
    assert.deepEqual(eventsOf('\uFEFFdata: bom\n\n'), ['bom']);
    assert.deepEqual(eventsOf(`${'x'.repeat(100)}: data: no\n\ndata: yes\n\n`), ['yes']);
  });
});

const event = (response: unknown, end = '\r\n\r\n') => `data: ${JSON.stringify(response)}${end}`;
const part = (p: unknown, extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { role: 'model', parts: [p] }, index: 0, ...extra }], modelVersion: 'gemini-3-pro-image', responseId: 'r1' });

describe('parseStreamedReply', () => {
  const draft = png(3000);
  const final = png(20_000);
  const body = Buffer.from(
    ': keep-alive\r\n\r\n' +
      event(part({ inlineData: { mimeType: 'image/png', data: draft.toString('base64') }, thought: true, thoughtSignature: 'ZHJhZnQ=' })) +
      event(part({ text: 'Here is ' })) +
      event(part({ text: 'your lighthouse.' })) +
      event(part({ inlineData: { mimeType: 'image/png', data: final.toString('base64') }, thoughtSignature: 'ZmluYWw=' }, { finishReason: 'STOP' }), '\r\n'),
  );

  it('reports each event as parsed (the draft before the final image is complete) and merges them into one reply', async () => {
    for (const sizes of [[1], [7, 3], [4096], [body.length]]) {
      const { sink, writers } = recordingSink();
      const seen: { drafts: number; texts: string[]; writersFinished: number }[] = [];
      const reply = await parseStreamedReply(chunked(body, sizes), sink, {
        onEvent: (e: ParsedReply<Buffer>) => void seen.push({ drafts: e.thoughtImages.length, texts: e.texts, writersFinished: writers.filter((w) => w.state === 'finished').length }),
      });
      // The final image is not complete when the draft is reported.
      assert.deepEqual(seen[0], { drafts: 1, texts: [], writersFinished: 1 }, `sizes ${sizes}`);
      assert.equal(seen.length, 4);
      assert.deepEqual(reply.thoughtImages.map((i) => i.handle), [draft]);
      assert.deepEqual(reply.images.map((i) => i.handle), [final]);
      assert.equal(reply.images[0].partIndex, 3);
      assert.equal(reply.images[0].thoughtSignature, 'ZmluYWw=');
      assert.deepEqual(reply.texts, ['Here is your lighthouse.']);
      assert.equal(reply.finishReason, 'STOP');
      assert.equal(reply.modelVersion, 'gemini-3-pro-image');
      const parts = (reply.modelTurn as { parts: unknown[] }).parts;
      assert.deepEqual(parts[0], { inlineData: { mimeType: 'image/png', data: { thoughtImageRef: 0 } }, thought: true, thoughtSignature: 'ZHJhZnQ=' });
      assert.deepEqual(parts[3], { inlineData: { mimeType: 'image/png', data: { imageRef: 0 } }, thoughtSignature: 'ZmluYWw=' });
      assert.ok(writers.every((w) => w.state === 'finished'));
    }
  });

  it('fails on an event that is not JSON, discarding the image it had begun', async () => {
    const broken = Buffer.from(event(part({ text: 'ok' })) + `data: {"candidates": [{"content": {"parts": [{"inlineData": {"data": "${final.toString('base64').slice(0, 500)}\r\n\r\n`);
    const { sink, writers } = recordingSink();
    await assert.rejects(parseStreamedReply(chunked(broken, [100]), sink), (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse');
    assert.ok(writers.length > 0 && writers.every((w) => w.state === 'discarded'));
  });

  it('a stream with no event at all is a bad response', async () => {
    const { sink } = recordingSink();
    await assert.rejects(parseStreamedReply(chunked(Buffer.from(': nothing\r\n\r\n'), [5]), sink), (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse');
  });
});
