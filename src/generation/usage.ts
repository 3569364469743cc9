// Tokens and estimated cost recorded with each image of a reply, and the estimate a front end
// shows before a costly generation.
import { estimateCost, imageModelSpec, type PriceOverrides } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { GeneratedReply } from './generateImages';

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

export function imageUsage(reply: GeneratedReply, model: string, imageSize: ImageSize, overrides?: PriceOverrides): ImageUsage {
  const images = Math.max(1, reply.images.length);
  const total = reply.usage?.totalTokenCount;
  const usage: ImageUsage = {};
  if (total !== undefined) usage.tokens = Math.round(total / images);
  const cost = estimateCost({ model, imageSize: sentImageSize(model, imageSize, reply), images: 1, overrides });
  if (cost !== undefined) usage.cost = cost;
  return usage;
}
