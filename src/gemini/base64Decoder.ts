// Incremental base64 decoding for image data that arrives in pieces. The common case (a span of
// pure base64) costs one latin1 string and one native decode per flush; only spans holding
// whitespace, padding or garbage fall back to a per-character pass.

import { GeminiError } from './errors';

/** Character classes: a data character of either alphabet, '=', whitespace, anything else. */
export const B64_INVALID = 0;
export const B64_DATA = 1;
export const B64_PAD = 2;
export const B64_SPACE = 3;

export const BASE64_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  const data = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
  for (let i = 0; i < data.length; i++) table[data.charCodeAt(i)] = B64_DATA;
  table[0x3d] = B64_PAD;
  for (const c of [0x20, 0x09, 0x0a, 0x0d]) table[c] = B64_SPACE;
  return table;
})();

/** The same for raw bytes of a JSON string, where only the space may appear unescaped. */
const BASE64_CLASS_JSON_RAW: Uint8Array = (() => {
  const table = BASE64_CLASS.slice();
  for (const c of [0x09, 0x0a, 0x0d]) table[c] = B64_INVALID;
  return table;
})();

const DEFAULT_CAPACITY = 96 * 1024;

export interface Base64DecoderOptions {
  /** Stage size: how many characters are decoded at once at most. */
  capacity?: number;
  /**
   * push() gets the raw bytes of a JSON string: a raw tab or line break there is invalid JSON, so
   * only the space counts as whitespace (escaped whitespace comes through pushChar and is skipped).
   */
  jsonRaw?: boolean;
  /**
   * Decode into one reused buffer: the bytes given to `onBytes` stay valid only until recycle()
   * is called. For a receiver that is done with them by then (it wrote them to a file), which
   * saves a fresh off-heap buffer per flush.
   */
  recycle?: boolean;
}

/** Two stage-fulls: a slice can flush a full stage and then its rest before the receiver drains. */
const ARENA_STAGES = 2;
const arenaBytes = (stageBytes: number) => ARENA_STAGES * ((stageBytes >>> 2) * 3 + 3);
/** Released recycling decoders' stage and arena (default capacity), for the next image's decoder. */
const spareBlocks: Buffer[] = [];
const MAX_SPARE_BLOCKS = 4;

function invalid(what: string): GeminiError {
  return new GeminiError('badResponse', `The image data is not valid base64 (${what})`);
}

/**
 * Decodes base64 (standard or URL-safe, padded or not, whitespace ignored) pushed in arbitrary
 * pieces. Decoded bytes go to `onBytes` in order, each time in a fresh Buffer the receiver may keep
 * (unless `recycle` is set).
 * Anything that is not base64 throws GeminiError('badResponse'); for valid input the bytes equal
 * `Buffer.from(whole, 'base64')`.
 */
export class Base64Decoder {
  private readonly stage: Buffer;
  private staged = 0;
  /** Data characters decoded so far (only its value mod 4 matters). */
  private dataChars = 0;
  /** '=' seen so far; once non-zero only '=' (up to the group's end) and whitespace may follow. */
  private pads = 0;
  private maxPads = 0;
  private ended = false;
  /** Decoded bytes handed out so far. */
  byteLength = 0;

  private readonly classes: Uint8Array;
  private readonly arena: Buffer | undefined;
  /** stage + arena in one pooled allocation, when recycling. */
  private readonly block: Buffer | undefined;
  private released = false;
  private arenaUsed = 0;

  constructor(
    private readonly onBytes: (bytes: Buffer) => void,
    options: Base64DecoderOptions = {},
  ) {
    const stageBytes = Math.max(16, options.capacity ?? DEFAULT_CAPACITY);
    this.classes = options.jsonRaw ? BASE64_CLASS_JSON_RAW : BASE64_CLASS;
    if (options.recycle) {
      const pooled = stageBytes === DEFAULT_CAPACITY;
      const block = (pooled && spareBlocks.pop()) || Buffer.allocUnsafe(stageBytes + arenaBytes(stageBytes));
      if (pooled) this.block = block;
      this.stage = block.subarray(0, stageBytes);
      this.arena = block.subarray(stageBytes);
    } else {
      this.stage = Buffer.allocUnsafe(stageBytes);
    }
  }

  /** Done with this decoder and with every byte it handed out: its buffers go to the next one. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.ended = true;
    if (this.block && spareBlocks.length < MAX_SPARE_BLOCKS) spareBlocks.push(this.block);
  }

  /** The receiver is done with every byte handed out so far: the reused buffer starts over. */
  recycle(): void {
    this.arenaUsed = 0;
  }

