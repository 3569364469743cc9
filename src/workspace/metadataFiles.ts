// Image metadata on disk: a PNG rewritten with its chunks, or a sidecar beside the image, always
// through a temp file and a rename so a reader never sees half a file. The formats are pure
// (src/core/pngMetadata.ts, imageMetadata.ts); this is the I/O around them.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { metadataCarrierFor, parseSidecar, serializeSidecar, sidecarPathFor, type ImageMetadata, type MetadataCarrier, type WriteMetadataOptions } from '../core/imageMetadata';
import { readPngMetadata, setPngMetadata } from '../core/pngMetadata';

/** A temp name in the same folder, so the rename that replaces the file stays on one filesystem. */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Replaces a file's content: a temp file beside it, then a rename over it (no half-written file). */
export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathBeside(path);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Rewrites a PNG file with `meta` in it: read whole, write a temp file beside it, rename over. */
export async function addPngMetadataToFile(path: string, meta: ImageMetadata): Promise<void> {
  await writeAtomically(path, setPngMetadata(await readFile(path), meta));
}

/**
 * Stores `meta` with the image at `path` (a finished file): into the PNG itself (rewritten through
 * a temp file and a rename), else into the sidecar. Returns where it went.
 */
export async function writeImageMetadata(path: string, meta: ImageMetadata, options: WriteMetadataOptions = {}): Promise<MetadataCarrier> {
  const bytes = await readFile(path);
  const carrier = metadataCarrierFor(bytes, options);
  if (carrier === 'png') await writeAtomically(path, setPngMetadata(bytes, meta));
  else await writeAtomically(sidecarPathFor(path), serializeSidecar(meta));
  return carrier;
}

/** The metadata of the image at `path`: from the PNG's chunks, else from its sidecar; undefined when neither has any. */
export async function readImageMetadata(path: string): Promise<ImageMetadata | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readFile(path);
  } catch {
    bytes = undefined;
  }
  const embedded = bytes && readPngMetadata(bytes);
  if (embedded) return embedded;
  try {
    return parseSidecar(await readFile(sidecarPathFor(path), 'utf8'));
  } catch {
    return undefined;
  }
}
