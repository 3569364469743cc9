// An incremental JSON parser over bytes, as strict as JSON.parse. It builds the small values a
// policy asks for, skips (validates without keeping) the rest, and hands the strings the policy
// names to a StringStream as raw spans, so a 16 MB base64 string is never one JS string.

import { GeminiError } from './errors';

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

// Parser states.
const ST_VALUE = 0;
const ST_OBJ_OPEN = 1;
const ST_OBJ_KEY = 2;
const ST_COLON = 3;
const ST_AFTER = 4;
const ST_ARR_OPEN = 5;
const ST_STR = 6;
const ST_ESC = 7;
const ST_HEX = 8;
const ST_NUM = 9;
const ST_LIT = 10;
const ST_DONE = 11;

// What the current string is.
const K_KEY = 0;
const K_BUILD = 1;
const K_SKIP_VALUE = 2;
const K_SKIP_KEY = 3;
const K_STREAM = 4;

// Number grammar states: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_E = 5;
const N_ESIGN = 6;
const N_EXP = 7;

const MAX_DEPTH = 256;
const BOM = [0xef, 0xbb, 0xbf];
const HEAD_BYTES = 200;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // Like JSON.parse: "__proto__" is an ordinary own property, not the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
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

export class JsonScanner {
  private state = ST_VALUE;
  private root: unknown;
  private offset = 0;
  private head: Buffer | undefined;
  private sawValue = false;
  /** Bytes of a leading UTF-8 byte order mark read so far. */
  private bomBytes = 0;

  // The open containers, innermost last.
  private depth = 0;
  private readonly roles: number[] = [];
  private readonly values: (Record<string, unknown> | unknown[] | undefined)[] = [];
  private readonly isArray: boolean[] = [];
  private readonly keys: string[] = [];
  private readonly indexes: number[] = [];

  /** Role of the value about to start. */
  private valueRole: number;

  // The current string.
  private kind = K_BUILD;
  private stream: StringStream | undefined;
  private readonly bytes = new ByteBuilder();
  private pieces = '';
  private hexCount = 0;
  private hexCode = 0;

  // The current number or literal.
  private numState = N_INT;
  private numStart = 0;
  private numText = '';
  private literal = '';
  private literalAt = 0;
  private literalValue: unknown;
  private scalarRole = ROLE_SKIP;

  // Where the next `"` / `\` of the current buffer is (the streaming fast path), -1 if none.
  private buf: Buffer = Buffer.alloc(0);
  private quoteAt = -1;
  private quoteKnown = false;
  private slashAt = -1;
  private slashKnown = false;

  constructor(
    private readonly policy: ScanPolicy,
    private readonly budget: ByteBudget,
  ) {
    this.valueRole = policy.rootRole;
  }

  /** Bytes of the body consumed so far. */
  get position(): number {
    return this.offset;
  }

