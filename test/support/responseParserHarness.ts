// Driving parseGenerateContentReply for the parser's tests: every body is fed under many
// chunkings into a sink that checks each writer is finished or discarded exactly once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GeminiError } from '../../src/gemini/errors';
import type { ImageSink } from '../../src/gemini/imageSink';
import { parseGenerateContentReply, type ParsedReply } from '../../src/gemini/responseParser';
import { prng } from './testHelpers';

interface WriterLog {
  chunks: Buffer[];
  state: 'open' | 'finished' | 'discarded';
  mimeType?: string;
}

/** A sink that remembers every writer, to check each one is finished or discarded exactly once. */
export function recordingSink(): { sink: ImageSink<Buffer>; writers: WriterLog[] } {
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

export async function* chunked(body: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
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
export async function parseEvery(json: string | Buffer, options: Parameters<typeof parseGenerateContentReply>[2] = {}): Promise<ParsedReply<Buffer>> {
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
export async function failEvery(json: string | Buffer, kind: string, options: Parameters<typeof parseGenerateContentReply>[2] = {}): Promise<GeminiError> {
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

export function reply(parts: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], ...extra });
}

export const png = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]);
export const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(n)]);
