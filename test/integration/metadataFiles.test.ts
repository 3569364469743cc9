// Metadata on disk: a PNG rewritten in place through a temp file, a sidecar for everything else,
// whatever the extension claims; nothing half-written or left behind.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { metadataCarrierFor, sidecarPathFor } from '../../src/core/imageMetadata';
import { readPngMetadata, type ImageMetadata } from '../../src/core/pngMetadata';
import { addPngMetadataToFile, readImageMetadata, writeImageMetadata } from '../../src/workspace/metadataFiles';
import { makeImage } from '../support/fakeGemini/images';
import { decodePng } from '../support/fakeGemini/inspect';
import { chunk, withChunks } from '../support/pngChunks';
import { listFiles, tempDir } from '../support/tempWorkspace';

const png = makeImage({ mimeType: 'image/png', width: 64, height: 40, seed: 1 }).bytes;
const jpeg = makeImage({ mimeType: 'image/jpeg', width: 64, height: 40, seed: 1 }).bytes;
const webp = makeImage({ mimeType: 'image/webp', width: 64, height: 40, seed: 1 }).bytes;

const meta: ImageMetadata = {
  version: 1,
  prompt: 'Flat vector illustration of 一只猫 🐱.',
  userPrompt: '一只猫 🐱',
  model: 'gemini-nano-banana-2.1',
  aspectRatio: '16:9',
  imageSize: '2K',
  style: 'Flat illustration',
  createdAt: '2025-01-02T03:04:05.000Z',
};


describe('image files', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('addPngMetadataToFile rewrites the PNG in place, leaving no temp file', async () => {
    const path = join(dir.path, '猫 cat.png');
    writeFileSync(path, png);
    await addPngMetadataToFile(path, meta);
    assert.deepEqual(readPngMetadata(readFileSync(path)), meta);
    assert.doesNotThrow(() => decodePng(readFileSync(path)));
    assert.deepEqual(listFiles(dir.path), ['猫 cat.png']);
  });

  test('addPngMetadataToFile leaves a non-PNG untouched and throws', async () => {
    const path = join(dir.path, 'fake.png');
    writeFileSync(path, jpeg);
    await assert.rejects(addPngMetadataToFile(path, meta), /Not a PNG/);
    assert.deepEqual(readFileSync(path), jpeg);
    assert.ok(!listFiles(dir.path).some((f) => f.endsWith('.tmp')));
  });

  test('writeImageMetadata: PNG in the file, JPEG and WebP in a sidecar, whatever the extension', async () => {
    const cases: [string, Buffer, 'png' | 'sidecar'][] = [
      ['a.png', png, 'png'],
      ['b.jpg', jpeg, 'sidecar'],
      ['c.webp', webp, 'sidecar'],
      ['d.png', jpeg, 'sidecar'], // a JPEG named .png
      ['e.png', withChunks(png, chunk('caBX', Buffer.from('jumbf'))), 'sidecar'],
    ];
    for (const [name, bytes, carrier] of cases) {
      const path = join(dir.path, name);
      writeFileSync(path, bytes);
      assert.equal(metadataCarrierFor(bytes), carrier, name);
      assert.equal(await writeImageMetadata(path, meta), carrier, name);
      assert.deepEqual(await readImageMetadata(path), meta, name);
      assert.equal(existsSync(sidecarPathFor(path)), carrier === 'sidecar', name);
      if (carrier === 'sidecar') assert.deepEqual(readFileSync(path), bytes, `${name} untouched`);
    }
    assert.ok(!listFiles(dir.path).some((f) => f.endsWith('.tmp')));
  });

  test('Content Credentials can be given up on request', async () => {
    const path = join(dir.path, 'f.png');
    writeFileSync(path, withChunks(png, chunk('caBX', Buffer.from('jumbf'))));
    assert.equal(await writeImageMetadata(path, meta, { preserveContentCredentials: false }), 'png');
    assert.deepEqual(readPngMetadata(readFileSync(path)), meta);
  });

  test('readImageMetadata: nothing, a foreign sidecar, a missing file', async () => {
    const plain = join(dir.path, 'plain.jpg');
    writeFileSync(plain, jpeg);
    assert.equal(await readImageMetadata(plain), undefined);
    writeFileSync(sidecarPathFor(plain), JSON.stringify({ prompt: 'someone else' }));
    assert.equal(await readImageMetadata(plain), undefined);
    assert.equal(await readImageMetadata(join(dir.path, 'missing.png')), undefined);
  });

});

