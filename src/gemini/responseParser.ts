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
import { ByteBudget, excerptOf, JsonScanner, ROLE_BUILD, ROLE_SKIP, type ScanPolicy, type StringStream } from './jsonScanner';
import { ReplyAssembly, type ParsedReply } from './replyAssembly';
import { ImageDataStream, PendingImage, TextStream, type ImageStarter } from './replyStreams';

export { memorySink, type ImageSink, type ImageWriter } from './imageSink';
export { fillImageRefs, requireImages, type ImageRef, type ParsedImage, type ParsedReply } from './replyAssembly';

export interface ParseOptions {
  signal?: AbortSignal;
  /** Cap on the non-image JSON kept in memory (default 4 MB); more is a 'badResponse'. */
  maxJsonBytes?: number;
  /** What to do with thought images: keep them for a later refine (default) or drop them. */
  thoughtImages?: 'keep' | 'discard';
}

const DEFAULT_MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Work per step: one chunk is cut into slices of this size. */
const SLICE_BYTES = 64 * 1024;
/** Give the event loop a turn when we have held it this long. */
const YIELD_AFTER_MS = 2;
const EXCERPT_BYTES = 200;
/** Each image costs a writer (a temp file): a reply with more is not a real one. */
const MAX_IMAGES = 64;


// Positions in the reply that matter (the scanner's roles).
const R_ROOT = 2;
const R_CANDIDATES = 3;
const R_CANDIDATE = 4;
const R_CONTENT = 5;
const R_PARTS = 6;
const R_PART = 7;
const R_INLINE = 8;
const R_IMAGE_DATA = 9;
const R_TEXT = 10;
/** A line of a batch's results file: {key, response | error}. */
const R_BATCH_LINE = 11;

const KEPT_TOP_LEVEL = new Set([
  'promptFeedback',
  'prompt_feedback',
  'usageMetadata',
  'usage_metadata',
  'modelVersion',
  'model_version',
  'responseId',
  'response_id',
  'modelStatus',
  'model_status',
  'error',
]);

function childRole(parent: number, key: string | number): number {
  switch (parent) {
    case R_BATCH_LINE:
      if (key === 'response') return R_ROOT;
      return key === 'key' || key === 'error' ? ROLE_BUILD : ROLE_SKIP;
    case R_ROOT:
      if (key === 'candidates') return R_CANDIDATES;
      return typeof key === 'string' && KEPT_TOP_LEVEL.has(key) ? ROLE_BUILD : ROLE_SKIP;
    case R_CANDIDATES:
      // Image models answer one candidate; any other is read past, not kept.
      return key === 0 ? R_CANDIDATE : ROLE_SKIP;
    case R_CANDIDATE:
      return key === 'content' ? R_CONTENT : ROLE_BUILD;
    case R_CONTENT:
      return key === 'parts' ? R_PARTS : ROLE_BUILD;
    case R_PARTS:
      return typeof key === 'number' ? R_PART : ROLE_SKIP;
    case R_PART:
      if (key === 'inlineData' || key === 'inline_data') return R_INLINE;
      return key === 'text' ? R_TEXT : ROLE_BUILD;
    case R_INLINE:
      return key === 'data' ? R_IMAGE_DATA : ROLE_BUILD;
    default:
      return ROLE_BUILD;
  }
}

function cancelled(cause?: unknown): GeminiError {
  return new GeminiError('cancelled', 'The request was cancelled', {}, cause === undefined ? undefined : { cause });
}

/** Parses a generateContent reply body, writing images through `sink` as their bytes arrive. */
export function parseGenerateContentReply<H>(body: AsyncIterable<Uint8Array>, sink: ImageSink<H>, options: ParseOptions = {}): Promise<ParsedReply<H>> {
  return parseBody(body, new ReplyRun<H>(sink, options, R_ROOT), options).then((line) => line.reply!);
}

/** One line of a batch's results file; `reply` when it holds a response, `error` when it failed. */
export interface BatchResultLine<H> {
  key?: string;
  reply?: ParsedReply<H>;
  error?: { code?: number; message?: string; status?: string };
}

