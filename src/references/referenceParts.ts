// A reference image as a request part: inlineData, or fileData through the Files API and the
// upload cache. The mode setting decides (auto / files / inline); a relay without the upload
// route always gets inlineData, and the user is told once (UploadCache.onFallback).
import type { GeminiClient, Logger } from '../gemini/client';
import { isGeminiError, type GeminiError } from '../gemini/errors';
import { getFile, isNoUploadRoute, uploadFile, waitUntilActive, type WaitOptions } from '../gemini/files';
import type { GenerateContentRequest, Part } from '../gemini/types';
import { sha256Hex, type UploadCache, type UploadCacheEntry } from './uploadCache';
import { imageModelSpec } from '../core/models';

export type ReferenceMode = 'auto' | 'files' | 'inline';

export interface ReferenceImage {
  bytes: Uint8Array;
  mimeType: string;
  /** Shown as the file's display name on the server (a file name, not a path). */
  name: string;
}

export interface ReferencePartOptions {
  client: GeminiClient;
  cache: UploadCache;
  mode: ReferenceMode;
  /** auto: images larger than this go through the Files API (default 1 MB). */
  autoThresholdBytes?: number;
  /** auto: the caller knows the image is used again (e.g. "Use as reference" on a result). */
  usedBefore?: boolean;
  signal?: AbortSignal;
  /** How long to wait for a PROCESSING file. */
  wait?: Omit<WaitOptions, 'signal'>;
  log?: Logger;
}

export const DEFAULT_AUTO_THRESHOLD_BYTES = 1024 * 1024;

/** Input types the API takes for images; others (GIF...) must be converted first. */
export const REFERENCE_MIME_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

/**
 * How many reference images a model takes (Google's docs: up to 3 on 2.5 Flash Image, up to 14 on
 * the Gemini 3 image models). Unknown ids get the cautious 3, unless they look like Gemini 3.
 */
export function maxReferenceImages(model: string): number {
  return imageModelSpec(model).maxReferences;
}

