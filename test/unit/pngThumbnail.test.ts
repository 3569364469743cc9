// The chat tool's thumbnail: PNGs written here with every filter and colour type come out scaled
// to at most 256 pixels a side with the right colours, read back with a plain inflate (the thumbnail
// uses no filters), and what it cannot decode yields undefined rather than a wrong picture.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { pngThumbnail } from '../../src/core/pngThumbnail';
import { encodePng } from '../support/fakeGemini/images/png';
import { chunk, pngChunks } from '../support/pngChunks';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(width: number, height: number, colorType: number, scanlines: Uint8Array, extra: Buffer[] = [], depth = 8, interlace = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  ihdr[12] = interlace;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(scanlines)), chunk('IEND', Buffer.alloc(0))]);
}

/** The thumbnail's size, channels and pixels, read without our decoder: filter 0 on every row. */
function read(thumb: Uint8Array): { width: number; height: number; channels: number; at(x: number, y: number): number[] } {
  const chunks = pngChunks(Buffer.from(thumb));
  const ihdr = chunks.find((c) => c.type === 'IHDR')!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const channels = ihdr[9] === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels + 1;
  for (let y = 0; y < height; y++) assert.equal(raw[y * stride], 0, `row ${y} uses no filter`);
  return { width, height, channels, at: (x, y) => [...raw.subarray(y * stride + 1 + x * channels, y * stride + 1 + (x + 1) * channels)] };
}

/** Forward PNG filter `type` over RGB rows (bpp 3), as an encoder would write them. */
function filtered(width: number, height: number, rgb: Uint8Array, type: number): Uint8Array {
  const stride = width * 3;
  const out = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    out[y * (stride + 1)] = type;
    for (let i = 0; i < stride; i++) {
      const v = rgb[y * stride + i];
      const left = i >= 3 ? rgb[y * stride + i - 3] : 0;
      const above = y > 0 ? rgb[(y - 1) * stride + i] : 0;
      const corner = y > 0 && i >= 3 ? rgb[(y - 1) * stride + i - 3] : 0;
      const p = left + above - corner;
      const pa = Math.abs(p - left), pb = Math.abs(p - above), pc = Math.abs(p - corner);
      const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? above : corner;
      const predicted = [0, left, above, (left + above) >> 1, paeth][type];
      out[y * (stride + 1) + 1 + i] = (v - predicted) & 0xff;
    }
  }
  return out;
}

test('a 1024x512 picture (Sub and Up filters) becomes 256x128 with its halves\' colours', async () => {
  const width = 1024, height = 512;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(x < width / 2 ? [200, 30, 40] : [20, 60, 220], (y * width + x) * 3);
  const thumb = read((await pngThumbnail(encodePng(width, height, rgb)))!);
  assert.deepEqual([thumb.width, thumb.height, thumb.channels], [256, 128, 3]);
  assert.deepEqual(thumb.at(10, 10), [200, 30, 40]);
  assert.deepEqual(thumb.at(250, 120), [20, 60, 220]);
});

test('Average and Paeth rows decode exactly (scale 1 keeps every pixel)', async () => {
  const width = 7, height = 5;
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37 + (i % 5) * 11) & 0xff);
  for (const type of [0, 1, 2, 3, 4]) {
    const thumb = read((await pngThumbnail(png(width, height, 2, filtered(width, height, rgb, type))))!);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) assert.deepEqual(thumb.at(x, y), [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)], `filter ${type} at ${x},${y}`);
  }
});

test('palette with transparency, grey with alpha and RGBA keep their alpha; 2x2 averages to one pixel', async () => {
  const palette = chunk('PLTE', Buffer.from([255, 0, 0, 0, 0, 255]));
  const trns = chunk('tRNS', Buffer.from([255, 0]));
  const indexed = read((await pngThumbnail(png(2, 1, 3, Uint8Array.from([0, 0, 1]), [palette, trns])))!);
  assert.deepEqual([indexed.channels, indexed.at(0, 0), indexed.at(1, 0)], [4, [255, 0, 0, 255], [0, 0, 0, 0]]);
  const grey = read((await pngThumbnail(png(1, 1, 4, Uint8Array.from([0, 90, 128]))))!);
  assert.deepEqual(grey.at(0, 0), [90, 90, 90, 128]);
  // One opaque white and one transparent black pixel: the average is white at half alpha, not grey.
  const rgba = read((await pngThumbnail(png(2, 1, 6, Uint8Array.from([0, 255, 255, 255, 255, 0, 0, 0, 0])), 1))!);
  assert.deepEqual([rgba.width, rgba.height, rgba.at(0, 0)], [1, 1, [255, 255, 255, 128]]);
});

test('16-bit, interlaced, truncated, palette without PLTE and non-PNG input give undefined', async () => {
  const line = Uint8Array.from([0, 1, 2, 3]);
  assert.equal(await pngThumbnail(png(1, 1, 2, Uint8Array.from([0, 0, 1, 0, 2, 0, 3]), [], 16)), undefined);
  assert.equal(await pngThumbnail(png(1, 1, 2, line, [], 8, 1)), undefined);
  assert.equal(await pngThumbnail(png(4, 4, 2, line)), undefined, 'too few scanlines');
  assert.equal(await pngThumbnail(png(1, 1, 3, Uint8Array.from([0, 0]))), undefined);
  assert.equal(await pngThumbnail(Buffer.from('\xff\xd8\xff\xe0 a JPEG', 'latin1')), undefined);
  assert.equal(await pngThumbnail(png(1, 1, 2, Uint8Array.from([9, 1, 2, 3]))), undefined, 'an unknown filter');
});

test('a 1024x1024 noisy image gives a thumbnail far smaller than the original, and the event loop keeps turning meanwhile', async () => {
  const width = 1024;
  const rgb = randomBytes(width * width * 3);
  const original = encodePng(width, width, rgb);
  let turns = 0;
  const ticker = setInterval(() => turns++, 1);
  const started = performance.now();
  const thumb = (await pngThumbnail(original))!;
  const ms = performance.now() - started;
  clearInterval(ticker);
  assert.ok(turns > 0, 'timers ran while the thumbnail was made');
  assert.ok(thumb.length < 200_000 && thumb.length < original.length / 10, `${thumb.length} of ${original.length}`);
  assert.equal(read(thumb).width, 256);
  console.log(`thumbnail of a ${original.length} B 1024x1024 PNG: ${thumb.length} B in ${ms.toFixed(0)} ms, ${turns} timer turns meanwhile`);
});
