// The per-fill spending limit. Three places may set it: the command line's --max-cost (or an
// agent's max_cost), the repository's house-style file, and the editor's user setting
// geminiImage.maxCostPerRun. The person running the fill overrides the repository's figure; the
// user setting is a ceiling nothing else raises (a workspace cannot set it at all).
import { formatDollars } from '../shared/money';
import type { PlannedImage, PriceOf } from './plan';

export interface MaxCost {
  /** Dollars; undefined: no limit. */
  limit?: number;
  source?: 'flag' | 'style' | 'setting';
}

function usable(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

export function resolveMaxCost(flag: number | undefined, styleFileMaxCost: number | undefined, setting: number | undefined): MaxCost {
  const chosen: MaxCost = usable(flag) ? { limit: flag, source: 'flag' } : usable(styleFileMaxCost) ? { limit: styleFileMaxCost, source: 'style' } : {};
  if (usable(setting) && (chosen.limit === undefined || setting < chosen.limit)) return { limit: setting, source: 'setting' };
  return chosen;
}

export interface OverLimit {
  /** Undefined when a price is unknown (then nothing can be promised under a limit). */
  estimate?: number;
  limit: number;
  /** How many images, in the plan's order, stay within the limit. */
  fit: number;
  total: number;
}

/** Undefined when the images fit the limit (or there is none); else the figures to tell the user. */
export function overLimit(images: readonly PlannedImage[], price: PriceOf, tier: Parameters<PriceOf>[2], limit: number | undefined): OverLimit | undefined {
  if (limit === undefined) return undefined;
  let sum = 0;
  let fit = 0;
  let known = true;
  for (const image of images) {
    const each = price(image.model, image.imageSize, tier);
    if (each === undefined) {
      known = false;
      break;
    }
    sum += each;
    if (sum <= limit + 1e-9) fit++;
  }
  const estimate = known ? Math.round(sum * 10000) / 10000 : undefined;
  if (known && sum <= limit + 1e-9) return undefined;
  return { estimate, limit, fit, total: images.length };
}

/** One sentence with the figures: the estimate, the limit, and how many would fit. */
export function overLimitText(o: OverLimit, where = ''): string {
  const estimate = o.estimate === undefined ? 'The cost of these images is unknown (a model without a published price)' : `The estimate, ${formatDollars(o.estimate)}, is over`;
  const limit = `${o.estimate === undefined ? ', so it cannot be kept under' : ''} the limit of ${formatDollars(o.limit)}${where}`;
  const fit = o.estimate === undefined ? '' : ` ${o.fit} of the ${o.total} image(s) would fit.`;
  return `${estimate}${limit}: nothing was generated.${fit}`;
}
