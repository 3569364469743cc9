// Tokens and cost recorded with each image of a reply: from the reply's usageMetadata when the
// catalogue knows the model's token rates, else the per-image estimate; and the estimate a front
// end shows before a costly generation.
import { costFromUsage, estimateCost, imageModelSpec, reportedTier, type PriceOverrides, type ServiceTier } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { GeneratedReply } from './generateImages';

export interface ImageUsage {
  /** The reply's total tokens, shared evenly by its images. */
  tokens?: number;
  /** Dollars for this image; undefined when the model's price is unknown. */
  cost?: number;
  /** Where `cost` comes from: the reply's tokens, or the per-image table (or the user's prices). */
  costFrom?: 'usage' | 'estimate';
  /** The tier the reply says served it. */
  serviceTier?: ServiceTier;
}

/** The size actually sent: none when the model takes none or the endpoint refused it. */
export function sentImageSize(model: string, imageSize: ImageSize, reply?: Pick<GeneratedReply, 'droppedParameters'>): ImageSize | undefined {
  if (!imageModelSpec(model).imageSizes.includes(imageSize)) return undefined;
  return reply?.droppedParameters?.includes('imageSize') ? undefined : imageSize;
}

export function imageUsage(reply: GeneratedReply, model: string, imageSize: ImageSize, overrides?: PriceOverrides, options: { batch?: boolean; tier?: ServiceTier } = {}): ImageUsage {
  const images = Math.max(1, reply.images.length);
  const total = reply.usage?.totalTokenCount;
  const usage: ImageUsage = {};
  if (total !== undefined) usage.tokens = Math.round(total / images);
  const tier = reportedTier(reply.usage?.serviceTier);
  if (tier) usage.serviceTier = tier;
  // A user's own prices (a relay's rates) beat Google's token rates.
  const fromUsage = overrides?.[model] === undefined ? costFromUsage(model, reply.usage, options) : undefined;
  if (fromUsage !== undefined) {
    usage.cost = Math.round((fromUsage / images) * 1_000_000) / 1_000_000;
    usage.costFrom = 'usage';
    return usage;
  }
  const cost = estimateCost({ model, imageSize: sentImageSize(model, imageSize, reply), images: 1, overrides, batch: options.batch, tier: tier ?? options.tier });
  if (cost !== undefined) {
    usage.cost = cost;
    usage.costFrom = 'estimate';
  }
  return usage;
}