  write(buf: Buffer): void {
    if (this.head === undefined) this.head = Buffer.from(buf.subarray(0, HEAD_BYTES));
    else if (this.head.length < HEAD_BYTES && this.offset === this.head.length) {
      this.head = Buffer.concat([this.head, buf.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    this.buf = buf;
    this.quoteKnown = false;
    this.slashKnown = false;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case ST_STR:
          i = this.kind === K_STREAM ? this.streamSpan(buf, i, n) : this.plainSpan(buf, i, n);
          break;
        case ST_ESC:
          this.escape(buf[i], i);
          i++;
          break;
        case ST_HEX:
          this.hex(buf[i], i);
          i++;
          break;
        case ST_NUM:
          if (this.numByte(buf[i], i)) i++;
          break;
        case ST_LIT:
          this.literalByte(buf[i], i);
          i++;
          break;
        default:
          i = this.structural(buf, i, n);
      }
    }
    if (this.state === ST_NUM) {
      // A number continuing into the next chunk keeps its text so far.
      if (this.scalarRole !== ROLE_SKIP) {
        this.budget.add(n - this.numStart);
        this.numText += buf.toString('latin1', this.numStart, n);
      }
      this.numStart = 0;
    }
    this.offset += n;
  }

  /** The body is complete: returns the root value, or throws if the JSON is not. */
  end(): unknown {
    if (this.state === ST_NUM && this.depth === 0) this.endNumber(this.numText, this.buf.length);
    if (this.state !== ST_DONE) {
      if (!this.sawValue) this.fail(this.offset === 0 ? 'The reply is empty' : 'The reply is not JSON', this.buf.length, true);
      throw new GeminiError('badResponse', `The reply ended before its JSON was complete (${this.offset} bytes received)`);
    }
    return this.root;
  }

  private structural(buf: Buffer, i: number, n: number): number {
    for (; i < n; i++) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      switch (this.state) {
        case ST_VALUE:
          if (!this.sawValue && this.bomBytes < 3 && this.offset + i === this.bomBytes && c === BOM[this.bomBytes]) {
            this.bomBytes++;
            continue;
          }
          return this.startValue(c, i);
        case ST_ARR_OPEN:
          if (c === 0x5d) {
            this.close();
            continue;
          }
          this.valueRole = this.policy.childRole(this.roles[this.depth - 1], 0);
          return this.startValue(c, i);
        case ST_OBJ_OPEN:
        case ST_OBJ_KEY:
          if (c === 0x7d && this.state === ST_OBJ_OPEN) {
            this.close();
            continue;
          }
          if (c !== 0x22) this.fail('expected a property name', i);
          this.startString(this.roles[this.depth - 1] === ROLE_SKIP ? K_SKIP_KEY : K_KEY);
          return i + 1;
        case ST_COLON: {
          if (c !== 0x3a) this.fail("expected ':'", i);
          const d = this.depth - 1;
          this.valueRole = this.roles[d] === ROLE_SKIP ? ROLE_SKIP : this.policy.childRole(this.roles[d], this.keys[d]);
          this.state = ST_VALUE;
          continue;
        }
        case ST_AFTER: {
          const d = this.depth - 1;
          if (c === 0x2c) {
            if (this.isArray[d]) {
              const index = ++this.indexes[d];
              this.valueRole = this.roles[d] === ROLE_SKIP ? ROLE_SKIP : this.policy.childRole(this.roles[d], index);
              this.state = ST_VALUE;
            } else {
              this.state = ST_OBJ_KEY;
            }
          } else if (c === (this.isArray[d] ? 0x5d : 0x7d)) {
            this.close();
          } else {
            this.fail(this.isArray[d] ? "expected ',' or ']'" : "expected ',' or '}'", i);
          }
          continue;
        }
        default:
          this.fail('unexpected data after the JSON value', i);
      }
    }
    return i;
  }

  private startValue(c: number, i: number): number {
    const first = !this.sawValue;
    if (first && this.bomBytes > 0 && this.bomBytes < 3) this.fail('The reply is not JSON', i, true);
    this.sawValue = true;
    const role = this.valueRole;
    if (c === 0x7b || c === 0x5b) {
      if (this.depth >= MAX_DEPTH) this.fail('nested too deeply', i);
      const d = this.depth++;
      const array = c === 0x5b;
      this.roles[d] = role;
      this.isArray[d] = array;
      this.indexes[d] = 0;
      this.keys[d] = '';
      if (role === ROLE_SKIP) {
        this.values[d] = undefined;
      } else {
        this.budget.add(2);
        this.values[d] = array ? [] : {};
      }
      this.state = array ? ST_ARR_OPEN : ST_OBJ_OPEN;
      return i + 1;
    }
    this.scalarRole = role;
    if (c === 0x22) {
      if (role === ROLE_SKIP) {
        this.startString(K_SKIP_VALUE);
      } else {
        this.stream = this.policy.openString(role);
        this.startString(this.stream ? K_STREAM : K_BUILD);
      }
      return i + 1;
    }
    if (c === 0x2d || isDigit(c)) {
      this.state = ST_NUM;
      this.numState = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      this.numStart = i;
      this.numText = '';
      return i + 1;
    }
    if (c === 0x74) this.startLiteral('true', true);
    else if (c === 0x66) this.startLiteral('false', false);
    else if (c === 0x6e) this.startLiteral('null', null);
    else if (first) this.fail('The reply is not JSON', i, true);
    else this.fail('expected a value', i);
    return i + 1;
  }

