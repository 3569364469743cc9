// One parse of one generateContent reply (or a batch's results line): the JSON scanner with the
// reply's roles, the images begun so far and their queued bytes, and the assembled result.

import { GeminiError } from './errors';
import type { ImageSink } from './imageSink';
import { ByteBudget, JsonScanner, ROLE_BUILD, ROLE_SKIP, type ScanPolicy, type StringStream } from './jsonScanner';
import { ReplyAssembly, type ParsedReply } from './replyAssembly';
import { ImageDataStream, PendingImage, TextStream, type ImageStarter } from './replyStreams';

export interface ParseOptions {
  signal?: AbortSignal;
  /** Cap on the non-image JSON kept in memory (default 4 MB); more is a 'badResponse'. */
  maxJsonBytes?: number;
  /** What to do with thought images: keep them for a later refine (default) or drop them. */
  thoughtImages?: 'keep' | 'discard';
}

const DEFAULT_MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Each image costs a writer (a temp file): a reply with more is not a real one. */
const MAX_IMAGES = 64;

// Positions in the reply that matter (the scanner's roles).
export const R_ROOT = 2;
const R_CANDIDATES = 3;
const R_CANDIDATE = 4;
const R_CONTENT = 5;
const R_PARTS = 6;
const R_PART = 7;
const R_INLINE = 8;
const R_IMAGE_DATA = 9;
const R_TEXT = 10;
/** A line of a batch's results file: {key, response | error}. */
export const R_BATCH_LINE = 11;

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

/** One line of a batch's results file; `reply` when it holds a response, `error` when it failed. */
export interface BatchResultLine<H> {
  key?: string;
  reply?: ParsedReply<H>;
  error?: { code?: number; message?: string; status?: string };
}

/** One parse: the scanner, the images begun so far, and their queued bytes. */
export class ReplyRun<H> implements ScanPolicy, ImageStarter {
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
