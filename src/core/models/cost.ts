// Estimated cost of images from the catalogue's per-image prices, or the user's own (a relay
// bills its own rates). Figures are estimates: Google bills tokens, the per-image price is its
// own summary of them.
import type { ImageSize } from '../../gemini/types';
import { imageModelSpec } from './catalogue';

/** The user's prices per image, by model id: one figure for every size, or one per size. */
export type PriceOverrides = Record<string, number | Partial<Record<ImageSize, number>>>;

export interface CostQuery {
  model: string;
  /** The size sent; undefined when none was sent (the model's 1K). */
  imageSize?: ImageSize;
  images: number;
  batch?: boolean;
  overrides?: PriceOverrides;
}

/** Dollars for `images` images, or undefined when nothing is known about this model's price. */
export function estimateCost(q: CostQuery): number | undefined {
  const per = pricePerImage(q);
  return per === undefined ? undefined : Math.round(per * q.images * 10000) / 10000;
}

/** The user's own price is the standard one; a batch costs half of it, as at Google. */
export function pricePerImage(q: Omit<CostQuery, 'images'>): number | undefined {
  const size: ImageSize = q.imageSize ?? '1K';
  const own = q.overrides?.[q.model];
  const mine = typeof own === 'number' ? own : own && typeof own === 'object' ? own[size] : undefined;
  if (typeof mine === 'number' && Number.isFinite(mine) && mine >= 0) return q.batch ? mine / 2 : mine;
  const prices = imageModelSpec(q.model).prices;
  const price = prices[size] ?? (size === '1K' ? undefined : prices['1K']);
  if (!price) return undefined;
  return q.batch ? price.batch : price.standard;
}

export { formatDollars } from '../../shared/money';
