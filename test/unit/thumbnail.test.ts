// The MCP server's preview of a made image: a PNG at most 256 pixels a side, averaged from the
// original's pixels (every PNG filter undone), small enough for an agent's context.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { pngThumbnail } from '../../src/cli/mcp/thumbnail';
import { imageDimensions } from '../../src/core/imageType';
import { encodePng } from '../support/fakeGemini/images/png';
import { makeImage } from '../support/fakeGemini/images';

/** The pixels of a PNG written with filter 0 on every row (what pngThumbnail writes). */
function rows(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const { width, height } = imageDimensions(png)!;
  const idat = png.subarray(8 + 25 + 8, png.length - 12 - 4);
  const raw = inflateSync(idat);
  const stride = width * 3 + 1;
  return { width, height, pixel: (x, y) => [...raw.subarray(y * stride + 1 + x * 3, y * stride + 4 + x * 3)] };
}

test('a 600x300 picture becomes 200x100 with its colours where they were', () => {
  const rgb = new Uint8Array(600 * 300 * 3);
  for (let y = 0; y < 300; y++)
    for (let x = 0; x < 600; x++) rgb.set(x < 300 ? [255, 0, 0] : [0, 0, 255 - (y % 2) * 10], (y * 600 + x) * 3);
  const thumb = pngThumbnail(encodePng(600, 300, rgb), 256)!;
  const t = rows(thumb);
  assert.deepEqual([t.width, t.height], [200, 100]);
  assert.deepEqual(t.pixel(0, 0), [255, 0, 0]);
  assert.deepEqual(t.pixel(99, 50), [255, 0, 0]);
  assert.deepEqual(t.pixel(199, 99), [0, 0, 248], 'rows 297..299 (245, 255, 245) average to 248');
});

test('an image as the stand-in sends it gets a preview of a few KB; not a PNG gets none', () => {
  const image = makeImage({ mimeType: 'image/png', width: 1024, height: 1024 } as Parameters<typeof makeImage>[0]);
  const thumb = pngThumbnail(image.bytes, 256)!;
  assert.deepEqual(imageDimensions(thumb), { width: 256, height: 256 });
  assert.ok(thumb.length < 200_000, `${thumb.length} bytes`);
  assert.equal(pngThumbnail(Buffer.from('not a png'), 256), undefined);
  assert.equal(pngThumbnail(makeImage({ mimeType: 'image/jpeg', width: 64, height: 64 } as Parameters<typeof makeImage>[0]).bytes, 256), undefined);
});
