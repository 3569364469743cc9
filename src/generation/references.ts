// Reading the images a generation sends: references from the user's files, and for a refine the
// images of earlier turns exactly as the model sent them.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { imageFormat, MIME_TYPE } from '../core/imageType';
import { isPng, removePngMetadata } from '../core/pngMetadata';
import { StudioError } from '../core/studioError';
import type { ReferenceImage } from '../references/referenceParts';

async function readLocal(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new StudioError('fileUnreadable', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: basename(path) }, { cause: e });
  }
}

export function loadReferences(paths: readonly string[]): Promise<ReferenceImage[]> {
  return Promise.all(
    paths.map(async (p) => {
      const bytes = await readLocal(p);
      const format = imageFormat(undefined, bytes);
      if (!format || format === 'gif') throw new StudioError('notAnImage', `${p} is not a PNG, JPEG or WebP image.`, { file: basename(p) });
      return { bytes, mimeType: MIME_TYPE[format], name: basename(p) };
    }),
  );
}

/** An image as the model sent it: the prompt chunks this extension added are taken out again. */
export async function loadSentImage(path: string): Promise<Uint8Array> {
  const bytes = await readLocal(path);
  return isPng(bytes) ? removePngMetadata(bytes) : bytes;
}