  private decode(start: number, end: number): Buffer {
    const text = this.stage.toString('latin1', start, end);
    const arena = this.arena;
    // Buffer.from(text, 'base64') is this same write into a fresh buffer.
    if (!arena || arena.length - this.arenaUsed < ((end - start) >>> 2) * 3 + 3) return Buffer.from(text, 'base64');
    const n = arena.write(text, this.arenaUsed, 'base64');
    const out = arena.subarray(this.arenaUsed, this.arenaUsed + n);
    this.arenaUsed += n;
    return out;
  }

  /** Characters as bytes (latin1). */
  push(src: Uint8Array, start = 0, end = src.length): void {
    if (this.released) throw new Error('Base64Decoder used after release()');
    if (this.pads > 0) {
      for (let i = start; i < end; i++) this.afterPadding(src[i]);
      return;
    }
    while (start < end) {
      let room = this.stage.length - this.staged;
      if (room === 0) {
        this.decodeStaged(false);
        if (this.pads > 0) {
          this.push(src, start, end);
          return;
        }
        room = this.stage.length - this.staged;
      }
      const n = Math.min(room, end - start);
      this.stage.set(src.subarray(start, start + n), this.staged);
      this.staged += n;
      start += n;
    }
  }

  /** One character given by its code (from a JSON escape such as `\/` or `\u002F`). */
  pushChar(code: number): void {
    if (this.released) throw new Error('Base64Decoder used after release()');
    if (code > 0xff) throw invalid(`character U+${code.toString(16).padStart(4, '0')}`);
    if (BASE64_CLASS[code] === B64_SPACE) return;
    if (this.pads > 0) {
      this.afterPadding(code);
      return;
    }
    if (this.staged === this.stage.length) {
      this.decodeStaged(false);
      if (this.pads > 0) {
        this.afterPadding(code);
        return;
      }
    }
    this.stage[this.staged++] = code;
  }

  /** Decodes the whole 4-character groups staged so far (call when an input chunk is used up). */
  flush(): void {
    if (!this.ended && this.pads === 0) this.decodeStaged(false);
  }

  /** The input is complete: decodes the rest and checks the final group. */
  end(): void {
    if (this.ended) return;
    if (this.pads === 0) this.decodeStaged(true);
    this.ended = true;
    if (this.dataChars % 4 === 1) throw invalid('truncated group');
  }

  private decodeStaged(final: boolean): void {
    // At the end the last group may hold '=', where the native decode stops: the groups before it
    // are decoded natively first, so the slow pass sees a few characters, not a whole stage.
    const whole = (final ? Math.max(0, this.staged - 4) : this.staged) & ~3;
    if (whole > 0) {
      const out = this.decode(0, whole);
      // Node skips anything that is not a data character, or stops at '=': a short result means
      // the span held whitespace, padding or garbage.
      if (out.length === (whole >>> 2) * 3) {
        this.dataChars += whole;
        this.stage.copyWithin(0, whole, this.staged);
        this.staged -= whole;
        this.emit(out);
        if (!final || this.staged === 0) return;
      } else if (this.arena && out.buffer === this.arena.buffer) {
        this.arenaUsed -= out.length;
      }
    } else if (!final) {
      return;
    }
    this.compact();
    const keep = final || this.pads > 0 ? 0 : this.staged & 3;
    const take = this.staged - keep;
    if (take > 0) {
      this.dataChars += take;
      this.emit(this.decode(0, take));
      this.stage.copyWithin(0, take, this.staged);
      this.staged = keep;
    }
  }

  /** Slow path: drops whitespace, handles padding, rejects anything else. */
  private compact(): void {
    const stage = this.stage;
    const n = this.staged;
    let w = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = stage[i];
      const cls = this.classes[c];
      if (cls === B64_DATA) {
        stage[w++] = c;
      } else if (cls === B64_PAD) {
        this.startPadding((this.dataChars + w) % 4);
        i++;
        break;
      } else if (cls !== B64_SPACE) {
        throw invalid(`byte 0x${c.toString(16).padStart(2, '0')}`);
      }
    }
    for (; i < n; i++) this.afterPadding(stage[i]);
    this.staged = w;
  }

  private startPadding(rest: number): void {
    if (rest < 2) throw invalid('misplaced padding');
    this.pads = 1;
    this.maxPads = 4 - rest;
  }

  private afterPadding(c: number): void {
    const cls = this.classes[c];
    if (cls === B64_SPACE) return;
    if (cls === B64_PAD && this.pads < this.maxPads) {
      this.pads++;
      return;
    }
    throw invalid(cls === B64_PAD ? 'too much padding' : 'data after padding');
  }

  private emit(out: Buffer): void {
    if (out.length === 0) return;
    this.byteLength += out.length;
    this.onBytes(out);
  }
}
