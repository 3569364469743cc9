// Baseline JPEG writer that codes only each 8x8 block's DC term: every block is flat, which is
// invisible on a soft gradient and makes even a 4K image cost a few milliseconds.
import { canonicalCodes } from './huffman';

// The standard luminance DC table (ITU T.81, K.3); values are the categories 0..11.
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// Every block ends right after its DC term, so the AC table needs one symbol: EOB (0x00).
const AC_COUNTS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];
/** Dequantised DC = 8 x the block mean: a step of 8 makes the coded DC the mean itself. */
const DC_STEP = 8;

function tableLengths(counts: number[], values: number[]): { lengths: number[]; codes: Uint32Array } {
  const lengths: number[] = [];
  let v = 0;
  counts.forEach((count, i) => {
    for (let k = 0; k < count; k++) lengths[values[v++]] = i + 1;
  });
  for (let i = 0; i < lengths.length; i++) lengths[i] ??= 0;
  return { lengths, codes: canonicalCodes(lengths) };
}

class MsbWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  write(value: number, bits: number): void {
    this.acc = (this.acc << bits) | (value & ((1 << bits) - 1));
    this.count += bits;
    while (this.count >= 8) {
      const byte = (this.acc >>> (this.count - 8)) & 0xff;
      this.bytes.push(byte);
      if (byte === 0xff) this.bytes.push(0); // byte stuffing
      this.count -= 8;
      this.acc &= (1 << this.count) - 1;
    }
  }

  finish(): Buffer {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count);
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, body: number[] | Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, Buffer.from(body)]);
}

/**
 * `blocks` holds one RGB triple per 8x8 block (ceil(width/8) x ceil(height/8), row-major).
 * `padding` buffers go in APP15 segments (decoders skip them): a way to reach a target size.
 */
export function encodeJpegBlocks(width: number, height: number, blocks: Uint8Array, padding: Buffer[] = []): Buffer {
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  const dc = tableLengths(DC_COUNTS, DC_VALUES);
  const ac = tableLengths(AC_COUNTS, AC_VALUES);
  const out = new MsbWriter();
  const previous = [0, 0, 0];
  for (let i = 0; i < bw * bh; i++) {
    const r = blocks[i * 3];
    const g = blocks[i * 3 + 1];
    const b = blocks[i * 3 + 2];
    const ycc = [
      0.299 * r + 0.587 * g + 0.114 * b,
      -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
      0.5 * r - 0.418688 * g - 0.081312 * b + 128,
    ];
    for (let c = 0; c < 3; c++) {
      const value = Math.round(ycc[c] - 128);
      const diff = value - previous[c];
      previous[c] = value;
      const magnitude = Math.abs(diff);
      const category = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      out.write(dc.codes[category], dc.lengths[category]);
      if (category > 0) out.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
      out.write(ac.codes[0], ac.lengths[0]);
    }
  }
  const quant = [0, DC_STEP, ...new Array<number>(63).fill(1)];
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0];
  const huffman = [0x00, ...DC_COUNTS, ...DC_VALUES, 0x10, ...AC_COUNTS, ...AC_VALUES];
  const scan = [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...padding.map((p) => segment(0xef, p)),
    segment(0xdb, quant),
    segment(0xc0, frame),
    segment(0xc4, huffman),
    segment(0xda, scan),
    out.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}
