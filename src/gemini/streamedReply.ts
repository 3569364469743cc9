// A streamGenerateContent?alt=sse body: each server-sent event is one GenerateContentResponse,
// parsed as it arrives by the same streaming parser as a whole reply (images decoded into the
// sink, never held as a string). Each event is reported once parsed, so drafts and words can be
// shown while the final image is still on its way; at the end the events make one reply.

import { GeminiError } from './errors';
import type { ImageSink } from './imageSink';
import type { ImageRef, ParsedImage, ParsedReply } from './replyAssembly';
import { R_ROOT, ReplyRun, type BatchResultLine, type ParseOptions } from './replyRun';
import { parseBody, type BodyConsumer } from './responseParser';
import { SseFramer, type SseHandler } from './sseFramer';

export interface StreamOptions<H> extends ParseOptions {
  /**
   * One event's reply, once parsed: its images are finished through the sink and belong to the
   * caller from here on (a later failure does not remove them). Awaited before reading on.
   */
  onEvent?(event: ParsedReply<H>): void | Promise<void>;
}

const LINE_FEED = Buffer.from('\n');

/** Parses an event stream, writing images through `sink` as their bytes arrive. */
export async function parseStreamedReply<H>(body: AsyncIterable<Uint8Array>, sink: ImageSink<H>, options: StreamOptions<H> = {}): Promise<ParsedReply<H>> {
  const line = await parseBody(body, new EventStreamRun<H>(sink, options), options);
  return line.reply!;
}

class EventStreamRun<H> implements BodyConsumer<H>, SseHandler {
  private readonly framer = new SseFramer(this);
  private current: ReplyRun<H> | undefined;
  /** Events whose last byte has arrived, not yet finished. */
  private ended: ReplyRun<H>[] = [];
  private readonly events: ParsedReply<H>[] = [];

  constructor(
    private readonly sink: ImageSink<H>,
    private readonly options: StreamOptions<H>,
  ) {}

  data(buf: Buffer, start: number, end: number): void {
    this.current ??= new ReplyRun<H>(this.sink, this.options, R_ROOT);
    this.current.write(buf.subarray(start, end));
  }

  dataLineBreak(): void {
    // Lines of one event's data are joined with a line feed: JSON whitespace between tokens.
    this.current?.write(LINE_FEED);
  }

  eventEnd(): void {
    if (!this.current) return;
    this.ended.push(this.current);
    this.current = undefined;
  }

  write(slice: Buffer): void {
    this.framer.write(slice);
  }

  get hasQueuedBytes(): boolean {
    return this.ended.length > 0 || !!this.current?.hasQueuedBytes;
  }

  async drain(): Promise<void> {
    while (this.ended.length > 0) {
      const run = this.ended[0];
      const line = await run.finish();
      this.ended.shift();
      const reply = line.reply as ParsedReply<H>;
      this.events.push(reply);
      await this.options.onEvent?.(reply);
    }
    if (this.current?.hasQueuedBytes) await this.current.drain();
  }

  async finish(): Promise<BatchResultLine<H>> {
    this.framer.end();
    await this.drain();
    if (this.events.length === 0) throw new GeminiError('badResponse', 'The event stream ended without an event.', { bodyExcerpt: '' });
    return { reply: mergeEvents(this.events) };
  }

  async discardAll(): Promise<void> {
    const runs = [...this.ended, ...(this.current ? [this.current] : [])];
    this.ended = [];
    this.current = undefined;
    for (const run of runs) await run.discardAll();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The events as one reply: their parts in order (image refs renumbered), the last word on the rest. */
export function mergeEvents<H>(events: readonly ParsedReply<H>[]): ParsedReply<H> {
  const merged: ParsedReply<H> = { images: [], thoughtImages: [], texts: [], modelTurn: undefined };
  const parts: unknown[] = [];
  let turn: Record<string, unknown> | undefined;
  let text = '';
  for (const event of events) {
    const imageBase = merged.images.length;
    const thoughtBase = merged.thoughtImages.length;
    const partBase = parts.length;
    const shift = (ref: ImageRef): ImageRef =>
      'imageRef' in ref ? { imageRef: ref.imageRef + imageBase } : ref.thoughtImageRef < 0 ? ref : { thoughtImageRef: ref.thoughtImageRef + thoughtBase };
    const moved = (image: ParsedImage<H>): ParsedImage<H> => ({ ...image, partIndex: image.partIndex + partBase });
    merged.images.push(...event.images.map(moved));
    merged.thoughtImages.push(...event.thoughtImages.map(moved));
    const content = event.modelTurn;
    if (isObject(content)) {
      turn = { ...turn, ...content };
      if (Array.isArray(content.parts)) parts.push(...content.parts.map((part) => shiftRefs(part, shift)));
    }
    // Google streams a text part's words across events: they are one text.
    text += event.texts.join('');
    merged.finishReason = event.finishReason ?? merged.finishReason;
    merged.finishMessage = event.finishMessage ?? merged.finishMessage;
    merged.blockReason = event.blockReason ?? merged.blockReason;
    merged.safetyRatings = event.safetyRatings ?? merged.safetyRatings;
    merged.usage = event.usage ?? merged.usage;
    merged.modelVersion = event.modelVersion ?? merged.modelVersion;
    merged.responseId = event.responseId ?? merged.responseId;
    merged.modelStatus = event.modelStatus ?? merged.modelStatus;
    merged.error = merged.error ?? event.error;
  }
  if (/\S/.test(text)) merged.texts.push(text);
  merged.modelTurn = turn ? { ...turn, parts } : undefined;
  return merged;
}

function shiftRefs(part: unknown, shift: (ref: ImageRef) => ImageRef): unknown {
  if (!isObject(part)) return part;
  const isRef = (v: unknown): v is ImageRef => isObject(v) && (typeof v.imageRef === 'number' || typeof v.thoughtImageRef === 'number');
  const copy: Record<string, unknown> = { ...part };
  for (const key of ['inlineData', 'inline_data']) {
    const inline = copy[key];
    if (isObject(inline) && isRef(inline.data)) copy[key] = { ...inline, data: shift(inline.data) };
  }
  if (Array.isArray(copy.text)) copy.text = copy.text.map((piece: unknown) => (isRef(piece) ? shift(piece) : piece));
  return copy;
}