/** Parses one results-file line (`{"key", "response" | "error"}`), images through `sink` as for a reply. */
export function parseBatchResultLine<H>(line: AsyncIterable<Uint8Array>, sink: ImageSink<H>, options: ParseOptions = {}): Promise<BatchResultLine<H>> {
  return parseBody(line, new ReplyRun<H>(sink, options, R_BATCH_LINE), options);
}

async function parseBody<H>(body: AsyncIterable<Uint8Array>, run: ReplyRun<H>, options: ParseOptions): Promise<BatchResultLine<H>> {
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

/** One parse: the scanner, the images begun so far, and their queued bytes. */
class ReplyRun<H> implements ScanPolicy, ImageStarter {
  private readonly budget: ByteBudget;
  private readonly scanner: JsonScanner;
  private readonly pending: PendingImage[] = [];
  private queue: { image: PendingImage; bytes: Buffer }[] = [];
  private readonly enqueue = (image: PendingImage, bytes: Buffer) => {
    this.queue.push({ image, bytes });
  };

  constructor(
    private readonly sink: ImageSink<H>,
    private readonly options: ParseOptions,
    readonly rootRole: number,
  ) {
    this.budget = new ByteBudget(options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES);
    this.scanner = new JsonScanner(this, this.budget);
  }

  childRole(parent: number, key: string | number): number {
    return childRole(parent, key);
  }

  openString(role: number): StringStream | undefined {
    if (role === R_IMAGE_DATA) return new ImageDataStream(this.begin());
    if (role === R_TEXT) return new TextStream(this, this.budget);
    return undefined;
  }

  begin(urlMimeType?: string): PendingImage {
    if (this.pending.length >= MAX_IMAGES) throw new GeminiError('badResponse', `The reply holds more than ${MAX_IMAGES} images`);
    const image = new PendingImage(this.sink.begin(), urlMimeType, this.enqueue);
    this.pending.push(image);
    return image;
  }

  write(slice: Buffer): void {
    this.scanner.write(slice);
    // Decode what this slice brought for the image being read, so its bytes move on now.
    this.pending[this.pending.length - 1]?.decoder.flush();
  }

  get hasQueuedBytes(): boolean {
    return this.queue.length > 0;
  }

  async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const queue = this.queue;
      this.queue = [];
      for (const { image, bytes } of queue) {
        const done = image.writer.write(bytes);
        if (done) await done;
      }
    }
    for (const image of this.pending) image.decoder.recycle();
  }

  async finish(): Promise<BatchResultLine<H>> {
    const built = this.scanner.end();
    await this.drain();
    for (const image of this.pending) image.decoder.release();
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(built)) throw new GeminiError('badResponse', 'The reply is not a generateContent response');
    const line: BatchResultLine<H> = {};
    let root = built;
    if (this.rootRole === R_BATCH_LINE) {
      if (typeof built.key === 'string') line.key = built.key;
      if (isObject(built.error)) line.error = built.error as BatchResultLine<H>['error'];
      if (!isObject(built.response)) {
        if (!line.error) line.error = { message: 'The line has neither a response nor an error.' };
        await this.discardAll();
        return line;
      }
      root = built.response;
    }
    const reply = new ReplyAssembly<H>(root, this.options.thoughtImages ?? 'keep');
    const kept = reply.keep;
    for (const image of this.pending) {
      if (!kept.has(image)) await this.settle(image);
    }
    for (const [image, target] of kept) {
      if (target) target.handle = (await image.writer.finish(target.mimeType, { thought: reply.result.thoughtImages.includes(target) })) as H;
      else await this.settle(image);
      image.settled = true;
    }
    line.reply = reply.result;
    return line;
  }

  private async settle(image: PendingImage): Promise<void> {
    if (image.settled) return;
    image.settled = true;
    await image.writer.discard();
  }

  async discardAll(): Promise<void> {
    this.queue = [];
    for (const image of this.pending) {
      try {
        await this.settle(image);
      } catch {
        // Keep discarding the others; the parse error is what the caller needs.
      }
    }
  }
}
