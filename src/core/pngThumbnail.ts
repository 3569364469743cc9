// A small copy of a PNG for a chat tool's result, so the agent's model sees what was made without
// the megabytes of the original: decoded (8-bit, not interlaced; grey, RGB, palette, with alpha),
// averaged down to at most `maxSide` pixels a side, written back as an 8-bit RGB(A) PNG. zlib works
// on its thread pool and the rows are read in slices of a few milliseconds, so even a 4K image
// never stalls the extension host for long.
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { chunkBytes, chunks, isPng } from './pngMetadata';

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const SLICE_MS = 4;
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

interface Png {
  width: number;
  height: number;
  colorType: number;
  palette?: Uint8Array;
  transparency?: Uint8Array;
  data: Uint8Array[];
}

/** The thumbnail, or undefined when the PNG is damaged or of a kind this does not decode (16-bit, interlaced). */
export async function pngThumbnail(png: Uint8Array, maxSide = 256): Promise<Uint8Array | undefined> {
  try {
    const parsed = readChunks(png);
    return parsed && (await thumbnail(parsed, maxSide));
  } catch {
    return undefined;
  }
}

function readChunks(png: Uint8Array): Png | undefined {
  if (!isPng(png)) return undefined;
  let out: Png | undefined;
  for (const chunk of chunks(png)) {
    const d = chunk.data;
    if (chunk.type === 'IHDR') {
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      // Bit depth 8, compression 0, filter 0, no interlace: what image models send.
      if (d[8] !== 8 || d[10] !== 0 || d[11] !== 0 || d[12] !== 0 || !(d[9] in CHANNELS)) return undefined;
      out = { width: view.getUint32(0), height: view.getUint32(4), colorType: d[9], data: [] };
    } else if (!out) return undefined;
    else if (chunk.type === 'PLTE') out.palette = d;
    else if (chunk.type === 'tRNS') out.transparency = d;
    else if (chunk.type === 'IDAT') out.data.push(d);
  }
  if (!out || out.width === 0 || out.height === 0 || out.data.length === 0) return undefined;
  return out.colorType === 3 && !out.palette ? undefined : out;
}

async function thumbnail(png: Png, maxSide: number): Promise<Uint8Array | undefined> {
  const { width, height, colorType, palette, transparency } = png;
  const channels = CHANNELS[colorType];
  const stride = width * channels;
  const raw = await inflateAsync(Buffer.concat(png.data), { maxOutputLength: (stride + 1) * height });
  if (raw.length < (stride + 1) * height) return undefined;

  const alpha = colorType === 4 || colorType === 6 || (colorType === 3 && !!transparency);
  const outChannels = alpha ? 4 : 3;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  // Each source pixel adds to its box's sums, colours weighted by alpha so transparent pixels add no colour.
  const column = Uint32Array.from({ length: width }, (_, x) => Math.min(w - 1, Math.floor((x * w) / width)));
  const sums = new Float64Array(w * 5);
  const rows = Buffer.alloc((w * outChannels + 1) * h);
  let ty = 0;
  const flush = (): void => {
    const rowAt = ty * (w * outChannels + 1);
    for (let tx = 0; tx < w; tx++) {
      const s = tx * 5;
      const a = sums[s + 3];
      const at = rowAt + 1 + tx * outChannels;
      rows[at] = a ? Math.round(sums[s] / a) : 0;
      rows[at + 1] = a ? Math.round(sums[s + 1] / a) : 0;
      rows[at + 2] = a ? Math.round(sums[s + 2] / a) : 0;
      if (alpha) rows[at + 3] = sums[s + 4] ? Math.round(a / sums[s + 4]) : 0;
    }
    sums.fill(0);
  };

  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  let sliceStarted = performance.now();
  for (let y = 0; y < height; y++) {
    unfilterRow(raw, y * (stride + 1), current, y === 0 ? undefined : previous, channels);
    const target = Math.min(h - 1, Math.floor((y * h) / height));
    if (target !== ty) {
      flush();
      ty = target;
    }
    for (let x = 0, at = 0; x < width; x++, at += channels) {
      let r: number, g: number, b: number, a: number;
      if (colorType === 3) {
        const i = current[at] * 3;
        r = palette![i] ?? 0;
        g = palette![i + 1] ?? 0;
        b = palette![i + 2] ?? 0;
        a = transparency?.[current[at]] ?? 255;
      } else if (colorType === 0 || colorType === 4) {
        r = g = b = current[at];
        a = colorType === 4 ? current[at + 1] : 255;
      } else {
        r = current[at];
        g = current[at + 1];
        b = current[at + 2];
        a = colorType === 6 ? current[at + 3] : 255;
      }
      const s = column[x] * 5;
      sums[s] += r * a;
      sums[s + 1] += g * a;
      sums[s + 2] += b * a;
      sums[s + 3] += a;
      sums[s + 4] += 1;
    }
    [previous, current] = [current, previous];
    if (performance.now() - sliceStarted > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
  flush();

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, w);
  view.setUint32(4, h);
  ihdr.set([8, alpha ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, chunkBytes('IHDR', ihdr), chunkBytes('IDAT', await deflateAsync(rows)), chunkBytes('IEND', new Uint8Array(0))]);
}


/** One scanline with its PNG filter undone, into `out`; `above` is the previous decoded line. */
function unfilterRow(raw: Uint8Array, at: number, out: Uint8Array, above: Uint8Array | undefined, bpp: number): void {
  const filter = raw[at];
  const src = at + 1;
  const n = out.length;
  if (filter === 0 || (filter === 2 && !above)) {
    out.set(raw.subarray(src, src + n));
  } else if (filter === 1) {
    for (let i = 0; i < n; i++) out[i] = raw[src + i] + (i >= bpp ? out[i - bpp] : 0);
  } else if (filter === 2) {
    for (let i = 0; i < n; i++) out[i] = raw[src + i] + above![i];
  } else if (filter === 3) {
    for (let i = 0; i < n; i++) out[i] = raw[src + i] + (((i >= bpp ? out[i - bpp] : 0) + (above ? above[i] : 0)) >> 1);
  } else if (filter === 4) {
    for (let i = 0; i < n; i++) {
      const left = i >= bpp ? out[i - bpp] : 0;
      const up = above ? above[i] : 0;
      const corner = above && i >= bpp ? above[i - bpp] : 0;
      const p = left + up - corner;
      const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - corner);
      out[i] = raw[src + i] + (pa <= pb && pa <= pc ? left : pb <= pc ? up : corner);
    }
  } else {
    throw new Error(`PNG filter ${filter}`);
  }
}
