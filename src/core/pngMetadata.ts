// Text chunks in PNG files: the prompt and settings that made an image travel inside it, in an
// iTXt chunk (UTF-8, so Chinese and emoji survive). Reading never throws: a damaged file yields
// whatever intact text chunks it has.
import { crc32, inflateSync } from 'node:zlib';
import { sniffImageFormat } from './imageType';

/** Our keyword: a JSON ImageMetadata. */
export const METADATA_KEYWORD = 'GeminiImageStudio';
/** The standard keyword other tools (file managers, viewers, exiftool) show: the plain prompt. */
export const DESCRIPTION_KEYWORD = 'Description';
export const METADATA_VERSION = 1;

/** What an image remembers about how it was made. */
export interface ImageMetadata {
  version: number;
  /** The final prompt that was sent (style text included). */
  prompt: string;
  /** What the user typed, before a style template wrapped it (for Remix), when it differs. */
  userPrompt?: string;
  model?: string;
  aspectRatio?: string;
  /** The size asked for (`1K`, `2K`, `4K`, `512`): what a docs `size:` option is compared with. */
  imageSize?: string;
  /** The image's pixels, as made. */
  width?: number;
  height?: number;
  /** The style's display name, when one was applied. */
  style?: string;
  /** The images an edit or combine started from, workspace-relative (posix). */
  sources?: string[];
  /** ISO 8601. */
  createdAt?: string;
}

// A decompressed text larger than this is not a prompt; refusing it bounds a zip bomb.
const MAX_INFLATED_TEXT = 1024 * 1024;

export function isPng(bytes: Uint8Array): boolean {
  return sniffImageFormat(bytes) === 'png';
}

export interface Chunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  /** Offset just past its CRC. */
  end: number;
  data: Uint8Array;
}

/** The chunks that are entirely inside the file, in order, up to IEND or the first that runs past the end. */
export function* chunks(png: Uint8Array): Generator<Chunk> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    if (length > png.length - at - 12) return;
    const type = String.fromCharCode(png[at + 4], png[at + 5], png[at + 6], png[at + 7]);
    const data = png.subarray(at + 8, at + 8 + length);
    const end = at + 12 + length;
    yield { type, start: at, end, data };
    if (type === 'IEND') return;
    at = end;
  }
}

function crcOk(png: Uint8Array, chunk: Chunk): boolean {
  const stored = new DataView(png.buffer, png.byteOffset, png.byteLength).getUint32(chunk.end - 4);
  return crc32(png.subarray(chunk.start + 4, chunk.end - 4)) === stored;
}

function checkKeyword(keyword: string): void {
  // PNG: 1-79 Latin-1 printable characters, no leading, trailing or doubled spaces.
  if (!/^[\x21-\x7e\xa1-\xff](?:[\x20-\x7e\xa1-\xff]{0,77}[\x21-\x7e\xa1-\xff])?$/.test(keyword) || keyword.includes('  ')) {
    throw new RangeError(`"${keyword}" is not a valid PNG text keyword.`);
  }
}

export function chunkBytes(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An uncompressed iTXt chunk: keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword, UTF-8 text. */
function iTXtChunk(keyword: string, text: string): Uint8Array {
  checkKeyword(keyword);
  const key = Buffer.from(keyword, 'latin1');
  // A lone surrogate has no UTF-8 form; the encoder writes U+FFFD for it, which is what a reader would see anyway.
  const body = Buffer.from(text, 'utf8');
  const data = Buffer.concat([key, Uint8Array.of(0, 0, 0, 0, 0), body]);
  return chunkBytes('iTXt', data);
}

function firstChunkIsIhdr(png: Uint8Array): Chunk {
  if (!isPng(png)) throw new Error('Not a PNG file.');
  const first = chunks(png).next();
  if (first.done || first.value.type !== 'IHDR') throw new Error('The PNG does not start with an IHDR chunk.');
  return first.value;
}

/** A copy of the PNG with an iTXt chunk right after IHDR. Throws when the bytes are not a PNG or the keyword is invalid. */
export function addPngTextChunk(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const ihdr = firstChunkIsIhdr(png);
  const chunk = iTXtChunk(keyword, text);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdr.end), 0);
  out.set(chunk, ihdr.end);
  out.set(png.subarray(ihdr.end), ihdr.end + chunk.length);
  return out;
}

function keywordOf(data: Uint8Array): { keyword: string; rest: number } | undefined {
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) return undefined;
  return { keyword: Buffer.from(data.buffer, data.byteOffset, nul).toString('latin1'), rest: nul + 1 };
}

function inflateText(data: Uint8Array): Buffer {
  return inflateSync(data, { maxOutputLength: MAX_INFLATED_TEXT });
}

function decodeTextChunk(type: string, data: Uint8Array): [string, string] | undefined {
  const head = keywordOf(data);
  if (!head) return undefined;
  const { keyword } = head;
  let at = head.rest;
  if (type === 'tEXt') return [keyword, Buffer.from(data.subarray(at)).toString('latin1')];
  if (type === 'zTXt') {
    if (data[at] !== 0) return undefined;
    return [keyword, inflateText(data.subarray(at + 1)).toString('latin1')];
  }
  // iTXt
  if (at + 2 > data.length) return undefined;
  const compressed = data[at];
  const method = data[at + 1];
  at += 2;
  const languageEnd = data.indexOf(0, at);
  if (languageEnd < 0) return undefined;
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  const body = data.subarray(translatedEnd + 1);
  if (compressed === 0) return [keyword, Buffer.from(body).toString('utf8')];
  if (compressed === 1 && method === 0) return [keyword, inflateText(body).toString('utf8')];
  return undefined;
}

