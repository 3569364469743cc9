// Our metadata put into a PNG file without reading it whole: the chunks go right after IHDR (as
// setPngMetadata puts them), the rest is copied through a reused buffer. A results file of 8 MB
// images then costs no allocation per image, let alone a copy of it.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { tempFileIn } from '../workspace/imageStore';
import { withScratch } from '../workspace/scratch';
import { isPng, setPngMetadata, type ImageMetadata } from '../core/pngMetadata';

const SIGNATURE_AND_IHDR = 8 + 25;
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** The bytes of our metadata chunks, made by the one encoder there is (on a header-only PNG). */
export function metadataChunks(ihdr: Uint8Array, meta: ImageMetadata): Buffer {
  const tiny = Buffer.concat([ihdr.subarray(0, SIGNATURE_AND_IHDR), IEND]);
  const withMeta = setPngMetadata(tiny, meta);
  return Buffer.from(withMeta.subarray(SIGNATURE_AND_IHDR, withMeta.length - IEND.length));
}

/** Rewrites the PNG at `file` with `meta`; false (and untouched) when it is not a PNG starting with IHDR. */
export async function addMetadataStreaming(file: string, meta: ImageMetadata): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  const head = Buffer.alloc(SIGNATURE_AND_IHDR);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (!isPng(head) || head.toString('latin1', 12, 16) !== 'IHDR' || head.readUInt32BE(8) !== 13) return false;
  // A name the sweep knows: a process killed mid-rewrite leaves nothing another run cannot remove.
  const temp = tempFileIn(dirname(file));
  try {
    const out = await fs.open(temp, 'wx');
    try {
      await writeAll(out, Buffer.concat([head, metadataChunks(head, meta)]));
      await copyRest(file, out);
    } finally {
      await out.close();
    }
    await fs.rename(temp, file);
    return true;
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

async function copyRest(file: string, out: fs.FileHandle): Promise<void> {
  const source = await fs.open(file, 'r');
  try {
    await withScratch(async (buffer) => {
      for (let at = SIGNATURE_AND_IHDR; ; ) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, at);
        if (bytesRead === 0) return;
        at += bytesRead;
        await writeAll(out, buffer.subarray(0, bytesRead));
      }
    });
  } finally {
    await source.close();
  }
}

async function writeAll(out: fs.FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; ) at += (await out.write(bytes, at, bytes.length - at)).bytesWritten;
}
