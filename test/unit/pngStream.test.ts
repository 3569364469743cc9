// Following a PNG's chunks as it streams: however the bytes are cut, the layout is the same as
// reading the whole file. (Our chunks put before IEND in place: tempFileSink.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PngChunkWatcher } from '../../src/core/pngStream';
import { makeImage } from '../support/fakeGemini/images';
import { chunk, pngChunks, withChunks } from '../support/pngChunks';

const png = Buffer.from(makeImage({ mimeType: 'image/png', width: 48, height: 32, seed: 3 }).bytes);

function watch(bytes: Buffer, cuts: number[]): PngChunkWatcher {
  const watcher = new PngChunkWatcher();
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    watcher.feed(bytes.subarray(at, cut));
    at = cut;
  }
  return watcher;
}

test('the chunk types and the final IEND are found however the stream is cut', () => {
  const expected = new Set(pngChunks(png).map((c) => c.type));
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: png.length - 1 }), { maxLength: 12 }), (cuts) => {
      const w = watch(png, cuts);
      assert.deepEqual(w.types, expected);
      assert.equal(w.endsWithIend(), true);
    }),
  );
  const text = withChunks(png, chunk('tEXt', Buffer.from('Comment\0hi')));
  assert.ok(watch(text, [7, 40]).types.has('tEXt'));
  assert.equal(watch(Buffer.concat([png, Buffer.from('trailing')]), []).endsWithIend(), false, 'bytes after IEND');
  assert.equal(watch(png.subarray(0, png.length - 3), []).endsWithIend(), false, 'cut inside IEND');
});
