// A small preview of a made image for the agent to look at (MCP image content), never the file
// itself: a 1K image is megabytes of base64 in the agent's context, a 256-pixel preview a few KB.
// PNG only (what the image models send), 8-bit, not interlaced; anything else gets no preview.
import { promises as fs } from 'node:fs';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { isPng } from '../../core/pngMetadata';

export const THUMBNAIL_SIDE = 256;
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const MAX_PIXELS = 4096 * 4096;

export async function thumbnail(file: string): Promise<{ data: string; mimeType: string } | undefined> {
  try {
    const small = pngThumbnail(await fs.readFile(file), THUMBNAIL_SIDE);
    return small && { data: small.toString('base64'), mimeType: 'image/png' };
  } catch {
    return undefined;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The image scaled down (box average) to at most `maxSide` pixels a side, as a PNG. */
export function pngThumbnail(png: Buffer, maxSide: number): Buffer | undefined {
  if (!isPng(png)) return undefined;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  for (let pos = 8; pos + 8 <= png.length; ) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  if (!ihdr || ihdr.length < 13 || !idat.length) return undefined;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const channels = CHANNELS[ihdr[9]];
  if (ihdr[8] !== 8 || ihdr[12] !== 0 || !channels || !width || !height || width * height > MAX_PIXELS) return undefined;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length < (stride + 1) * height) return undefined;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels] : 0;
      const b = y > 0 ? pixels[row - stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels] : 0;
      const predicted = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      pixels[row + x] = (raw[line + x] + predicted) & 0xff;
    }
  }
  const scale = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const tw = Math.ceil(width / scale);
  const th = Math.ceil(height / scale);
  const out = Buffer.alloc((tw * channels + 1) * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      const sums = new Array<number>(channels).fill(0);
      let n = 0;
      for (let y = ty * scale; y < Math.min(height, (ty + 1) * scale); y++) {
        for (let x = tx * scale; x < Math.min(width, (tx + 1) * scale); x++, n++) {
          for (let ch = 0; ch < channels; ch++) sums[ch] += pixels[y * stride + x * channels + ch];
        }
      }
      for (let ch = 0; ch < channels; ch++) out[ty * (tw * channels + 1) + 1 + tx * channels + ch] = Math.round(sums[ch] / n);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(tw, 0);
  header.writeUInt32BE(th, 4);
  header[8] = 8;
  header[9] = ihdr[9];
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', deflateSync(out)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, tail]);
}
