// N images for one request: N generateContent calls (image models reject candidateCount > 1),
// run in parallel with a bound, each streamed to a temporary file and committed under a free name.
import { promises as fs } from 'node:fs';
import type { GeminiClient } from '../gemini/client';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { requireImages } from '../gemini/responseParser';
import type { GenerateContentRequest } from '../gemini/types';
import { EXTENSION, imageDimensions, imageFormat, MIME_TYPE } from '../core/imageType';
import { commitImage, TempFileSink, type TempImage } from '../workspace/imageStore';

export interface GeneratedImage {
  path: string;
  mimeType: string;
  byteLength: number;
  width?: number;
  height?: number;
  thoughtSignature?: string;
  /** Which of the N requests made it. */
  requestIndex: number;
}

export interface GenerationResult {
  images: GeneratedImage[];
  /** The model's words, per request that answered. */
  texts: string[];
  /** Requests that failed while others succeeded. */
  failures: GeminiError[];
  /** The model turn of each successful request, as received (for refine). */
  modelTurns: unknown[];
}

export interface GenerateImagesInput {
  client: GeminiClient;
  model: string;
  request: GenerateContentRequest;
  count: number;
  /** Where an image with this extension should go (absolute, before numbering). */
  targetPath: (ext: string) => string;
  /** Where the temporary files are written: the destination's folder, so the final link is a rename. */
  tempDir: string;
  concurrency?: number;
  signal?: AbortSignal;
  onImage?: (image: GeneratedImage) => void;
  onRetry?: (attempt: number, delayMs: number, error: GeminiError) => void;
}

export const MAX_PARALLEL_REQUESTS = 8;

export async function generateImages(input: GenerateImagesInput): Promise<GenerationResult> {
  const result: GenerationResult = { images: [], texts: [], failures: [], modelTurns: [] };
  const errors: GeminiError[] = [];
  await forEachBounded(input.count, Math.min(input.concurrency ?? MAX_PARALLEL_REQUESTS, MAX_PARALLEL_REQUESTS), async (index) => {
    try {
      const one = await generateOne(input, index);
      result.images.push(...one.images);
      result.texts.push(...one.texts);
      result.modelTurns.push(one.modelTurn);
      one.images.forEach((image) => input.onImage?.(image));
    } catch (e) {
      errors.push(isGeminiError(e) ? e : new GeminiError('badResponse', String((e as Error)?.message ?? e), {}, { cause: e }));
    }
  });
  result.images.sort((a, b) => a.requestIndex - b.requestIndex);
  if (result.images.length === 0) {
    // Cancellation wins; otherwise the first failure explains best.
    throw errors.find((e) => e.kind === 'cancelled') ?? errors[0] ?? new GeminiError('noImage', 'No image was returned.');
  }
  result.failures = errors;
  return result;
}

async function generateOne(input: GenerateImagesInput, requestIndex: number) {
  const sink = new TempFileSink(input.tempDir);
  let temps: TempImage[] = [];
  try {
    const reply = requireImages(
      await input.client.generateContent(input.model, input.request, sink, { signal: input.signal, onRetry: input.onRetry, parse: { thoughtImages: 'discard' } }),
    );
    temps = reply.images.map((i) => i.handle);
    const images: GeneratedImage[] = [];
    for (const parsed of reply.images) {
      const temp = parsed.handle;
      const format = imageFormat(temp.mimeType, temp.head);
      if (!format) {
        throw new GeminiError('badResponse', `The reply's image is of an unknown type (${temp.mimeType}).`, { serverMessage: temp.mimeType });
      }
      if (input.signal?.aborted) throw new GeminiError('cancelled', 'Cancelled.');
      const dimensions = await readDimensions(temp.tempPath);
      const finalPath = await commitImage(temp.tempPath, input.targetPath(EXTENSION[format]));
      images.push({
        path: finalPath,
        mimeType: MIME_TYPE[format],
        byteLength: temp.byteLength,
        ...dimensions,
        thoughtSignature: parsed.thoughtSignature,
        requestIndex,
      });
    }
    return { images, texts: reply.texts, modelTurn: reply.modelTurn };
  } finally {
    await sink.discardAll();
    // Temporary files not committed (a failure or cancel between parse and commit) are removed.
    await Promise.all(temps.map((t) => fs.rm(t.tempPath, { force: true })));
  }
}

async function readDimensions(file: string) {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return imageDimensions(head.subarray(0, bytesRead)) ?? {};
  } finally {
    await handle.close();
  }
}

/** Runs task(0..count-1) with at most `limit` at once. */
export async function forEachBounded(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(workers);
}
