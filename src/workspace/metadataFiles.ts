// Image metadata on disk: a PNG rewritten with its chunks, or a sidecar beside the image, always
// through a temp file and a rename so a reader never sees half a file. The formats are pure
// (src/core/pngMetadata.ts, imageMetadata.ts); this is the I/O around them.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { metadataCarrierFor, parseSidecar, serializeSidecar, sidecarPathFor, type ImageMetadata, type MetadataCarrier, type WriteMetadataOptions } from '../core/imageMetadata';
import { isPng, readPngMetadata, setPngMetadata } from '../core/pngMetadata';

/** A temp name in the same folder, so the rename that replaces the file stays on one filesystem. */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Replaces a file's content: a temp file beside it, then a rename over it (no half-written file). */
export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathBeside(path);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Rewrites a PNG file with `meta` in it: read whole, write a temp file beside it, rename over. */
export async function addPngMetadataToFile(path: string, meta: ImageMetadata): Promise<void> {
  await writeAtomically(path, setPngMetadata(await readFile(path), meta));
}

/**
 * Stores `meta` with the image at `path` (a finished file): into the PNG itself (rewritten through
 * a temp file and a rename), else into the sidecar. Returns where it went.
 */
export async function writeImageMetadata(path: string, meta: ImageMetadata, options: WriteMetadataOptions = {}): Promise<MetadataCarrier> {
  const bytes = await readFile(path);
  const carrier = metadataCarrierFor(bytes, options);
  if (carrier === 'png') await writeAtomically(path, setPngMetadata(bytes, meta));
  else await writeAtomically(sidecarPathFor(path), serializeSidecar(meta));
  return carrier;
}

/**
 * The metadata of the image at `path`: from the PNG's chunks, else from its sidecar; undefined when
 * neither has any. The image is never read whole (a docs page may link hundreds of large ones): a
 * PNG's chunk headers are read where they are, and only its text chunks in full.
 */
export async function readImageMetadata(path: string): Promise<ImageMetadata | undefined> {
  const embedded = await readPngTextMetadata(path).catch(() => undefined);
  if (embedded) return embedded;
  try {
    return parseSidecar(await readFile(sidecarPathFor(path), 'utf8'));
  } catch {
    return undefined;
  }
}

const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);
// Larger than any prompt's chunk: not ours, and not worth the memory.
const MAX_TEXT_CHUNK = 1024 * 1024;
// Where the generation puts the text chunks of a streamed image: just before IEND.
const TAIL_BYTES = 64 * 1024;

/**
 * Our metadata from a PNG's text chunks, read where our writers put them: right after IHDR (the
 * chunks before the image data are walked by their headers with positioned reads) or just before
 * IEND (the file's last 64 KB, where a chunk is found by its type and length and kept when its CRC
 * holds). The image data between is never read. The text chunks found are decoded by the one
 * reader there is, as a PNG of their own.
 */
async function readPngTextMetadata(path: string): Promise<ImageMetadata | undefined> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(8);
    if ((await handle.read(header, 0, 8, 0)).bytesRead < 8 || !isPng(header)) return undefined;
    const texts: Buffer[] = [Buffer.from(header)];
    const size = (await handle.stat()).size;
    let at = 8;
    while (at + 12 <= size) {
      if ((await handle.read(header, 0, 8, at)).bytesRead < 8) break;
      const length = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'IDAT' || type === 'IEND' || length > size - at - 12) break;
      if (TEXT_CHUNKS.has(type) && length <= MAX_TEXT_CHUNK) {
        const chunk = Buffer.alloc(12 + length);
        await handle.read(chunk, 0, chunk.length, at);
        texts.push(chunk);
      }
      at += 12 + length;
    }
    if (at + 12 < size) {
      const tail = Buffer.alloc(size - Math.max(at, size - TAIL_BYTES));
      await handle.read(tail, 0, tail.length, size - tail.length);
      texts.push(...textChunksIn(tail));
    }
    return texts.length > 1 ? readPngMetadata(Buffer.concat(texts)) : undefined;
  } finally {
    await handle.close();
  }
}

/** Whole text chunks inside `bytes` (a window of a PNG, not aligned to its chunks), by type, length and CRC. */
function textChunksIn(bytes: Buffer): Buffer[] {
  const found: Buffer[] = [];
  for (let p = 4; p + 8 <= bytes.length; p++) {
    // 't' (tEXt), 'z' (zTXt) or 'i' (iTXt), then the rest of the type.
    if (bytes[p] !== 0x74 && bytes[p] !== 0x7a && bytes[p] !== 0x69) continue;
    if (!TEXT_CHUNKS.has(bytes.toString('latin1', p, p + 4))) continue;
    const end = p + 8 + bytes.readUInt32BE(p - 4);
    if (end > bytes.length || crc32(bytes.subarray(p, end - 4)) !== bytes.readUInt32BE(end - 4)) continue;
    found.push(bytes.subarray(p - 4, end));
    p = end + 3;
  }
  return found;
}
