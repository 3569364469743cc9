// Where an image's metadata lives: inside a PNG (iTXt chunks), beside anything else in a sidecar
// `<image>.json`. The bytes decide, not the file name.
import { sniffImageFormat } from './imageType';
import {
  hasContentCredentials,
  serializeImageMetadata,
  toImageMetadata,
  type ImageMetadata,
} from './pngMetadata';

export type { ImageMetadata } from './pngMetadata';

/** Marks a sidecar as ours, so a stray `x.jpg.json` from elsewhere is not read as a prompt. */
export const SIDECAR_GENERATOR = 'gemini-image-studio';

export type MetadataCarrier = 'png' | 'sidecar';

export interface WriteMetadataOptions {
  /**
   * Keep a PNG's C2PA manifest (Content Credentials) valid: a PNG that has one gets a sidecar
   * instead of a chunk, since any added chunk breaks the manifest's hash. Default true.
   */
  preserveContentCredentials?: boolean;
}

/** `cover.jpg` -> `cover.jpg.json` (works for paths and for URI paths alike). */
export function sidecarPathFor(imagePath: string): string {
  return `${imagePath}.json`;
}

/** Which carrier `writeImageMetadata` uses for these bytes. */
export function metadataCarrierFor(bytes: Uint8Array, options: WriteMetadataOptions = {}): MetadataCarrier {
  if (sniffImageFormat(bytes) !== 'png') return 'sidecar';
  return options.preserveContentCredentials !== false && hasContentCredentials(bytes) ? 'sidecar' : 'png';
}

export function serializeSidecar(meta: ImageMetadata): string {
  const fields = JSON.parse(serializeImageMetadata(meta)) as Record<string, unknown>;
  return `${JSON.stringify({ generator: SIDECAR_GENERATOR, ...fields }, null, 2)}\n`;
}

/** The metadata in a sidecar's text; undefined when it is not one of ours or not readable. */
export function parseSidecar(text: string): ImageMetadata | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || (value as { generator?: unknown }).generator !== SIDECAR_GENERATOR) return undefined;
    return toImageMetadata(value);
  } catch {
    return undefined;
  }
}