  private close(): void {
    const d = --this.depth;
    const value = this.values[d];
    this.values[d] = undefined;
    this.emit(value, this.roles[d] === ROLE_SKIP);
  }

  private emit(value: unknown, skipped: boolean): void {
    if (this.depth === 0) {
      this.root = value;
      this.state = ST_DONE;
      return;
    }
    this.state = ST_AFTER;
    if (skipped) return;
    const d = this.depth - 1;
    const target = this.values[d];
    if (target === undefined) return;
    if (this.isArray[d]) (target as unknown[]).push(value);
    else setMember(target as Record<string, unknown>, this.keys[d], value);
  }

  // --- strings ---

  private startString(kind: number): void {
    this.kind = kind;
    this.state = ST_STR;
    this.pieces = '';
  }

  /** The fast path for streamed strings: native searches for the next `"` and `\`. */
  private streamSpan(buf: Buffer, i: number, n: number): number {
    if (!this.quoteKnown || (this.quoteAt >= 0 && this.quoteAt < i)) {
      this.quoteAt = buf.indexOf(0x22, i);
      this.quoteKnown = true;
    }
    if (!this.slashKnown || (this.slashAt >= 0 && this.slashAt < i)) {
      this.slashAt = buf.indexOf(0x5c, i);
      this.slashKnown = true;
    }
    let stop = this.quoteAt < 0 ? n : this.quoteAt;
    if (this.slashAt >= 0 && this.slashAt < stop) stop = this.slashAt;
    if (stop > i) (this.stream as StringStream).raw(buf, i, stop);
    if (stop === n) return n;
    if (buf[stop] === 0x22) this.endString();
    else this.state = ST_ESC;
    return stop + 1;
  }

  private plainSpan(buf: Buffer, i: number, n: number): number {
    let j = i;
    for (; j < n; j++) {
      const c = buf[j];
      if (c === 0x22 || c === 0x5c) break;
      if (c < 0x20) this.fail('control character in a string', j);
    }
    if (j > i && (this.kind === K_KEY || this.kind === K_BUILD)) {
      this.budget.add(j - i);
      this.bytes.append(buf, i, j);
    }
    if (j === n) return n;
    if (buf[j] === 0x22) this.endString();
    else this.state = ST_ESC;
    return j + 1;
  }

  private escape(c: number, i: number): void {
    let code: number;
    switch (c) {
      case 0x22:
      case 0x5c:
      case 0x2f:
        code = c;
        break;
      case 0x62:
        code = 0x08;
        break;
      case 0x66:
        code = 0x0c;
        break;
      case 0x6e:
        code = 0x0a;
        break;
      case 0x72:
        code = 0x0d;
        break;
      case 0x74:
        code = 0x09;
        break;
      case 0x75:
        this.state = ST_HEX;
        this.hexCount = 0;
        this.hexCode = 0;
        return;
      default:
        this.fail('invalid escape in a string', i);
    }
    this.escaped(code);
  }

  private hex(c: number, i: number): void {
    const v = hexValue(c);
    if (v < 0) this.fail('invalid \\u escape', i);
    this.hexCode = this.hexCode * 16 + v;
    if (++this.hexCount === 4) this.escaped(this.hexCode);
  }

  private escaped(code: number): void {
    this.state = ST_STR;
    if (this.kind === K_STREAM) {
      (this.stream as StringStream).escaped(code);
    } else if (this.kind === K_KEY || this.kind === K_BUILD) {
      this.budget.add(1);
      this.pieces += this.bytes.take() + String.fromCharCode(code);
    }
  }

