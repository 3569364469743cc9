// An incremental JSON parser over bytes, as strict as JSON.parse. It builds the small values a
// policy asks for, skips (validates without keeping) the rest, and hands the strings the policy
// names to a StringStream as raw spans, so a 16 MB base64 string is never one JS string.

import { GeminiError } from './errors';
import { isDigit, JsonScalarLexer, K_BUILD, K_KEY, K_SKIP_KEY, K_SKIP_VALUE, K_STREAM, N_INT, N_MINUS, N_ZERO, ST_AFTER, ST_ARR_OPEN, ST_COLON, ST_DONE, ST_ESC, ST_HEX, ST_LIT, ST_NUM, ST_OBJ_KEY, ST_OBJ_OPEN, ST_STR, ST_VALUE } from './jsonLexer';
import { HEAD_BYTES, ROLE_SKIP, type ByteBudget, type ScanPolicy, type StringStream } from './jsonScanPolicy';

export { ByteBudget, ByteBuilder, excerptOf, ROLE_BUILD, ROLE_SKIP, type ScanPolicy, type StringStream } from './jsonScanPolicy';

const MAX_DEPTH = 256;
const BOM = [0xef, 0xbb, 0xbf];

function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // Like JSON.parse: "__proto__" is an ordinary own property, not the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

export class JsonScanner extends JsonScalarLexer {
  private root: unknown;
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

  constructor(policy: ScanPolicy, budget: ByteBudget) {
    super(policy, budget);
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

  protected emit(value: unknown, skipped: boolean): void {
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

  protected endString(): void {
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
}
