// The temp-file sink as the parser drives it: bytes gathered into few writes that run while the
// parser reads on, short writes resumed, a failed write reported and its file removed; a final
// PNG's text chunks put before its IEND with its last bytes, a draft's bytes left as sent.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { pngMetadataChunks, readPngMetadata } from '../../src/core/pngMetadata';
import { TempFileSink } from '../../src/workspace/imageStore';
import { makeImage } from '../support/fakeGemini/images';
import { decodePng } from '../support/fakeGemini/inspect';
import { chunk, pngChunks, withChunks, withoutTextChunks } from '../support/pngChunks';
import { listFiles, tempDir } from '../support/tempWorkspace';

type Writev = (buffers: Uint8Array[], position?: number) => Promise<{ bytesWritten: number; buffers: Uint8Array[] }>;
type Write = (...args: unknown[]) => Promise<unknown>;

const BATCH = { writeBatchBytes: 512 * 1024 };

let dir: { path: string; cleanup(): void };
let proto: { writev: Writev; write: Write };
let original: { writev: Writev; write: Write };

beforeEach(async () => {
  dir = tempDir();
  const probe = await fs.open(join(dir.path, 'probe'), 'w');
  proto = Object.getPrototypeOf(probe) as typeof proto;
  await probe.close();
  await fs.unlink(join(dir.path, 'probe'));
  original = { writev: proto.writev, write: proto.write };
});
afterEach(() => {
  proto.writev = original.writev;
  proto.write = original.write;
  dir.cleanup();
});

/** Feeds `image` in `piece`-sized fresh buffers, awaiting only what write() returns, as the parser does. */
async function feed(sink: TempFileSink, image: Buffer, piece: number) {
  const writer = sink.begin();
  let awaited = 0;
  for (let at = 0; at < image.length; at += piece) {
    const done = writer.write(Buffer.from(image.subarray(at, at + piece)));
    if (done) {
      awaited++;
      await done;
    }
  }
  return { writer, awaited };
}