export function inlinePart(image: Pick<ReferenceImage, 'bytes' | 'mimeType'>): Part {
  return { inlineData: { mimeType: image.mimeType, data: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64') } };
}

function filePart(entry: UploadCacheEntry, mimeType: string): Part {
  return { fileData: { mimeType: entry.mimeType || mimeType, fileUri: entry.uri } };
}

/** One reference image as a part, following the mode. */
export async function referencePart(image: ReferenceImage, options: ReferencePartOptions): Promise<Part> {
  const { cache, client, mode } = options;
  if (mode === 'inline') return inlinePart(image);
  const endpoint = client.endpoint;
  const sha256 = sha256Hex(image.bytes);
  if (mode === 'auto') {
    const uses = await cache.countUse(endpoint, sha256);
    const big = image.bytes.byteLength > (options.autoThresholdBytes ?? DEFAULT_AUTO_THRESHOLD_BYTES);
    const uploaded = cache.lookup(endpoint, sha256) !== undefined;
    if (!big && !uploaded && !options.usedBefore && uses < 2) return inlinePart(image);
  }
  if (cache.hasNoUploadRoute(endpoint)) return inlinePart(image);
  try {
    return filePart(await uploadedEntry(image, sha256, options), image.mimeType);
  } catch (e) {
    if (isNoUploadRoute(e)) {
      options.log?.warn(`${e.message} Sending reference images inline.`);
      await cache.rememberNoUploadRoute(endpoint);
      return inlinePart(image);
    }
    // auto promised nothing about the Files API: any other upload trouble (but a cancel) inlines too.
    if (mode === 'auto' && !(isGeminiError(e) && e.kind === 'cancelled')) {
      options.log?.warn(`Upload of ${image.name} failed (${(e as Error).message}); sending it inline.`);
      return inlinePart(image);
    }
    throw e;
  }
}

/** Several references, in order. */
export function referenceParts(images: ReferenceImage[], options: ReferencePartOptions): Promise<Part[]> {
  return Promise.all(images.map((image) => referencePart(image, options)));
}

/**
 * The cached upload of these bytes, confirmed with a GET when it has not been for a while, or a
 * new upload (waited for until ACTIVE). Concurrent calls for the same bytes share one upload.
 */
async function uploadedEntry(image: ReferenceImage, sha256: string, options: ReferencePartOptions): Promise<UploadCacheEntry> {
  const { cache, client } = options;
  const endpoint = client.endpoint;
  const key = cache.keyOf(endpoint, sha256);
  const running = cache.inFlight.get(key);
  if (running) return running;
  const work = (async () => {
    const cached = cache.lookup(endpoint, sha256);
    if (cached && !cache.needsCheck(cached)) return cached;
    if (cached) {
      const confirmed = await confirmFile(cached, options);
      if (confirmed) {
        await cache.confirm(endpoint, sha256, confirmed);
        return cache.lookup(endpoint, sha256) ?? cached;
      }
      await cache.invalidate(endpoint, sha256);
    }
    const uploaded = await uploadFile(client, image.bytes, image.mimeType, image.name, { signal: options.signal });
    await cache.clearNoUploadRoute(endpoint);
    const active = await waitUntilActive(client, uploaded, { ...options.wait, signal: options.signal });
    options.log?.info(`Uploaded ${image.name} as ${active.name} (${image.bytes.byteLength} bytes)`);
    return cache.remember(endpoint, sha256, active);
  })();
  cache.inFlight.set(key, work);
  try {
    return await work;
  } finally {
    cache.inFlight.delete(key);
  }
}

/** The file if the server still has it (ACTIVE, or PROCESSING and then ACTIVE); undefined when gone. */
async function confirmFile(entry: UploadCacheEntry, options: ReferencePartOptions): Promise<Awaited<ReturnType<typeof getFile>> | undefined> {
  try {
    const file = await getFile(options.client, entry.name, { signal: options.signal });
    if (file.uri !== entry.uri) return undefined;
    return await waitUntilActive(options.client, file, { ...options.wait, signal: options.signal });
  } catch (e) {
    if (isGeminiError(e) && (e.kind === 'notFound' || e.kind === 'permission' || e.kind === 'uploadFailed')) return undefined;
    throw e;
  }
}

/** The fileData URIs of a request's parts (any turn). */
export function fileUris(parts: readonly Part[]): string[] {
  return parts.flatMap((p) => (p.fileData ? [p.fileData.fileUri] : []));
}

/**
 * Runs `use` with what `build` makes (reference parts, or a whole request such as a refine's);
 * when the server answers 403 for a file (expired, deleted, another project), the files named
 * are dropped from the cache and `build` runs once more, which uploads them again.
 */
export async function withFreshReferences<B extends Part[] | GenerateContentRequest, T>(cache: UploadCache, build: () => Promise<B>, use: (built: B) => Promise<T>): Promise<T> {
  const built = await build();
  try {
    return await use(built);
  } catch (e) {
    const uris = fileUris(Array.isArray(built) ? built : built.contents.flatMap((c) => c.parts));
    if (!isStaleFileError(e) || uris.length === 0) throw e;
    // The API names the file id in its message; when it does not, every file of the request is suspect.
    const named = uris.filter((uri) => e.message.includes(uri.slice(uri.lastIndexOf('/') + 1)));
    let dropped = false;
    for (const uri of named.length ? named : uris) dropped = (await cache.invalidateUri(uri)) || dropped;
    if (!dropped) throw e;
    return use(await build());
  }
}

/** generateContent's answer for a fileData it cannot use: 403 PERMISSION_DENIED. */
export function isStaleFileError(e: unknown): e is GeminiError {
  return isGeminiError(e) && e.kind === 'permission' && e.details.status === 403;
}
