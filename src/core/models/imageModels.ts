// The image models we know, in order of preference for the automatic choice. Facts from Google's
// deprecations page, release notes and pricing page (and partners' launch notes where marked).
import type { AspectRatio } from '../../gemini/types';
import type { ImageModelSpec } from './types';

export const STANDARD_RATIOS: readonly AspectRatio[] = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
export const EXTENDED_RATIOS: readonly AspectRatio[] = [...STANDARD_RATIOS, '1:4', '4:1', '1:8', '8:1'];

/** The day the figures below were last compared with Google's pages. */
export const CATALOGUE_CHECKED = '2026-12-01';

const half = (standard: number) => ({ standard, batch: Math.round((standard / 2) * 10000) / 10000 });

// A preview and the GA model that replaced it take the same options at the same prices.
const FLASH_3_1 = {
  aspectRatios: EXTENDED_RATIOS,
  imageSizes: ['512', '1K', '2K', '4K'],
  maxReferences: 14,
  thinkingLevels: ['minimal', 'high'],
  prices: { '512': half(0.045), '1K': half(0.067), '2K': half(0.101), '4K': half(0.151) },
  pricesConfirmed: true,
} satisfies Partial<ImageModelSpec>;

const PRO_3 = {
  aspectRatios: STANDARD_RATIOS,
  imageSizes: ['1K', '2K', '4K'],
  maxReferences: 14,
  thinkingLevels: [],
  prices: { '1K': half(0.134), '2K': half(0.134), '4K': half(0.24) },
  pricesConfirmed: true,
} satisfies Partial<ImageModelSpec>;

export const IMAGE_MODELS: readonly ImageModelSpec[] = [
  {
    id: 'gemini-nano-banana-2.1',
    displayName: 'Nano Banana 2.1',
    aspectRatios: EXTENDED_RATIOS,
    imageSizes: ['1K', '2K', '4K'],
    maxReferences: 14,
    thinkingLevels: ['minimal', 'medium', 'high'],
    // $30 per million image tokens: 1120 / 1680 / 2520 tokens at 1K / 2K / 4K.
    prices: { '1K': half(0.0336), '2K': half(0.0504), '4K': half(0.0756) },
    pricesConfirmed: false,
    lifecycle: { stage: 'ga', released: '2026-10-06', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-3.1-flash-image',
    displayName: 'Nano Banana 2 (Gemini 3.1 Flash Image)',
    ...FLASH_3_1,
    lifecycle: { stage: 'deprecated', released: '2026-05-28', deprecated: '2026-10-06', replacement: 'gemini-nano-banana-2.1', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-3.1-flash-lite-image',
    displayName: 'Nano Banana 2 Lite (Gemini 3.1 Flash-Lite Image)',
    aspectRatios: EXTENDED_RATIOS,
    imageSizes: ['1K'],
    maxReferences: 14,
    thinkingLevels: ['minimal', 'high'],
    prices: { '1K': half(0.034) },
    pricesConfirmed: false,
    lifecycle: { stage: 'ga', released: '2026-06-30', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-3-pro-image',
    displayName: 'Nano Banana Pro (Gemini 3 Pro Image)',
    ...PRO_3,
    lifecycle: { stage: 'ga', released: '2026-05-28', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-2.5-flash-image',
    displayName: 'Nano Banana (Gemini 2.5 Flash Image)',
    aspectRatios: STANDARD_RATIOS,
    imageSizes: [],
    maxReferences: 3,
    thinkingLevels: [],
    prices: { '1K': half(0.039) },
    pricesConfirmed: true,
    lifecycle: { stage: 'ga', released: '2025-10-02', shutdown: '2026-10-02', replacement: 'gemini-3.1-flash-image', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-3-pro-image-preview',
    displayName: 'Nano Banana Pro (preview)',
    ...PRO_3,
    lifecycle: { stage: 'preview', released: '2025-11-20', shutdown: '2026-06-25', replacement: 'gemini-3-pro-image', checked: CATALOGUE_CHECKED },
  },
  {
    id: 'gemini-3.1-flash-image-preview',
    displayName: 'Nano Banana 2 (preview)',
    ...FLASH_3_1,
    lifecycle: { stage: 'preview', released: '2026-02-26', shutdown: '2026-06-25', replacement: 'gemini-3.1-flash-image', checked: CATALOGUE_CHECKED },
  },
];

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
    lifecycle: { stage: 'ga', checked: CATALOGUE_CHECKED },
  };
}
