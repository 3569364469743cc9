// The image and text models we know, read from catalogue.json (validated by its schema in a unit
// test), in order of preference for the automatic choice.
import type { AspectRatio, ImageSize } from '../../gemini/types';
import data from './catalogue.json';
import type { CatalogueSource, ImageModelSpec, ImagePrices, ModelLifecycle, ServiceTier, TextModelSpec, ThinkingLevel, TokenRates } from './types';

export const STANDARD_RATIOS: readonly AspectRatio[] = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
export const EXTENDED_RATIOS: readonly AspectRatio[] = [...STANDARD_RATIOS, '1:4', '4:1', '1:8', '8:1'];

/** The day the catalogue was last compared with Google's and relays' pages. */
export const CATALOGUE_CHECKED: string = data.checked;

/** Multipliers of the standard price, by tier (Batch: the Batch API). */
export const TIER_PRICE: Readonly<Record<ServiceTier | 'batch', number>> = {
  standard: data.serviceTierPrices.standard,
  flex: data.serviceTierPrices.flex,
  batch: data.serviceTierPrices.batch,
  priority: data.serviceTierPrices.priority,
};

const round4 = (n: number) => Math.round(n * 10000) / 10000;

interface RawLifecycle {
  stage: string;
  released?: string;
  deprecated?: string;
  shutdown?: string;
  announced?: string;
  replacement?: string;
}

function lifecycle(raw: RawLifecycle): ModelLifecycle {
  return { ...raw, stage: raw.stage as ModelLifecycle['stage'], checked: CATALOGUE_CHECKED };
}

function prices(raw: Record<string, number | undefined>): ImagePrices {
  const out: ImagePrices = {};
  for (const [size, standard] of Object.entries(raw)) if (typeof standard === 'number') out[size as ImageSize] = { standard, batch: round4(standard * TIER_PRICE.batch) };
  return out;
}

export const IMAGE_MODELS: readonly ImageModelSpec[] = data.imageModels.map((m) => ({
  id: m.id,
  displayName: m.displayName,
  aspectRatios: m.aspectRatios === 'extended' ? EXTENDED_RATIOS : STANDARD_RATIOS,
  imageSizes: m.imageSizes as ImageSize[],
  maxReferences: m.maxReferences,
  thinkingLevels: m.thinkingLevels as ThinkingLevel[],
  ...('defaultThinkingLevel' in m ? { defaultThinkingLevel: m.defaultThinkingLevel as ThinkingLevel } : {}),
  prices: prices(m.prices as Record<string, number | undefined>),
  pricesConfirmed: m.pricesConfirmed,
  ...('tokenRates' in m ? { tokenRates: m.tokenRates as TokenRates } : {}),
  serviceTiers: m.serviceTiers as ServiceTier[],
  lifecycle: lifecycle(m.lifecycle),
  sources: m.sources as CatalogueSource[],
}));

export const TEXT_MODELS: readonly TextModelSpec[] = data.textModels.map((m) => ({
  id: m.id,
  displayName: m.displayName,
  lifecycle: lifecycle(m.lifecycle),
  sources: m.sources as CatalogueSource[],
}));

/** What a model we do not know gets: everything offered, the API (or a 400 and one retry) decides. */
export function permissiveImageSpec(id: string): ImageModelSpec {
  return {
    id,
    displayName: id,
    aspectRatios: EXTENDED_RATIOS,
    imageSizes: ['1K', '2K', '4K'],
    maxReferences: 14,
    thinkingLevels: ['minimal', 'low', 'medium', 'high'],
    prices: {},
    pricesConfirmed: false,
    // Only the user's choice sends a tier to an unknown model; a 400 naming it drops it once.
    serviceTiers: ['standard', 'flex', 'priority'],
    lifecycle: { stage: 'ga', checked: CATALOGUE_CHECKED },
    sources: [],
  };
}
