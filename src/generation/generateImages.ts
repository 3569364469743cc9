// N images for one request: N generateContent calls (image models reject candidateCount > 1),
// run in parallel with a bound, each streamed to a temporary file and committed under a free name.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { GeminiClient } from '../gemini/client';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { requireImages, type ParsedReply } from '../gemini/responseParser';
import type { StoredImage } from '../gemini/conversation';
import type { GenerateContentRequest, ModelStatus, UsageMetadata } from '../gemini/types';
import { EXTENSION, imageDimensions, imageFormat, MIME_TYPE } from '../core/imageType';
import { DestinationError } from '../core/destination';
import { metadataCarrierFor, type ImageMetadata } from '../core/imageMetadata';
import { writeImageMetadata } from '../workspace/metadataFiles';
import { pngMetadataChunks, setPngMetadata } from '../core/pngMetadata';
import { commitImage, removeFile, sweepStaleTempFiles, TempFileSink, type TempImage } from '../workspace/imageStore';

export interface GeneratedImage {
  path: string;
  mimeType: string;
  byteLength: number;
  width?: number;
  height?: number;
  thoughtSignature?: string;
  /** Hex sha256 of the bytes as the model sent them (before metadata was added), when metadata was asked for. */
  sha256?: string;
  /** Which of the N requests made it. */
  requestIndex: number;
}

/** One request's answer: its images, and what a refine needs to continue from it. */
export interface GeneratedReply {
  requestIndex: number;
  images: GeneratedImage[];
  texts: string[];
  /** The model turn as received, image data replaced by refs (ParsedReply.modelTurn). */
  modelTurn: unknown;
  /** Draft (thought) images, kept in `draftsDir` when asked: a refine must send them back. */
  drafts: StoredImage[];
  /** What the reply said about itself: tokens, the model that answered, a retiring model's status. */
  usage?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
  modelStatus?: ModelStatus;
  /** Parameters left out after the endpoint said the model does not take them. */
  droppedParameters?: string[];
}

export interface GenerationResult {
  images: GeneratedImage[];
  /** The model's words, per request that answered. */
  texts: string[];
  /** Requests that failed while others succeeded (a write error among them: the others are kept). */
  failures: (GeminiError | DestinationError)[];
  replies: GeneratedReply[];
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
  /** Keep draft images here (private storage) so the reply can be refined; else they are dropped. */
  draftsDir?: string;
  /**
   * What to record in each image (PNG: iTXt chunks written before the file gets its name, so it
   * never appears without them; JPEG/WebP: a sidecar after).
   */
  metadataFor?: (image: { mimeType: string; width?: number; height?: number }) => ImageMetadata;
  signal?: AbortSignal;
  /** Stream the replies and hear, per request, of what comes before the final image. */
  preview?: ReplyPreview;
  onImage?: (image: GeneratedImage) => void;
  onRetry?: (attempt: number, delayMs: number, error: GeminiError) => void;
}

/** What a streamed reply shows on its way: draft images (finished temporary files) and the words so far. */
export interface ReplyPreview {
  onDraft(requestIndex: number, draft: { path: string; mimeType: string }): void | Promise<void>;
  onText(requestIndex: number, text: string): void;
}

export const MAX_PARALLEL_REQUESTS = 8;
/** Per image: a 1.5 MB image is written in 3 calls instead of about 30, at most 1 MB held. */
const WRITE_BATCH_BYTES = 512 * 1024;

export async function generateImages(input: GenerateImagesInput): Promise<GenerationResult> {
  await sweepStaleTempFiles(input.tempDir);
  const result: GenerationResult = { images: [], texts: [], failures: [], replies: [] };
  const errors: (GeminiError | DestinationError)[] = [];
  await forEachBounded(input.count, Math.min(input.concurrency ?? MAX_PARALLEL_REQUESTS, MAX_PARALLEL_REQUESTS), async (index) => {
    try {
      const one = await generateOne(input, index);
      result.images.push(...one.images);
      result.texts.push(...one.texts);
      result.replies.push(one);
      one.images.forEach((image) => input.onImage?.(image));
    } catch (e) {
      errors.push(classify(e));
    }
  });
  result.images.sort((a, b) => a.requestIndex - b.requestIndex);
  result.replies.sort((a, b) => a.requestIndex - b.requestIndex);
  if (result.images.length === 0) {
    // Cancellation wins; then a folder we cannot write to; otherwise the first failure explains best.
    throw errors.find((e) => e instanceof GeminiError && e.kind === 'cancelled') ?? errors.find((e) => e instanceof DestinationError) ?? errors[0] ?? new GeminiError('noImage', 'No image was returned.');
  }
  // Images already committed are kept (they get records and links); the failures are reported.
  result.failures = errors;
  return result;
}

const WRITE_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EEXIST', 'EISDIR', 'EDQUOT']);

/** A failure as the user should hear it: the API's typed errors, or the folder that cannot be written. */
function classify(e: unknown): GeminiError | DestinationError {
  if (isGeminiError(e) || e instanceof DestinationError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code && WRITE_ERRORS.has(err.code)) return new DestinationError('notWritable', `${err.path ?? ''} (${err.code})`, { cause: e });
  return new GeminiError('badResponse', String(err?.message ?? e), {}, { cause: e });
}

