// Issue 20 #12: reading an image's metadata never reads the image whole. A PNG's text chunks are
// found by their headers (after IHDR) and in the file's last bytes (before IEND, where a streamed
// generation puts them); a JPEG is not read at all, its sidecar is. Sparse files of 3 GB make it
// visible: a whole read of one fails (over 2 GiB) or takes gigabytes.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { pngMetadataChunks, type ImageMetadata } from '../../src/core/pngMetadata';
import { serializeSidecar, sidecarPathFor } from '../../src/core/imageMetadata';
import { readImageMetadata } from '../../src/workspace/metadataFiles';

const dir = mkdtempSync(path.join(tmpdir(), 'gis-meta-positioned-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const meta: ImageMetadata = { version: 1, prompt: 'a harbour at dusk, 港口', model: 'gemini-3-pro-image', imageSize: '4K' };
const GB = 1024 ** 3;

function chunkHeader(type: string, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(length, 0);
  b.write(type, 4, 'latin1');
  return b;
}
const SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const IHDR = (() => {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(16384, 0);
  data.writeUInt32BE(16384, 4);
  data.set([8, 6, 0, 0, 0], 8);
  const typed = Buffer.concat([Buffer.from('IHDR', 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([chunkHeader('IHDR', 13), data, crc]);
})();
const IEND = Buffer.from('0000000049454e44ae426082', 'hex');

/** A sparse PNG: two IDAT chunks of 1.5 GB of holes, our metadata after IHDR or before IEND. */
function sparsePng(name: string, where: 'afterIhdr' | 'beforeIend'): string {
  const file = path.join(dir, name);
  const text = Buffer.from(pngMetadataChunks(meta));
  const head = Buffer.concat([SIGNATURE, IHDR, ...(where === 'afterIhdr' ? [text] : [])]);
  const idat = 1.5 * GB;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    let at = head.length;
    for (let i = 0; i < 2; i++) {
      writeSync(fd, chunkHeader('IDAT', idat), 0, 8, at);
      at += 8 + idat + 4;
    }
    const tail = Buffer.concat([...(where === 'beforeIend' ? [text] : []), IEND]);
    writeSync(fd, tail, 0, tail.length, at);
  } finally {
    closeSync(fd);
  }
  return file;
}

test('a 3 GB PNG: the metadata after IHDR and the metadata before IEND are both found', async () => {
  assert.deepEqual(await readImageMetadata(sparsePng('head.png', 'afterIhdr')), meta);
  assert.deepEqual(await readImageMetadata(sparsePng('tail.png', 'beforeIend')), meta);
});

test('a PNG without metadata falls back to its sidecar; a damaged tail chunk is not taken', async () => {
  const file = sparsePng('bare.png', 'beforeIend');
  // Flip one byte of the prompt: the CRC no longer holds, so the chunk is not ours to trust.
  const fd = openSync(file, 'r+');
  const tailStart = 8 + IHDR.length + 2 * (12 + 1.5 * GB);
  writeSync(fd, Buffer.from('X'), 0, 1, tailStart + 40);
  closeSync(fd);
  assert.equal(await readImageMetadata(file), undefined);
  writeFileSync(sidecarPathFor(file), serializeSidecar({ ...meta, prompt: 'from the sidecar' }));
  assert.equal((await readImageMetadata(file))?.prompt, 'from the sidecar');
});

test('a JPEG is not read to decide on its sidecar', async () => {
  const file = path.join(dir, 'photo.jpg');
  writeFileSync(file, Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(2_000_000, 1)]));
  writeFileSync(sidecarPathFor(file), serializeSidecar(meta));
  const wholeReads: string[] = [];
  // The module object itself (an ES namespace import would be read-only): what the code under test calls.
  const mutable = require('node:fs/promises') as { readFile: typeof import('node:fs/promises').readFile };
  const readFile = mutable.readFile;
  mutable.readFile = ((p: Parameters<typeof readFile>[0], ...rest: unknown[]) => {
    wholeReads.push(String(p));
    return (readFile as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof readFile;
  try {
    assert.deepEqual(await readImageMetadata(file), meta);
  } finally {
    mutable.readFile = readFile;
  }
  assert.deepEqual(wholeReads, [sidecarPathFor(file)], 'only the sidecar is read whole');
});
