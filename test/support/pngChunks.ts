// Test-side PNG reading, independent of the extension's code: the chunks, and the file without
// its text chunks (what the server sent, before the extension added the prompt).
import { crc32 } from 'node:zlib';

export interface Chunk {
  type: string;
  data: Buffer;
}

export function pngChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** The PNG with every tEXt, zTXt and iTXt chunk removed. */
export function withoutTextChunks(png: Buffer): Buffer {
  const parts: Buffer[] = [png.subarray(0, 8)];
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') parts.push(png.subarray(at, at + 12 + length));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** iTXt chunks (uncompressed) as keyword -> text. */
export function itxt(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of pngChunks(png)) {
    if (c.type !== 'iTXt') continue;
    const keywordEnd = c.data.indexOf(0);
    const keyword = c.data.toString('latin1', 0, keywordEnd);
    const compressed = c.data[keywordEnd + 1];
    let at = keywordEnd + 3;
    at = c.data.indexOf(0, at) + 1; // language tag
    at = c.data.indexOf(0, at) + 1; // translated keyword
    if (!compressed) out[keyword] = c.data.toString('utf8', at);
  }
  return out;
}

/** A chunk with a valid CRC (zlib's, not ours). */
export function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** `png` with `extra` chunks inserted before IEND. */
/** The PNG with `extra` chunks just before IEND. */
export function withChunks(file: Buffer, ...extra: Buffer[]): Buffer {
  const iend = file.length - 12;
  return Buffer.concat([file.subarray(0, iend), ...extra, file.subarray(iend)]);
}
