// Reads a generateContent reply body as it arrives, without ever holding it whole: image base64 is
// decoded chunk by chunk into an ImageSink, the rest (small) is built as usual. jsonScanner.ts is
// the JSON side, replyStreams.ts the image-carrying strings, replyAssembly.ts the result.
//
// Thought (draft) parts: they are left out of `images` and `texts`, but a refine must send the
// model turn back as received, so their images are written through the sink like the others and
// listed in `thoughtImages` (unless `thoughtImages: 'discard'`); `modelTurn` refers to them as
// { thoughtImageRef: n }. Nothing is dropped, so fillImageRefs() restores the turn exactly (the
// base64 comes back canonical: padded, standard alphabet, no line breaks).

import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GeminiError } from './errors';
import type { ImageSink } from './imageSink';
import { excerptOf } from './jsonScanner';
import type { ParsedReply } from './replyAssembly';
import { R_BATCH_LINE, R_ROOT, ReplyRun, type BatchResultLine, type ParseOptions } from './replyRun';

export { memorySink, type ImageSink, type ImageWriter } from './imageSink';
export type { BatchResultLine, ParseOptions } from './replyRun';
export { fillImageRefs, requireImages, type ImageRef, type ParsedImage, type ParsedReply } from './replyAssembly';

/** Work per step: one chunk is cut into slices of this size. */
const SLICE_BYTES = 64 * 1024;
/** Give the event loop a turn when we have held it this long. */
const YIELD_AFTER_MS = 2;
const EXCERPT_BYTES = 200;

export function cancelled(cause?: unknown): GeminiError {
  return new GeminiError('cancelled', 'The request was cancelled', {}, cause === undefined ? undefined : { cause });
}

/** Parses a generateContent reply body, writing images through `sink` as their bytes arrive. */
export function parseGenerateContentReply<H>(body: AsyncIterable<Uint8Array>, sink: ImageSink<H>, options: ParseOptions = {}): Promise<ParsedReply<H>> {
  return parseBody(body, new ReplyRun<H>(sink, options, R_ROOT), options).then((line) => line.reply!);
}

/** Parses one results-file line (`{"key", "response" | "error"}`), images through `sink` as for a reply. */
export function parseBatchResultLine<H>(line: AsyncIterable<Uint8Array>, sink: ImageSink<H>, options: ParseOptions = {}): Promise<BatchResultLine<H>> {
  return parseBody(line, new ReplyRun<H>(sink, options, R_BATCH_LINE), options);
}

/** What reads a body's slices: one reply (ReplyRun), or a stream of events (streamedReply.ts). */
export interface BodyConsumer<H> {
  write(slice: Buffer): void;
  readonly hasQueuedBytes: boolean;
  drain(): Promise<void>;
  finish(): Promise<BatchResultLine<H>>;
  discardAll(): Promise<void>;
}

/** Feeds `body` to `run` in bounded slices, with backpressure, cancellation and turns for the event loop. */
export async function parseBody<H>(body: AsyncIterable<Uint8Array>, run: BodyConsumer<H>, options: ParseOptions): Promise<BatchResultLine<H>> {
  const { signal } = options;
  if (signal?.aborted) throw cancelled();
  const iterator = body[Symbol.asyncIterator]();
  // One listener per read, removed when the read settles: a race against a promise that stays
  // pending for the whole reply would keep every chunk reachable until the end (2x the image in RSS).
  const next = (): Promise<IteratorResult<Uint8Array>> =>
    !signal
      ? iterator.next()
      : new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
          const stop = () => reject(cancelled());
          signal.addEventListener('abort', stop, { once: true });
          iterator.next().then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
        });
  let head = Buffer.alloc(0);
  let finished = false;
  try {
    let heldSince = performance.now();
    for (;;) {
      const step = await next();
      if (step.done) break;
      const chunk = asBuffer(step.value);
      if (head.length < EXCERPT_BYTES) head = Buffer.concat([head, chunk.subarray(0, EXCERPT_BYTES - head.length)]);
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
        run.write(chunk.subarray(at, at + SLICE_BYTES));
        if (run.hasQueuedBytes) await run.drain();
        if (signal?.aborted) throw cancelled();
        if (performance.now() - heldSince > YIELD_AFTER_MS) {
          await nextTurn();
          heldSince = performance.now();
        }
      }
    }
    finished = true;
    if (signal?.aborted) throw cancelled();
    return await run.finish();
  } catch (e) {
    if (!finished && e instanceof GeminiError && e.details.bodyExcerpt !== undefined && head.length < EXCERPT_BYTES) {
      // Not JSON (an HTML page from a proxy...): a few more bytes make the excerpt say what it is.
      try {
        for (let reads = 0; reads < EXCERPT_BYTES && head.length < EXCERPT_BYTES; reads++) {
          const step = await next();
          if (step.done) break;
          head = Buffer.concat([head, asBuffer(step.value).subarray(0, EXCERPT_BYTES - head.length)]);
        }
        e.details.bodyExcerpt = excerptOf(head);
      } catch {
        // Keep the excerpt we have.
      }
    }
    if (!finished) stopReading(iterator);
    await run.discardAll();
    if (signal?.aborted && !(e instanceof GeminiError && e.kind === 'cancelled')) throw cancelled(e);
    throw e;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function stopReading(iterator: AsyncIterator<unknown>): void {
  try {
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  } catch {
    // The body is being dropped either way.
  }
}

