// PNG writer: 8-bit RGB, one zlib stream split over IDAT chunks, CRCs from node's zlib.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IDAT_PIECE = 256 * 1024;

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, tail]);
}

/** `scanlines` holds each row as a filter byte followed by width*3 bytes. */
export function pngFromScanlines(width: number, height: number, scanlines: Uint8Array, level: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const zipped = deflateSync(scanlines, { level });
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  for (let at = 0; at < zipped.length; at += IDAT_PIECE) parts.push(chunk('IDAT', zipped.subarray(at, at + IDAT_PIECE)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** Encodes RGB pixels; rows equal to the one above use the Up filter (all zeros, nearly free). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  const lines = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const o = y * (stride + 1);
    if (y > 0 && Buffer.compare(row, rgb.subarray((y - 1) * stride, y * stride)) === 0) {
      lines[o] = 2; // Up: the rest of the line stays zero
      continue;
    }
    lines[o] = 1; // Sub: smooth gradients become runs of small numbers
    lines[o + 1] = row[0];
    lines[o + 2] = row[1];
    lines[o + 3] = row[2];
    for (let i = 3; i < stride; i++) lines[o + 1 + i] = (row[i] - row[i - 3]) & 0xff;
  }
  return pngFromScanlines(width, height, lines, 6);
}