/**
 * Every readable tEXt, zTXt and iTXt chunk, keyword to text (the first chunk wins when a keyword
 * repeats). Chunks with a bad CRC or bad contents are skipped; never throws.
 */
export function readPngTextChunks(png: Uint8Array): Record<string, string> {
  const found: Record<string, string> = Object.create(null);
  if (!isPng(png)) return found;
  try {
    for (const chunk of chunks(png)) {
      if (chunk.type !== 'tEXt' && chunk.type !== 'zTXt' && chunk.type !== 'iTXt') continue;
      if (!crcOk(png, chunk)) continue;
      let entry: [string, string] | undefined;
      try {
        entry = decodeTextChunk(chunk.type, chunk.data);
      } catch {
        continue; // a broken deflate stream or an oversized text
      }
      if (entry && !(entry[0] in found)) found[entry[0]] = entry[1];
    }
  } catch {
    // Nothing above should throw; whatever does, the intact chunks read so far stand.
  }
  return found;
}

/** Whether the PNG carries a C2PA manifest (Content Credentials), whose hash any added chunk invalidates. */
export function hasContentCredentials(png: Uint8Array): boolean {
  if (!isPng(png)) return false;
  for (const chunk of chunks(png)) if (chunk.type === 'caBX') return true;
  return false;
}

/** Metadata from a parsed JSON value, or undefined when it is not ours. */
export function toImageMetadata(value: unknown): ImageMetadata | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.prompt !== 'string') return undefined;
  const meta: ImageMetadata = { version: typeof v.version === 'number' ? v.version : METADATA_VERSION, prompt: v.prompt };
  for (const key of ['userPrompt', 'model', 'aspectRatio', 'imageSize', 'style', 'createdAt'] as const) {
    if (typeof v[key] === 'string') meta[key] = v[key];
  }
  for (const key of ['width', 'height'] as const) {
    const n = v[key];
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) meta[key] = n;
  }
  // Files made before width and height had their own fields kept the pixels as imageSize `WxH`.
  const pixels = meta.imageSize && /^(\d+)x(\d+)$/.exec(meta.imageSize);
  if (pixels) {
    delete meta.imageSize;
    meta.width ??= Number(pixels[1]);
    meta.height ??= Number(pixels[2]);
  }
  if (Array.isArray(v.sources) && v.sources.length && v.sources.every((x) => typeof x === 'string')) meta.sources = v.sources as string[];
  return meta;
}

/** The JSON stored under METADATA_KEYWORD (and in sidecar files): known fields only, in a fixed order. */
export function serializeImageMetadata(meta: ImageMetadata): string {
  const clean = toImageMetadata({ ...meta, version: meta.version ?? METADATA_VERSION });
  if (!clean) throw new TypeError('Image metadata needs a prompt.');
  return JSON.stringify(clean);
}

/** Our metadata from a PNG's bytes; undefined when there is none (or it cannot be read). */
export function readPngMetadata(png: Uint8Array): ImageMetadata | undefined {
  const text = readPngTextChunks(png)[METADATA_KEYWORD];
  if (text === undefined) return undefined;
  try {
    return toImageMetadata(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * A copy of the PNG carrying `meta`: our JSON chunk and the plain prompt under `Description`,
 * right after IHDR. Earlier text chunks under those two keywords are dropped, so writing twice
 * leaves one of each. Throws when the bytes are not a PNG.
 */
export function setPngMetadata(png: Uint8Array, meta: ImageMetadata): Uint8Array {
  const bare = removePngMetadata(png);
  const ihdr = firstChunkIsIhdr(bare);
  return Buffer.concat([bare.subarray(0, ihdr.end), pngMetadataChunks(meta), bare.subarray(ihdr.end)]);
}

/** Our two iTXt chunks for `meta`, as bytes (they may go anywhere between IHDR and IEND). */
export function pngMetadataChunks(meta: ImageMetadata): Uint8Array {
  return Buffer.concat([iTXtChunk(METADATA_KEYWORD, serializeImageMetadata(meta)), iTXtChunk(DESCRIPTION_KEYWORD, meta.prompt)]);
}

/**
 * The PNG without our two text chunks: the bytes the model sent, which a refine must send back
 * unchanged (its thought signature covers them). Throws when the bytes are not a PNG.
 */
export function removePngMetadata(png: Uint8Array): Uint8Array {
  const ihdr = firstChunkIsIhdr(png);
  const pieces: Uint8Array[] = [];
  let copied = 0;
  for (const chunk of chunks(png)) {
    if (chunk.start < ihdr.end) continue;
    if (chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt') {
      const keyword = keywordOf(chunk.data)?.keyword;
      if (keyword === METADATA_KEYWORD || keyword === DESCRIPTION_KEYWORD) {
        pieces.push(png.subarray(copied, chunk.start));
        copied = chunk.end;
      }
    }
  }
  if (copied === 0) return png;
  pieces.push(png.subarray(copied));
  return Buffer.concat(pieces);
}
