// Now mode: one generateContent per image, a bounded number at once, each image written at its
// link's path the moment it is complete.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DestinationError } from '../core/destination';
import { assertReallyInside } from '../workspace/realPath';
import type { ImageStyle } from '../core/styles';
import type { GeminiClient } from '../gemini/client';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { requireImages } from '../gemini/responseParser';
import { forEachBounded, MAX_PARALLEL_REQUESTS } from '../generation/generateImages';
import { TempFileSink } from '../workspace/imageStore';
import { docRequest } from './docRequest';
import { placeImage, type Placement } from './imageWriter';
import type { FillDefaults, PlannedImage } from './plan';

export type FillEvent =
  | { type: 'written'; image: PlannedImage; placement: Placement; backupPath?: string }
  | { type: 'failed'; image: PlannedImage; error: Error }
  | { type: 'job'; name: string; state: string; done: number; total: number }
  | { type: 'notice'; code: 'noBatchRoute' | 'attached' | 'submitted' | 'maybeCreated'; message: string };

export interface FillContext {
  client: GeminiClient;
  root: string;
  defaults: FillDefaults;
  styles?: readonly ImageStyle[];
  /** Where replaced images are kept: `<trashRoot>/<run or job>/<relPath>`. */
  trashRoot: string;
  signal?: AbortSignal;
  onEvent: (event: FillEvent) => void;
}

export interface FillSummary {
  written: PlannedImage[];
  failed: { image: PlannedImage; error: Error }[];
}

export function summaryCollector(ctx: Pick<FillContext, 'onEvent'>): { summary: FillSummary; onEvent: (e: FillEvent) => void } {
  const summary: FillSummary = { written: [], failed: [] };
  return {
    summary,
    onEvent: (e) => {
      if (e.type === 'written') summary.written.push(e.image);
      if (e.type === 'failed') summary.failed.push({ image: e.image, error: e.error });
      ctx.onEvent(e);
    },
  };
}

export async function fillNow(ctx: FillContext, images: PlannedImage[], concurrency = MAX_PARALLEL_REQUESTS): Promise<void> {
  const trash = path.join(ctx.trashRoot, `${new Date().toISOString().replace(/[:.]/g, '-')}-now`);
  await forEachBounded(images.length, Math.max(1, Math.min(concurrency, MAX_PARALLEL_REQUESTS)), async (index) => {
    const image = images[index];
    if (ctx.signal?.aborted) return ctx.onEvent({ type: 'failed', image, error: new GeminiError('cancelled', 'Cancelled.') });
    try {
      const { placement, backupPath } = await makeOne(ctx, image, trash);
      ctx.onEvent({ type: 'written', image, placement, backupPath });
    } catch (e) {
      ctx.onEvent({ type: 'failed', image, error: e instanceof Error ? e : new Error(String(e)) });
    }
  });
}

export function backupPathFor(trashDir: string, image: Pick<PlannedImage, 'relPath' | 'state'>): string | undefined {
  return image.state === 'stale' ? path.join(trashDir, ...image.relPath.split('/')) : undefined;
}

async function makeOne(ctx: FillContext, image: PlannedImage, trash: string): Promise<{ placement: Placement; backupPath?: string }> {
  // The temp file goes beside the target: the folder must not lead out of the workspace either.
  await assertReallyInside(ctx.root, image.path);
  const { model, request, meta } = await docRequest(image, ctx.root, ctx.defaults, ctx.styles);
  const sink = new TempFileSink(path.dirname(image.path));
  let temps: string[] = [];
  try {
    const parsed = await ctx.client.generateContent(model, request, sink, { signal: ctx.signal, parse: { thoughtImages: 'discard' } });
    temps = parsed.images.map((i) => i.handle.tempPath);
    const reply = requireImages(parsed);
    const backupPath = backupPathFor(trash, image);
    const placement = await placeImage({ temp: reply.images[0].handle, path: image.path, root: ctx.root, meta, backupPath });
    return { placement, backupPath };
  } catch (e) {
    if (isGeminiError(e) || e instanceof DestinationError || !(e as NodeJS.ErrnoException).code) throw e;
    throw new GeminiError('badRequest', `${image.relPath}: ${(e as Error).message}`, { serverMessage: 'notWritable' }, { cause: e });
  } finally {
    await sink.discardAll();
    await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
  }
}
