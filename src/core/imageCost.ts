// What an image costs at Google's standard rate, in US dollars, for the confirmation a tool shows
// before it spends the user's money. Unknown ids (a relay's aliases, new models) have no estimate.
import type { ImageSize } from '../gemini/types';

type PriceTable = Partial<Record<ImageSize, number>> & { default?: number };

const PRICES: Record<string, PriceTable> = {
  'gemini-2.5-flash-image': { default: 0.039 },
  'gemini-3.1-flash-image': { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 },
  'gemini-3-pro-image': { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
  'gemini-3.1-flash-lite-image': { default: 0.034 },
  'gemini-nano-banana-2.1': { default: 0.034 },
};

/** Dollars for `count` images of `model` at `size`; undefined when the model's price is not known. */
export function estimateImageCost(model: string, size: ImageSize, count = 1): number | undefined {
  const table = PRICES[model.replace(/^models\//, '')];
  const each = table?.[size] ?? table?.default;
  return each === undefined ? undefined : Math.round(each * Math.max(1, count) * 1000) / 1000;
}

/** "$0.039" style, at least two decimals and no float noise. */
export function formatDollars(amount: number): string {
  const text = amount.toFixed(3).replace(/0$/, '');
  return `$${text}`;
}
