// Reads back image files in tests: a strict PNG decoder (signature, CRCs, zlib, filters) and the
// size of JPEG/WebP files. Written apart from the encoders so that it checks them.
import { crc32, inflateSync } from 'node:zlib';
import { sniffImage } from './sniff';

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  chunkTypes: string[];
  /** Unfiltered pixel rows, bytesPerPixel * width each (8-bit colour types 0, 2, 4, 6 only). */
  pixels: Buffer;
  bytesPerPixel: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Throws on anything a strict decoder would refuse. */
export function decodePng(file: Buffer): DecodedPng {
  if (file.length < 8 || file.toString('hex', 0, 8) !== '89504e470d0a1a0a') throw new Error('not a PNG signature');
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  let at = 8;
  for (;;) {
    if (at + 12 > file.length) throw new Error('PNG ends inside a chunk header (no IEND)');
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > file.length) throw new Error(`chunk ${type} runs past the end`);
    const data = file.subarray(at + 8, at + 8 + length);
    const crc = file.readUInt32BE(at + 8 + length);
    if ((crc32(file.subarray(at + 4, at + 8 + length)) >>> 0) !== crc) throw new Error(`bad CRC in ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (chunkTypes[0] !== 'IHDR' || !ihdr) throw new Error('IHDR is not the first chunk');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8];
  const colorType = ihdr[9];
  if (bitDepth !== 8 || !(colorType in CHANNELS) || ihdr[12] !== 0) throw new Error(`unsupported PNG kind (depth ${bitDepth}, type ${colorType}, interlace ${ihdr[12]})`);
  const bpp = CHANNELS[colorType];
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== (stride + 1) * height) throw new Error(`IDAT holds ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${filter} on row ${y}`);
      out[i] = (line[i] + predicted) & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, chunkTypes, pixels, bytesPerPixel: bpp };
}

/** Type and size of a PNG, JPEG or WebP file (from its header), or undefined. */
export function imageInfo(file: Buffer): { type: string; width?: number; height?: number } | undefined {
  return sniffImage(file);
}
