// A small copy of a PNG for a chat tool's result, so the agent's model sees what was made without
// the megabytes of the original: decoded (8-bit, not interlaced; grey, RGB, palette, with alpha),
// averaged down to at most `maxSide` pixels a side, written back as an 8-bit RGB(A) PNG.
import { deflateSync, inflateSync } from 'node:zlib';
import { chunkBytes, chunks, isPng } from './pngMetadata';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface Header {
  width: number;
  height: number;
  colorType: number;
}

/** The thumbnail, or undefined when the PNG is damaged or of a kind this does not decode (16-bit, interlaced). */
export function pngThumbnail(png: Uint8Array, maxSide = 256): Uint8Array | undefined {
  try {
    return thumbnail(png, maxSide);
  } catch {
    return undefined;
  }
}

function thumbnail(png: Uint8Array, maxSide: number): Uint8Array | undefined {
  if (!isPng(png)) return undefined;
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const data: Uint8Array[] = [];
  for (const chunk of chunks(png)) {
    const d = chunk.data;
    if (chunk.type === 'IHDR') {
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      // Bit depth 8, compression 0, filter 0, no interlace: what image models send.
      if (d[8] !== 8 || d[10] !== 0 || d[11] !== 0 || d[12] !== 0 || !(d[9] in CHANNELS)) return undefined;
      header = { width: view.getUint32(0), height: view.getUint32(4), colorType: d[9] };
    } else if (chunk.type === 'PLTE') palette = d;
    else if (chunk.type === 'tRNS') transparency = d;
    else if (chunk.type === 'IDAT') data.push(d);
  }
  if (!header || header.width === 0 || header.height === 0 || data.length === 0) return undefined;
  if (header.colorType === 3 && !palette) return undefined;
  const { width, height, colorType } = header;
  const channels = CHANNELS[colorType];
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data), { maxOutputLength: (stride + 1) * height });
  if (raw.length < (stride + 1) * height) return undefined;
  const pixels = unfilter(raw, stride, height, channels);

  const alpha = colorType === 4 || colorType === 6 || (colorType === 3 && !!transparency);
  const outChannels = alpha ? 4 : 3;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  // One pass over the source: each pixel adds to its box's sums, colours weighted by alpha so
  // transparent pixels add no colour.
  const column = Uint32Array.from({ length: width }, (_, x) => Math.min(w - 1, Math.floor((x * w) / width)));
  const sums = new Float64Array(w * 5);
  const rows = Buffer.alloc((w * outChannels + 1) * h);
  let ty = 0;
  const flush = (): void => {
    const rowAt = ty * (w * outChannels + 1);
    for (let tx = 0; tx < w; tx++) {
      const [r, g, b, a, n] = sums.subarray(tx * 5, tx * 5 + 5);
      const at = rowAt + 1 + tx * outChannels;
      rows[at] = a ? Math.round(r / a) : 0;
      rows[at + 1] = a ? Math.round(g / a) : 0;
      rows[at + 2] = a ? Math.round(b / a) : 0;
      if (alpha) rows[at + 3] = n ? Math.round(a / n) : 0;
    }
    sums.fill(0);
  };
  for (let y = 0; y < height; y++) {
    const target = Math.min(h - 1, Math.floor((y * h) / height));
    if (target !== ty) {
      flush();
      ty = target;
    }
    let at = y * stride;
    for (let x = 0; x < width; x++, at += channels) {
      let r: number, g: number, b: number, a: number;
      if (colorType === 3) {
        const i = pixels[at] * 3;
        r = palette![i] ?? 0;
        g = palette![i + 1] ?? 0;
        b = palette![i + 2] ?? 0;
        a = transparency?.[pixels[at]] ?? 255;
      } else if (colorType === 0 || colorType === 4) {
        r = g = b = pixels[at];
        a = colorType === 4 ? pixels[at + 1] : 255;
      } else {
        r = pixels[at];
        g = pixels[at + 1];
        b = pixels[at + 2];
        a = colorType === 6 ? pixels[at + 3] : 255;
      }
      const s = column[x] * 5;
      sums[s] += r * a;
      sums[s + 1] += g * a;
      sums[s + 2] += b * a;
      sums[s + 3] += a;
      sums[s + 4] += 1;
    }
  }
  flush();
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, w);
  view.setUint32(4, h);
  ihdr.set([8, alpha ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([png.subarray(0, 8), chunkBytes('IHDR', ihdr), chunkBytes('IDAT', deflateSync(rows)), chunkBytes('IEND', new Uint8Array(0))]);
}

/** The scanlines with PNG's five filters undone. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    const first = y === 0;
    if (filter === 0 || (filter === 2 && first)) {
      out.set(raw.subarray(src, src + stride), row);
    } else if (filter === 1) {
      for (let i = 0; i < stride; i++) out[row + i] = raw[src + i] + (i >= bpp ? out[row + i - bpp] : 0);
    } else if (filter === 2) {
      for (let i = 0; i < stride; i++) out[row + i] = raw[src + i] + out[up + i];
    } else if (filter === 3) {
      for (let i = 0; i < stride; i++) out[row + i] = raw[src + i] + (((i >= bpp ? out[row + i - bpp] : 0) + (first ? 0 : out[up + i])) >> 1);
    } else if (filter === 4) {
      for (let i = 0; i < stride; i++) {
        const left = i >= bpp ? out[row + i - bpp] : 0;
        const above = first ? 0 : out[up + i];
        const corner = first || i < bpp ? 0 : out[up + i - bpp];
        const p = left + above - corner;
        const pa = Math.abs(p - left), pb = Math.abs(p - above), pc = Math.abs(p - corner);
        out[row + i] = raw[src + i] + (pa <= pb && pa <= pc ? left : pb <= pc ? above : corner);
      }
    } else {
      throw new Error(`PNG filter ${filter}`);
    }
  }
  return out;
}
