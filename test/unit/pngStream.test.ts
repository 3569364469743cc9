// Following a PNG's chunks as it streams: however the bytes are cut, the layout is the same as
// reading the whole file, and our chunks put before IEND read back with the image intact.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { pngMetadataChunks, readPngMetadata } from '../../src/core/pngMetadata';
import { PngChunkWatcher } from '../../src/core/pngStream';
import { insertBeforeIend } from '../../src/workspace/imageStore';
import { makeImage } from '../support/fakeGemini/images';
import { decodePng } from '../support/fakeGemini/inspect';
import { chunk, pngChunks, withChunks, withoutTextChunks } from '../support/pngChunks';
import { tempDir } from '../support/tempWorkspace';

const png = Buffer.from(makeImage({ mimeType: 'image/png', width: 48, height: 32, seed: 3 }).bytes);
const dir = tempDir();
after(() => dir.cleanup());

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

test('chunks put before IEND in place: the metadata reads back, the image decodes, the bytes sent are intact', async () => {
  const file = join(dir.path, 'a.png');
  writeFileSync(file, png);
  const meta = { version: 1, prompt: '一只猫 🐱 by a lighthouse', model: 'm' };
  await insertBeforeIend(file, png.length, pngMetadataChunks(meta));
  const written = readFileSync(file);
  assert.deepEqual(readPngMetadata(written), meta);
  assert.doesNotThrow(() => decodePng(written));
  assert.deepEqual(pngChunks(written).at(-1)?.type, 'IEND');
  assert.deepEqual(withoutTextChunks(written), png);
});
