// Puts a finished temporary image at exactly its link's path. A missing image is created with
// link(2), which never overwrites; a stale one is first kept in the trash folder (hard-linked, so
// the old file stays where it was until the very end) and then replaced by one rename. A file is
// therefore always either the old image or the complete new one, even if the process is killed.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { metadataCarrierFor, type ImageMetadata } from '../core/imageMetadata';
import { readImageMetadata, writeImageMetadata } from '../workspace/metadataFiles';
import { imageDimensions, imageFormat } from '../core/imageType';
import { hasContentCredentials, pngMetadataChunks } from '../core/pngMetadata';
import { addMetadataStreaming } from './pngStream';
import { GeminiError } from '../gemini/errors';
import { insertBeforeIend, type TempImage } from '../workspace/imageStore';
import { assertReallyInside } from '../workspace/realPath';
import { withScratch } from '../workspace/scratch';

export type Placement = 'written' | 'replaced' | 'alreadyThere';

export interface PlaceInput {
  temp: TempImage;
  /** Absolute target. */
  path: string;
  /** The workspace root the target must really stay inside (symbolic links followed). */
  root: string;
  meta: ImageMetadata;
  /** Where the replaced image is kept (a file path); only for a stale image. */
  backupPath?: string;
}

/** True when the image at `file` carries `meta` (prompt and options): the work is already done. */
export async function carries(file: string, meta: ImageMetadata): Promise<boolean> {
  const found = await readImageMetadata(file).catch(() => undefined);
  return !!found && found.prompt === meta.prompt && found.model === meta.model && found.aspectRatio === meta.aspectRatio && found.imageSize === meta.imageSize && found.style === meta.style;
}

export async function placeImage(input: PlaceInput): Promise<Placement> {
  const { temp } = input;
  const meta = { ...input.meta, ...imageDimensions(temp.head) };
  try {
    if (!imageFormat(temp.mimeType, temp.head)) throw new GeminiError('badResponse', `The reply's image is of an unknown type (${temp.mimeType}).`, { serverMessage: temp.mimeType });
    const inPng = metadataCarrierFor(temp.head) === 'png' && (await addPngMetadata(temp, meta));
    // Checked at write time (a batch's results come hours after the plan): a folder on the way
    // may since have become a link out of the workspace. Before mkdir, which would follow it.
    await assertReallyInside(input.root, input.path);
    await fs.mkdir(path.dirname(input.path), { recursive: true });
    let placement: Placement;
    if (input.backupPath) placement = await replace(temp.tempPath, input.path, input.backupPath, meta);
    else placement = await create(temp.tempPath, input.path, meta);
    if (!inPng && placement !== 'alreadyThere') await writeImageMetadata(input.path, meta);
    return placement;
  } finally {
    await fs.rm(temp.tempPath, { force: true });
  }
}

async function create(temp: string, target: string, meta: ImageMetadata): Promise<Placement> {
  try {
    await linkOrCopy(temp, target);
    return 'written';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Written by an earlier run that stopped before it could say so, or by someone else: ours and
    // the same prompt is done; anything else is left alone.
    if (await carries(target, meta)) return 'alreadyThere';
    throw new GeminiError('badRequest', `${target} appeared while the image was being made; it was left as it is.`, { serverMessage: 'targetExists' });
  }
}

async function replace(temp: string, target: string, backup: string, meta: ImageMetadata): Promise<Placement> {
  if (await carries(target, meta)) return 'alreadyThere';
  await fs.mkdir(path.dirname(backup), { recursive: true });
  try {
    await linkOrCopy(target, backup);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // EEXIST: kept by an earlier attempt at this same replacement. ENOENT: the old one is gone.
    if (code !== 'EEXIST' && code !== 'ENOENT') throw e;
  }
  await fs.rename(temp, target);
  return 'replaced';
}

/** link(2), else an exclusive copy where hard links are not possible (other device, FAT). */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
  }
}

/** Our chunks into the temp PNG: in place before IEND when it allows (the usual case), else rewritten. */
async function addPngMetadata(temp: TempImage, meta: ImageMetadata): Promise<boolean> {
  if (temp.appendableText) {
    await insertBeforeIend(temp.tempPath, temp.byteLength, pngMetadataChunks(meta));
    return true;
  }
  // A PNG carrying Content Credentials keeps them valid with a sidecar (metadataCarrierFor).
  return !(await hasCredentials(temp.tempPath)) && (await addMetadataStreaming(temp.tempPath, meta));
}

/** Content Credentials (a caBX chunk) are rare and small-headed: only then is the file read whole. */
async function hasCredentials(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const found = await withScratch(async (probe) => {
      const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
      return probe.subarray(0, bytesRead).includes('caBX');
    });
    if (!found) return false;
  } finally {
    await handle.close();
  }
  return hasContentCredentials(await fs.readFile(file));
}