  private endString(): void {
    const kind = this.kind;
    if (kind === K_KEY || kind === K_SKIP_KEY) {
      if (kind === K_KEY) this.keys[this.depth - 1] = this.pieces + this.bytes.take();
      this.pieces = '';
      this.state = ST_COLON;
      return;
    }
    if (kind === K_STREAM) {
      const stream = this.stream as StringStream;
      this.stream = undefined;
      this.emit(stream.end(), false);
    } else if (kind === K_BUILD) {
      const s = this.pieces + this.bytes.take();
      this.pieces = '';
      this.emit(s, false);
    } else {
      this.emit(undefined, true);
    }
  }

  // --- numbers and literals ---

  /** Returns false when the byte ends the number (it is then read again as structure). */
  private numByte(c: number, i: number): boolean {
    const digit = isDigit(c);
    switch (this.numState) {
      case N_MINUS:
        if (!digit) this.fail('invalid number', i);
        this.numState = c === 0x30 ? N_ZERO : N_INT;
        break;
      case N_ZERO:
      case N_INT:
        if (digit) {
          if (this.numState === N_ZERO) this.fail('invalid number (leading zero)', i);
        } else if (c === 0x2e) {
          this.numState = N_DOT;
        } else if (c === 0x65 || c === 0x45) {
          this.numState = N_E;
        } else {
          this.endNumber(this.numText + this.buf.toString('latin1', this.numStart, i), i);
          return false;
        }
        break;
      case N_DOT:
        if (!digit) this.fail('invalid number', i);
        this.numState = N_FRAC;
        break;
      case N_FRAC:
        if (c === 0x65 || c === 0x45) this.numState = N_E;
        else if (!digit) {
          this.endNumber(this.numText + this.buf.toString('latin1', this.numStart, i), i);
          return false;
        }
        break;
      case N_E:
        if (c === 0x2b || c === 0x2d) this.numState = N_ESIGN;
        else if (digit) this.numState = N_EXP;
        else this.fail('invalid number', i);
        break;
      case N_ESIGN:
        if (!digit) this.fail('invalid number', i);
        this.numState = N_EXP;
        break;
      default:
        if (!digit) {
          this.endNumber(this.numText + this.buf.toString('latin1', this.numStart, i), i);
          return false;
        }
    }
    return true;
  }

  /** The number `text` ended before buf[i]. */
  private endNumber(text: string, i: number): void {
    const s = this.numState;
    if (s !== N_ZERO && s !== N_INT && s !== N_FRAC && s !== N_EXP) this.fail('invalid number', i);
    if (this.scalarRole === ROLE_SKIP) {
      this.emit(undefined, true);
      return;
    }
    this.budget.add(text.length);
    this.emit(Number(text), false);
  }

  private startLiteral(text: string, value: unknown): void {
    this.state = ST_LIT;
    this.literal = text;
    this.literalAt = 1;
    this.literalValue = value;
  }

  private literalByte(c: number, i: number): void {
    if (c !== this.literal.charCodeAt(this.literalAt)) this.fail('invalid literal', i);
    if (++this.literalAt === this.literal.length) {
      const skipped = this.scalarRole === ROLE_SKIP;
      if (!skipped) this.budget.add(this.literal.length);
      this.emit(this.literalValue, skipped);
    }
  }

  private fail(what: string, i: number, whole = false): never {
    const at = this.offset + i;
    const excerpt =
      whole || at < HEAD_BYTES
        ? excerptOf(this.head ?? Buffer.alloc(0))
        : excerptOf(this.buf.subarray(Math.max(0, i - 60), Math.min(this.buf.length, i + 60)));
    throw new GeminiError('badResponse', whole ? what : `Invalid JSON at byte ${at}: ${what}`, { bodyExcerpt: excerpt });
  }
}