describe('TempFileSink', () => {
  test('a 2 MB image in 48 KB pieces: a few batched writes, the parser kept waiting only for those', async () => {
    let calls = 0;
    proto.writev = function (this: unknown, ...args) {
      calls++;
      return original.writev.apply(this, args);
    };
    proto.write = function (this: unknown, ...args) {
      calls++;
      return original.write.apply(this, args);
    };
    const image = randomBytes(2_000_000);
    const { writer, awaited } = await feed(new TempFileSink(dir.path, { digest: true, ...BATCH }), image, 48 * 1024);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
    assert.equal(temp.byteLength, image.length);
    assert.equal(temp.sha256, createHash('sha256').update(image).digest('hex'));
    assert.ok(calls <= 5, `${calls} write calls for 41 pieces`);
    assert.ok(awaited <= 4, `the parser waited ${awaited} times`);

    // Without writeBatchBytes (the docs fills, whose memory is counted in images): piece by piece,
    // each on disk before the parser reads on.
    calls = 0;
    const plain = new TempFileSink(dir.path).begin() as ReturnType<TempFileSink['begin']> & { tempPath: string };
    for (let at = 0; at < image.length; at += 48 * 1024) {
      await plain.write(Buffer.from(image.subarray(at, at + 48 * 1024)));
      assert.equal(statSync(plain.tempPath).size, Math.min(image.length, at + 48 * 1024));
    }
    await plain.finish('image/png');
    assert.equal(calls, Math.ceil(image.length / (48 * 1024)));
  });

  test('short writes are resumed where they stopped, in order', async () => {
    proto.writev = function (this: unknown, buffers, position) {
      // At most 1000 bytes per call, cutting pieces in the middle.
      const first = buffers[0].subarray(0, 1000);
      return original.writev.call(this, [first], position).then((r) => ({ ...r, buffers }));
    };
    const image = randomBytes(700_000);
    const { writer } = await feed(new TempFileSink(dir.path, BATCH), image, 33_333);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
  });

  test('a failed write fails the image, and discarding it leaves no file', async () => {
    proto.writev = () => Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write', path: 'x' }));
    const sink = new TempFileSink(dir.path, BATCH);
    const writer = sink.begin();
    const image = randomBytes(1_200_000);
    const failure = (async () => {
      for (let at = 0; at < image.length; at += 64 * 1024) await writer.write(Buffer.from(image.subarray(at, at + 64 * 1024)));
      await writer.finish('image/png');
    })();
    await assert.rejects(failure, (e: NodeJS.ErrnoException) => e.code === 'EIO');
    await sink.discardAll();
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('only a writer that waits for each write tells the decoder it may reuse its buffer', () => {
    assert.equal(new TempFileSink(dir.path).begin().keepsNoBytes, true);
    assert.equal(new TempFileSink(dir.path, BATCH).begin().keepsNoBytes, false);
  });

  test('an image smaller than one batch is written whole at finish', async () => {
    const image = randomBytes(10_000);
    const { writer, awaited } = await feed(new TempFileSink(dir.path, BATCH), image, 1000);
    assert.equal(awaited, 0);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
  });

  describe('text chunks before IEND', () => {
    const png = Buffer.from(makeImage({ mimeType: 'image/png', width: 48, height: 32, seed: 5, targetBytes: 700_000 }).bytes);
    const meta = { version: 1, prompt: '一只猫 🐱 by a lighthouse', model: 'm' };
    const heads: Buffer[] = [];
    const options = { digest: true, ...BATCH, textChunks: (head: Buffer) => (heads.push(head), pngMetadataChunks(meta)) };
    beforeEach(() => void (heads.length = 0));

    /** Feeds `image` cut at `cuts`, as the parser would, and finishes it as a final image. */
    async function finishCut(image: Buffer, cuts: number[]) {
      const writer = new TempFileSink(dir.path, options).begin();
      let at = 0;
      for (const cut of [...cuts, image.length]) {
        await writer.write(Buffer.from(image.subarray(at, cut)));
        at = cut;
      }
      return writer.finish('image/png', { thought: false });
    }

    for (const [what, cuts] of [
      ['the IEND among the last bytes', Array.from({ length: 17 }, (_, k) => (k + 1) * 40_000)],
      ['the IEND cut across the last two pieces', [600_000, png.length - 5]],
      ['the IEND begun in a batch already written', [png.length - 5, png.length - 2]],
    ] as const) {
      test(`${what}: the metadata reads back, the image decodes, the bytes as sent are intact, one open`, async () => {
        let opens = 0;
        const open = fs.open;
        fs.open = ((...args: Parameters<typeof fs.open>) => (opens++, open(...args))) as typeof fs.open;
        try {
          const temp = await finishCut(png, [...cuts]);
          const written = readFileSync(temp.tempPath);
          assert.deepEqual(readPngMetadata(written), meta);
          assert.doesNotThrow(() => decodePng(written));
          assert.equal(pngChunks(written).at(-1)?.type, 'IEND');
          assert.deepEqual(withoutTextChunks(written), png);
          assert.equal(temp.byteLength, png.length);
          assert.equal(temp.sha256, createHash('sha256').update(png).digest('hex'));
          assert.equal(temp.textWritten, true);
          assert.deepEqual(heads.map((h) => h.subarray(0, 24)), [png.subarray(0, 24)]);
          assert.equal(opens, 1);
        } finally {
          fs.open = open;
        }
      });
    }

    test('a draft, or a PNG that has text chunks already, is left as sent', async () => {
      const sink = new TempFileSink(dir.path, options);
      const draft = await feed(sink, png, 10_000);
      const kept = await draft.writer.finish('image/png', { thought: true });
      assert.deepEqual(readFileSync(kept.tempPath), png);
      assert.equal(kept.textWritten, false);
      const texted = withChunks(png, chunk('tEXt', Buffer.from('Comment\0hi')));
      const other = await feed(sink, texted, 10_000);
      const temp = await other.writer.finish('image/png', { thought: false });
      assert.deepEqual(readFileSync(temp.tempPath), texted);
      assert.equal(temp.appendableText, false);
      assert.equal(temp.textWritten, false);
      assert.equal(heads.length, 0, 'not asked for chunks');
    });
  });
});
