// Estimated cost of images from the catalogue's per-image prices, or the user's own (a relay
// bills its own rates). Figures are estimates: Google bills tokens, the per-image price is its
// own summary of them.
import type { ImageSize } from '../../gemini/types';
import { imageModelSpec, knownImageModel } from './catalogue';
import { TIER_PRICE } from './imageModels';
import type { ServiceTier } from './types';

/** The user's prices per image, by model id: one figure for every size, or one per size. */
export type PriceOverrides = Record<string, number | Partial<Record<ImageSize, number>>>;

export interface CostQuery {
  model: string;
  /** The size sent; undefined when none was sent (the model's 1K). */
  imageSize?: ImageSize;
  images: number;
  batch?: boolean;
  /** Flex and Priority scale the standard price (Flex: half, as Batch). */
  tier?: ServiceTier;
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
  const scale = q.batch ? TIER_PRICE.batch : TIER_PRICE[q.tier ?? 'standard'];
  if (typeof mine === 'number' && Number.isFinite(mine) && mine >= 0) return mine * scale;
  const prices = imageModelSpec(q.model).prices;
  const price = prices[size] ?? (size === '1K' ? undefined : prices['1K']);
  if (!price) return undefined;
  return q.batch ? price.batch : Math.round(price.standard * scale * 10000) / 10000;
}

export { formatDollars } from '../../shared/money';

/** The tokens of a reply that decide its price (usageMetadata, as the API sends it). */
export interface UsageCounts {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  candidatesTokensDetails?: readonly { modality?: string; tokenCount?: number }[];
  serviceTier?: string;
}

/** The tier a reply reports: "flex", "FLEX" and "SERVICE_TIER_FLEX" all name Flex. */
export function reportedTier(value: string | undefined): ServiceTier | undefined {
  const v = value?.toLowerCase().replace(/^service_tier_/, '');
  return v === 'flex' || v === 'priority' || v === 'standard' ? v : undefined;
}

/**
 * Dollars for one reply from its usageMetadata: image tokens at the model's image-token rate,
 * text and thinking tokens at its text rate, the prompt at its input rate, all at the tier the reply
 * reports (Batch at the batch price). Undefined when a needed rate or count is unknown: then only
 * the per-image estimate can be given.
 */
export function costFromUsage(model: string, usage: UsageCounts | undefined, options: { batch?: boolean } = {}): number | undefined {
  const rates = knownImageModel(model)?.tokenRates;
  const details = usage?.candidatesTokensDetails;
  if (!rates || !usage || !Array.isArray(details)) return undefined;
  const imageTokens = details.filter((d) => d?.modality === 'IMAGE').reduce((sum, d) => sum + (Number(d.tokenCount) || 0), 0);
  if (imageTokens <= 0) return undefined;
  const textTokens = Math.max(0, (usage.candidatesTokenCount ?? imageTokens) - imageTokens) + (usage.thoughtsTokenCount ?? 0);
  const promptTokens = usage.promptTokenCount ?? 0;
  if ((textTokens > 0 && rates.textOutput === undefined) || (promptTokens > 0 && rates.input === undefined)) return undefined;
  const dollars = (imageTokens * rates.imageOutput + textTokens * (rates.textOutput ?? 0) + promptTokens * (rates.input ?? 0)) / 1_000_000;
  const tier = options.batch ? TIER_PRICE.batch : TIER_PRICE[reportedTier(usage.serviceTier) ?? 'standard'];
  return Math.round(dollars * tier * 1_000_000) / 1_000_000;
}
