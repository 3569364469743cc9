// The temp-file sink as the parser drives it: bytes gathered into few writes that run while the
// parser reads on, short writes resumed, a failed write reported and its file removed.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { TempFileSink } from '../../src/workspace/imageStore';
import { listFiles, tempDir } from '../support/tempWorkspace';

type Writev = (buffers: Uint8Array[], position?: number) => Promise<{ bytesWritten: number; buffers: Uint8Array[] }>;
type Write = (...args: unknown[]) => Promise<unknown>;

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
    const { writer, awaited } = await feed(new TempFileSink(dir.path, { digest: true }), image, 48 * 1024);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
    assert.equal(temp.byteLength, image.length);
    assert.equal(temp.sha256, createHash('sha256').update(image).digest('hex'));
    assert.ok(calls <= 5, `${calls} write calls for 42 pieces`);
    assert.ok(awaited <= 4, `the parser waited ${awaited} times`);
  });

  test('short writes are resumed where they stopped, in order', async () => {
    proto.writev = function (this: unknown, buffers, position) {
      // At most 1000 bytes per call, cutting pieces in the middle.
      const first = buffers[0].subarray(0, 1000);
      return original.writev.call(this, [first], position).then((r) => ({ ...r, buffers }));
    };
    const image = randomBytes(700_000);
    const { writer } = await feed(new TempFileSink(dir.path), image, 33_333);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
  });

  test('a failed write fails the image, and discarding it leaves no file', async () => {
    proto.writev = () => Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write', path: 'x' }));
    const sink = new TempFileSink(dir.path);
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

  test('an image smaller than one batch is written whole at finish', async () => {
    const image = randomBytes(10_000);
    const { writer, awaited } = await feed(new TempFileSink(dir.path), image, 1000);
    assert.equal(awaited, 0);
    const temp = await writer.finish('image/png');
    assert.deepEqual(readFileSync(temp.tempPath), image);
  });
});
