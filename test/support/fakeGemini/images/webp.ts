// WebP lossless (VP8L) writer: no transforms and no colour cache, just prefix-coded literals
// and LZ77 copies from the pixel on the left or the row above, which is all a picture drawn
// in flat cells needs. Spec: "WebP Lossless Bitstream Specification" (RFC 9649).
import { canonicalCodes, huffmanLengths, reverseBits } from './huffman';

const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const GREEN_ALPHABET = 256 + 24;
const DISTANCE_ALPHABET = 40;
const MAX_COPY = 4096;
/** Distance codes 1 and 2 of the spec's distance map: (0,1) the row above, (1,0) the left pixel. */
const FROM_ABOVE = 1;
const FROM_LEFT = 2;

class LsbWriter {
  private buf = new Uint8Array(1 << 16);
  private pos = 0;
  private acc = 0;
  private count = 0;

  /** `bits` <= 24. */
  write(value: number, bits: number): void {
    this.acc |= value << this.count;
    this.count += bits;
    while (this.count >= 8) {
      if (this.pos === this.buf.length) {
        const bigger = new Uint8Array(this.buf.length * 2);
        bigger.set(this.buf);
        this.buf = bigger;
      }
      this.buf[this.pos++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.count -= 8;
    }
  }

  finish(): Buffer {
    if (this.count > 0) this.write(0, 8 - this.count);
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/** LZ77 length/distance prefix coding: value >= 1 -> symbol and extra bits. */
function prefixCode(value: number): { symbol: number; extraBits: number; extra: number } {
  const d = value - 1;
  if (d < 4) return { symbol: d, extraBits: 0, extra: 0 };
  const high = 31 - Math.clz32(d);
  const second = (d >> (high - 1)) & 1;
  const extraBits = high - 1;
  return { symbol: 2 * high + second, extraBits, extra: d & ((1 << extraBits) - 1) };
}

/** One prefix code: how to write its symbols, and how it is described in the header. */
class PrefixCode {
  readonly lengths: Uint8Array;
  private readonly codes: Uint32Array;
  private readonly used: number[] = [];

  constructor(freqs: Uint32Array) {
    for (let i = 0; i < freqs.length; i++) if (freqs[i] > 0) this.used.push(i);
    this.lengths = huffmanLengths(freqs, 15);
    // A code with a single symbol costs no bits per symbol in VP8L.
    if (this.used.length <= 1) this.lengths.fill(0);
    const reversed = canonicalCodes(this.lengths);
    for (let i = 0; i < reversed.length; i++) reversed[i] = reverseBits(reversed[i], this.lengths[i]);
    this.codes = reversed;
  }

  put(out: LsbWriter, symbol: number): void {
    if (this.lengths[symbol]) out.write(this.codes[symbol], this.lengths[symbol]);
  }

  describe(out: LsbWriter): void {
    const symbols = this.used.length === 0 ? [0] : this.used;
    if (symbols.length <= 2 && symbols.every((s) => s < 256)) {
      out.write(1, 1); // simple code
      out.write(symbols.length - 1, 1);
      if (symbols[0] < 2) {
        out.write(0, 1);
        out.write(symbols[0], 1);
      } else {
        out.write(1, 1);
        out.write(symbols[0], 8);
      }
      if (symbols.length === 2) out.write(symbols[1], 8);
      return;
    }
    out.write(0, 1); // normal code: code lengths, themselves prefix coded
    const lengthFreqs = new Uint32Array(19);
    for (const len of this.lengths) lengthFreqs[len]++;
    const usedLengths = lengthFreqs.reduce((n, f) => n + (f > 0 ? 1 : 0), 0);
    if (usedLengths === 1) lengthFreqs[lengthFreqs[0] > 0 ? 1 : 0] = 1; // keep that code complete
    const clLengths = huffmanLengths(lengthFreqs, 7);
    const clCodes = canonicalCodes(clLengths);
    out.write(19 - 4, 4);
    for (const s of CODE_LENGTH_ORDER) out.write(clLengths[s], 3);
    out.write(0, 1); // max_symbol = alphabet size
    for (const len of this.lengths) out.write(reverseBits(clCodes[len], clLengths[len]), clLengths[len]);
  }
}

/** Encodes RGB pixels (alpha 255) as a lossless WebP file. */
export function encodeWebpLossless(width: number, height: number, rgb: Uint8Array): Buffer {
  if (width > 16384 || height > 16384) throw new RangeError('WebP is limited to 16384 pixels a side');
  const total = width * height;
  const px = new Int32Array(total);
  for (let i = 0; i < total; i++) px[i] = (rgb[i * 3] << 16) | (rgb[i * 3 + 1] << 8) | rgb[i * 3 + 2];

  // Tokens: a literal is the pixel (>= 0); a copy is -(length * 4 + distance code).
  const tokens: number[] = [];
  const green = new Uint32Array(GREEN_ALPHABET);
  const red = new Uint32Array(256);
  const blue = new Uint32Array(256);
  const alpha = new Uint32Array(256);
  const distance = new Uint32Array(DISTANCE_ALPHABET);
  for (let i = 0; i < total; ) {
    const limit = Math.min(MAX_COPY, total - i);
    let left = 0;
    if (i >= 1) while (left < limit && px[i + left] === px[i + left - 1]) left++;
    let above = 0;
    if (i >= width) while (above < limit && px[i + above] === px[i + above - width]) above++;
    const length = Math.max(left, above);
    if (length >= 3) {
      const code = above >= left ? FROM_ABOVE : FROM_LEFT;
      tokens.push(-(length * 4 + code));
      green[256 + prefixCode(length).symbol]++;
      distance[prefixCode(code).symbol]++;
      i += length;
    } else {
      const p = px[i++];
      tokens.push(p);
      green[(p >> 8) & 0xff]++;
      red[(p >> 16) & 0xff]++;
      blue[p & 0xff]++;
      alpha[255]++;
    }
  }

  const codes = [green, red, blue, alpha, distance].map((f) => new PrefixCode(f));
  const [gCode, rCode, bCode, aCode, dCode] = codes;
  const out = new LsbWriter();
  out.write(0x2f, 8); // signature
  out.write(width - 1, 14);
  out.write(height - 1, 14);
  out.write(0, 1); // alpha_is_used
  out.write(0, 3); // version
  out.write(0, 1); // no transform
  out.write(0, 1); // no colour cache
  out.write(0, 1); // no meta prefix codes
  for (const code of codes) code.describe(out);
  for (const t of tokens) {
    if (t >= 0) {
      gCode.put(out, (t >> 8) & 0xff);
      rCode.put(out, (t >> 16) & 0xff);
      bCode.put(out, t & 0xff);
      aCode.put(out, 255);
      continue;
    }
    const length = Math.floor(-t / 4);
    const len = prefixCode(length);
    gCode.put(out, 256 + len.symbol);
    if (len.extraBits) out.write(len.extra, len.extraBits);
    const dist = prefixCode(-t % 4);
    dCode.put(out, dist.symbol);
    if (dist.extraBits) out.write(dist.extra, dist.extraBits);
  }
  const payload = out.finish();
  const pad = payload.length % 2;
  const header = Buffer.alloc(20);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + 8 + payload.length + pad, 4);
  header.write('WEBPVP8L', 8, 'latin1');
  header.writeUInt32LE(payload.length, 16);
  return Buffer.concat([header, payload, Buffer.alloc(pad)]);
}
