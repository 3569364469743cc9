// The scalars of JsonScanner: strings (streamed or built, escapes), numbers and literals, checked
// byte by byte as strictly as JSON.parse. The structure (objects, arrays, roles) is JsonScanner's.
import { GeminiError } from './errors';
import { ByteBuilder, excerptOf, HEAD_BYTES, ROLE_SKIP, type ByteBudget, type ScanPolicy, type StringStream } from './jsonScanPolicy';

// Parser states.
export const ST_VALUE = 0;
export const ST_OBJ_OPEN = 1;
export const ST_OBJ_KEY = 2;
export const ST_COLON = 3;
export const ST_AFTER = 4;
export const ST_ARR_OPEN = 5;
export const ST_STR = 6;
export const ST_ESC = 7;
export const ST_HEX = 8;
export const ST_NUM = 9;
export const ST_LIT = 10;
export const ST_DONE = 11;

// What the current string is.
export const K_KEY = 0;
export const K_BUILD = 1;
export const K_SKIP_VALUE = 2;
export const K_SKIP_KEY = 3;
export const K_STREAM = 4;

// Number grammar states: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
export const N_MINUS = 0;
export const N_ZERO = 1;
export const N_INT = 2;
export const N_DOT = 3;
export const N_FRAC = 4;
export const N_E = 5;
export const N_ESIGN = 6;
export const N_EXP = 7;


export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

export abstract class JsonScalarLexer {
  protected state = ST_VALUE;
  protected offset = 0;
  protected head: Buffer | undefined;

  // The current string.
  protected kind = K_BUILD;
  protected stream: StringStream | undefined;
  protected readonly bytes = new ByteBuilder();
  protected pieces = '';
  private hexCount = 0;
  private hexCode = 0;

  // The current number or literal.
  protected numState = N_INT;
  protected numStart = 0;
  protected numText = '';
  private literal = '';
  private literalAt = 0;
  private literalValue: unknown;
  protected scalarRole = ROLE_SKIP;

  // Where the next `"` / `\` of the current buffer is (the streaming fast path), -1 if none.
  protected buf: Buffer = Buffer.alloc(0);
  protected quoteAt = -1;
  protected quoteKnown = false;
  protected slashAt = -1;
  protected slashKnown = false;

  protected constructor(
    protected readonly policy: ScanPolicy,
    protected readonly budget: ByteBudget,
  ) {}

  /** Stores a finished value in its place (or drops it, when skipped). */
  protected abstract emit(value: unknown, skipped: boolean): void;
  /** A string's closing quote was read. */
  protected abstract endString(): void;

  // --- strings ---

  protected startString(kind: number): void {
    this.kind = kind;
    this.state = ST_STR;
    this.pieces = '';
  }
  /** The fast path for streamed strings: native searches for the next `"` and `\`. */
  protected streamSpan(buf: Buffer, i: number, n: number): number {
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
  protected plainSpan(buf: Buffer, i: number, n: number): number {
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
  protected escape(c: number, i: number): void {
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
  protected hex(c: number, i: number): void {
    const v = hexValue(c);
    if (v < 0) this.fail('invalid \\u escape', i);
    this.hexCode = this.hexCode * 16 + v;
    if (++this.hexCount === 4) this.escaped(this.hexCode);
  }
  protected escaped(code: number): void {
    this.state = ST_STR;
    if (this.kind === K_STREAM) {
      (this.stream as StringStream).escaped(code);
    } else if (this.kind === K_KEY || this.kind === K_BUILD) {
      this.budget.add(1);
      this.pieces += this.bytes.take() + String.fromCharCode(code);
    }
  }

  // --- numbers and literals ---

  /** Returns false when the byte ends the number (it is then read again as structure). */
  protected numByte(c: number, i: number): boolean {
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
  protected endNumber(text: string, i: number): void {
    const s = this.numState;
    if (s !== N_ZERO && s !== N_INT && s !== N_FRAC && s !== N_EXP) this.fail('invalid number', i);
    if (this.scalarRole === ROLE_SKIP) {
      this.emit(undefined, true);
      return;
    }
    this.budget.add(text.length);
    this.emit(Number(text), false);
  }
  protected startLiteral(text: string, value: unknown): void {
    this.state = ST_LIT;
    this.literal = text;
    this.literalAt = 1;
    this.literalValue = value;
  }
  protected literalByte(c: number, i: number): void {
    if (c !== this.literal.charCodeAt(this.literalAt)) this.fail('invalid literal', i);
    if (++this.literalAt === this.literal.length) {
      const skipped = this.scalarRole === ROLE_SKIP;
      if (!skipped) this.budget.add(this.literal.length);
      this.emit(this.literalValue, skipped);
    }
  }
  protected fail(what: string, i: number, whole = false): never {
    const at = this.offset + i;
    const excerpt =
      whole || at < HEAD_BYTES
        ? excerptOf(this.head ?? Buffer.alloc(0))
        : excerptOf(this.buf.subarray(Math.max(0, i - 60), Math.min(this.buf.length, i + 60)));
    throw new GeminiError('badResponse', whole ? what : `Invalid JSON at byte ${at}: ${what}`, { bodyExcerpt: excerpt });
  }
}
