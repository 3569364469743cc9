// Our metadata put into a PNG file without reading it whole: the chunks go right after IHDR (as
// setPngMetadata puts them), the rest is copied through a stream. A results file of 8 MB images
// then costs a copy buffer per image, not two copies of it.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { dirname } from 'node:path';
import { tempFileIn } from '../workspace/imageStore';
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
    const out = createWriteStream(temp, { flags: 'wx' });
    out.write(Buffer.concat([head, metadataChunks(head, meta)]));
    await pipeline(createReadStream(file, { start: SIGNATURE_AND_IHDR }), out);
    await fs.rename(temp, file);
    return true;
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