async function generateOne(input: GenerateImagesInput, requestIndex: number): Promise<GeneratedReply> {
  // The hash is needed for the metadata's record and a refine's drafts: taken as the bytes stream.
  const { metadataFor } = input;
  const sink = new TempFileSink(input.tempDir, {
    digest: !!metadataFor || !!input.draftsDir,
    writeBatchBytes: WRITE_BATCH_BYTES,
    // A final PNG gets its chunks as its last bytes are written; other formats are handled below.
    textChunks: metadataFor && ((head) => pngMetadataChunks(metadataFor({ mimeType: MIME_TYPE.png, ...imageDimensions(head) }))),
  });
  const temps: TempImage[] = [];
  const committed = new Set<string>();
  const { preview } = input;
  let succeeded = false;
  // Drafts leave the destination folder (in the workspace) for private storage as soon as they are whole.
  const stored = new Map<TempImage, string>();
  const storeDraft = async (draft: TempImage): Promise<string> => {
    const dir = input.draftsDir as string;
    await fs.mkdir(dir, { recursive: true });
    const format = imageFormat(draft.mimeType, draft.head) ?? 'png';
    const path = await commitImage(draft.tempPath, join(dir, `draft-${requestIndex}-${stored.size}.${EXTENSION[format]}`));
    committed.add(draft.tempPath);
    stored.set(draft, path);
    return path;
  };
  try {
    const parsed = await input.client.generateContent(input.model, input.request, sink, {
      signal: input.signal,
      onRetry: input.onRetry,
      // A preview shows the drafts, so they are kept until shown (and removed below unless stored).
      parse: { thoughtImages: input.draftsDir || preview ? 'keep' : 'discard' },
      onEvent:
        preview &&
        (async (event, words) => {
          const { images, thoughtImages, texts } = event as ParsedReply<TempImage>;
          // Each event's images are ours as soon as it is parsed: a later failure must remove them too.
          temps.push(...[...images, ...thoughtImages].map((i) => i.handle));
          for (const draft of thoughtImages) {
            const path = input.draftsDir ? await storeDraft(draft.handle) : draft.handle.tempPath;
            await preview.onDraft(requestIndex, { path, mimeType: draft.mimeType });
            if (!input.draftsDir) await removeFile(path);
          }
          if (texts.length > 0) preview.onText(requestIndex, words);
        }),
    });
    temps.push(...[...parsed.images, ...parsed.thoughtImages].map((i) => i.handle));
    const reply = requireImages(parsed);
    const images: GeneratedImage[] = [];
    for (const parsed of reply.images) {
      const temp = parsed.handle;
      const format = imageFormat(temp.mimeType, temp.head);
      if (!format) {
        throw new GeminiError('badResponse', `The reply's image is of an unknown type (${temp.mimeType}).`, { imageType: temp.mimeType });
      }
      if (input.signal?.aborted) throw new GeminiError('cancelled', 'Cancelled.');
      const dimensions = imageDimensions(temp.head) ?? (await readDimensions(temp.tempPath));
      const meta = input.metadataFor?.({ mimeType: MIME_TYPE[format], ...dimensions });
      let sha256: string | undefined;
      let sidecar = false;
      if (meta) {
        sha256 = temp.sha256;
        // The usual PNG got its chunks before IEND, in place, with its last bytes (textChunks above).
        if (!temp.textWritten) {
          const bytes = await fs.readFile(temp.tempPath);
          if (metadataCarrierFor(bytes) === 'png') await fs.writeFile(temp.tempPath, setPngMetadata(bytes, meta));
          else sidecar = true;
        }
      }
      const finalPath = await commitImage(temp.tempPath, input.targetPath(EXTENSION[format]));
      committed.add(temp.tempPath);
      if (meta && sidecar) await writeImageMetadata(finalPath, meta);
      images.push({
        path: finalPath,
        mimeType: MIME_TYPE[format],
        byteLength: temp.byteLength,
        ...dimensions,
        thoughtSignature: parsed.thoughtSignature,
        sha256,
        requestIndex,
      });
    }
    const drafts: StoredImage[] = [];
    if (input.draftsDir) {
      for (const draft of reply.thoughtImages) {
        const path = stored.get(draft.handle) ?? (await storeDraft(draft.handle));
        drafts.push({ path, mimeType: draft.mimeType, sha256: draft.handle.sha256 ?? (await sha256File(path)) });
      }
    }
    succeeded = true;
    const { usage, modelVersion, responseId, modelStatus, droppedParameters } = reply;
    return { requestIndex, images, texts: reply.texts, modelTurn: reply.modelTurn, drafts, usage, modelVersion, responseId, modelStatus, droppedParameters };
  } finally {
    await sink.discardAll();
    // Temporary files not committed (a failure or cancel between parse and commit) are removed.
    await Promise.all(temps.filter((t) => !committed.has(t.tempPath)).map((t) => removeFile(t.tempPath)));
    if (!succeeded) await Promise.all([...stored.values()].map((p) => removeFile(p)));
  }
}

export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
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
