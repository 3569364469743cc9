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
import { costFromUsage, estimateCost, reportedTier, type ServiceTier, type UsageCounts } from '../core/models';
import { IMAGE_SIZES } from '../shared/choices';
import type { ImageSize } from '../gemini/types';
import { withServiceTier } from '../gemini/request';
import { placeImage, type Placement } from './imageWriter';
import type { FillDefaults, PlannedImage } from './plan';

export type FillEvent =
  | { type: 'written'; image: PlannedImage; placement: Placement; backupPath?: string; cost?: ImageCost }
  | { type: 'failed'; image: PlannedImage; error: Error }
  | { type: 'job'; name: string; state: string; done: number; total: number }
  | { type: 'notice'; code: 'noBatchRoute' | 'attached' | 'submitted' | 'maybeCreated' | 'standardPrice'; message: string };

export interface FillContext {
  client: GeminiClient;
  root: string;
  defaults: FillDefaults;
  styles?: readonly ImageStyle[];
  /** Where replaced images are kept: `<trashRoot>/<run or job>/<relPath>`. */
  trashRoot: string;
  signal?: AbortSignal;
  onEvent: (event: FillEvent) => void;
  /** Flex: the serviceTier sent to the models that take it (half price, minutes, may be shed). */
  tier?: 'flex';
}

export interface FillSummary {
  written: PlannedImage[];
  failed: { image: PlannedImage; error: Error }[];
  /** Dollars of the written images, from their replies' usage where it could be read, else estimated. */
  cost: { fromUsage: number; usageImages: number; estimated: number; estimatedImages: number };
}

/** One image's dollars and where the figure comes from. */
export interface ImageCost {
  dollars: number;
  from: 'usage' | 'estimate';
}

export function summaryCollector(ctx: Pick<FillContext, 'onEvent'>): { summary: FillSummary; onEvent: (e: FillEvent) => void } {
  const summary: FillSummary = { written: [], failed: [], cost: { fromUsage: 0, usageImages: 0, estimated: 0, estimatedImages: 0 } };
  return {
    summary,
    onEvent: (e) => {
      if (e.type === 'written') summary.written.push(e.image);
      if (e.type === 'written' && e.cost) {
        const c = summary.cost;
        if (e.cost.from === 'usage') {
          c.fromUsage += e.cost.dollars;
          c.usageImages++;
        } else {
          c.estimated += e.cost.dollars;
          c.estimatedImages++;
        }
      }
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
      const { placement, backupPath, cost } = await makeOne(ctx, image, trash);
      ctx.onEvent({ type: 'written', image, placement, backupPath, cost });
    } catch (e) {
      ctx.onEvent({ type: 'failed', image, error: e instanceof Error ? e : new Error(String(e)) });
    }
  });
}

export function backupPathFor(trashDir: string, image: Pick<PlannedImage, 'relPath' | 'state'>): string | undefined {
  return image.state === 'stale' ? path.join(trashDir, ...image.relPath.split('/')) : undefined;
}

async function makeOne(ctx: FillContext, image: PlannedImage, trash: string): Promise<{ placement: Placement; backupPath?: string; cost?: ImageCost }> {
  // The temp file goes beside the target: the folder must not lead out of the workspace either.
  await assertReallyInside(ctx.root, image.path);
  const { model, request: plain, meta } = await docRequest(image, ctx.root, ctx.defaults, ctx.styles);
  const request = withServiceTier(plain, model, ctx.tier);
  const sink = new TempFileSink(path.dirname(image.path));
  let temps: string[] = [];
  try {
    const parsed = await ctx.client.generateContent(model, request, sink, { signal: ctx.signal, parse: { thoughtImages: 'discard' } });
    // Never silent: an endpoint that refused the tier (a 400 naming it) was sent the standard price.
    if (request.serviceTier && parsed.droppedParameters?.includes('serviceTier')) {
      ctx.onEvent({ type: 'notice', code: 'standardPrice', message: `${image.relPath}: ${model} does not take the ${request.serviceTier} tier here; it was made at the standard price.` });
    }
    temps = parsed.images.map((i) => i.handle.tempPath);
    const reply = requireImages(parsed);
    const backupPath = backupPathFor(trash, image);
    const placement = await placeImage({ temp: reply.images[0].handle, path: image.path, root: ctx.root, meta, backupPath });
    return { placement, backupPath, cost: imageCost(model, image.imageSize, parsed.usage, request.serviceTier) };
  } catch (e) {
    if (isGeminiError(e) || e instanceof DestinationError || !(e as NodeJS.ErrnoException).code) throw e;
    throw new GeminiError('badRequest', `${image.relPath}: ${(e as Error).message}`, { serverMessage: 'notWritable' }, { cause: e });
  } finally {
    await sink.discardAll();
    await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
  }
}

function imageCost(model: string, imageSize: string | undefined, usage: UsageCounts | undefined, tier: ServiceTier | undefined): ImageCost | undefined {
  const fromUsage = costFromUsage(model, usage);
  if (fromUsage !== undefined) return { dollars: fromUsage, from: 'usage' };
  const size = (IMAGE_SIZES as readonly string[]).includes(imageSize ?? '') ? (imageSize as ImageSize) : undefined;
  const estimate = estimateCost({ model, imageSize: size, images: 1, tier: reportedTier(usage?.serviceTier) ?? tier });
  return estimate === undefined ? undefined : { dollars: estimate, from: 'estimate' };
}
