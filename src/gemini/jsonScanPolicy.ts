// What JsonScanner keeps: a policy of roles by position, streams for the strings it names, and a
// budget on the bytes of JSON held in memory.
import { GeminiError } from './errors';

export const HEAD_BYTES = 200;

/** The value is checked but not kept (and neither is anything inside it). */
export const ROLE_SKIP = 0;
/** The value and everything inside it is built normally. */
export const ROLE_BUILD = 1;

/** Receives one JSON string value in pieces. */
export interface StringStream {
  /** Raw bytes of the string, never `"` or `\`. Bytes < 0x20 are invalid JSON: the receiver must reject them. */
  raw(buf: Buffer, start: number, end: number): void;
  /** One UTF-16 code unit written as an escape (`\n`, `\/`, `\u00e9`, half of a surrogate pair). */
  escaped(code: number): void;
  /** The string is complete; the result is stored in its place. */
  end(): unknown;
}

/** Decides, by position, what is kept. Roles other than ROLE_SKIP/ROLE_BUILD are the policy's own. */
export interface ScanPolicy {
  readonly rootRole: number;
  childRole(parentRole: number, key: string | number): number;
  /** A stream for a string value with this role, or undefined to build it as a string. */
  openString(role: number): StringStream | undefined;
}

/** Counts the bytes of JSON kept in memory; throws when there are too many. */
export class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}
  add(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) {
      throw new GeminiError('badResponse', `The reply holds more than ${this.max} bytes of JSON besides the images`);
    }
  }
}

/** A growable byte buffer for a string's raw UTF-8, decoded in one go at an ASCII boundary. */
export class ByteBuilder {
  private buf = Buffer.allocUnsafe(64);
  length = 0;

  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** Decodes and empties. Callers only cut at ASCII bytes, so piecewise decoding equals decoding the whole. */
  take(): string {
    if (this.length === 0) return '';
    const s = this.buf.toString('utf8', 0, this.length);
    this.length = 0;
    return s;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

/** A short, printable piece of a body for error messages. */
export function excerptOf(bytes: Uint8Array): string {
  let text = '';
  for (const ch of Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) {
    const code = ch.charCodeAt(0);
    text += code < 0x20 || code === 0x7f || code === 0xfffd ? ' ' : ch;
  }
  return text.replace(/ {2,}/g, ' ').trim().slice(0, HEAD_BYTES);
}
