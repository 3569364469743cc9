// Tokens and estimated cost recorded with each image of a reply, and the estimate shown before a
// costly generation.
import type { Settings } from '../config';
import { estimateCost, formatDollars, imageModelSpec } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { GeneratedReply } from '../generation/generateImages';

export interface ImageUsage {
  /** The reply's total tokens, shared evenly by its images. */
  tokens?: number;
  /** Estimated dollars for this image; undefined when the model's price is unknown. */
  cost?: number;
}

/** The size actually sent: none when the model takes none or the endpoint refused it. */
export function sentImageSize(model: string, imageSize: ImageSize, reply?: Pick<GeneratedReply, 'droppedParameters'>): ImageSize | undefined {
  if (!imageModelSpec(model).imageSizes.includes(imageSize)) return undefined;
  return reply?.droppedParameters?.includes('imageSize') ? undefined : imageSize;
}

export function imageUsage(reply: GeneratedReply, settings: Settings, model: string, imageSize: ImageSize): ImageUsage {
  const images = Math.max(1, reply.images.length);
  const total = reply.usage?.totalTokenCount;
  return {
    tokens: total === undefined ? undefined : Math.round(total / images),
    cost: estimateCost({ model, imageSize: sentImageSize(model, imageSize, reply), images: 1, overrides: settings.priceOverrides }),
  };
}

/** "about $0.96 for 4 images", when it is worth saying before sending (the Pro model at 4K). */
export function costWarning(settings: Settings, model: string, imageSize: ImageSize, count: number): string | undefined {
  if (imageSize !== '4K' || !/pro/i.test(model)) return undefined;
  const cost = estimateCost({ model, imageSize: sentImageSize(model, imageSize), images: count, overrides: settings.priceOverrides });
  return cost === undefined ? undefined : formatDollars(cost);
}
