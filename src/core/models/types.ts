// What the catalogue records about a model: what it accepts, where it is in its life, and where
// each fact came from. Dates are hints with their day; what the endpoint says wins (lifecycle.ts).
import type { AspectRatio, ImageSize } from '../../gemini/types';

export type ThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

/** The request's top-level serviceTier; Batch is the Batch API, not a tier. */
export type ServiceTier = 'standard' | 'flex' | 'priority';

export interface CatalogueSource {
  url: string;
  checked: string;
  facts: string;
}

export interface ModelLifecycle {
  stage: 'ga' | 'preview' | 'deprecated';
  /** ISO date (YYYY-MM-DD) it came out. */
  released?: string;
  /** ISO date Google marked it deprecated (stage 'deprecated' from then on). */
  deprecated?: string;
  /** ISO date Google announced it stops answering; absent when Google has announced none. */
  shutdown?: string;
  /** The day Google's page said so, when it differs from the catalogue's check. */
  announced?: string;
  /** The id Google recommends instead, once it retires or is deprecated. */
  replacement?: string;
  /** When these facts were last checked against Google's pages. */
  checked: string;
}

/** Dollars per image, standard and batch, by image size ('1K' also stands for "no size sent"). */
export type ImagePrices = Partial<Record<ImageSize, { standard: number; batch: number }>>;

/** Dollars per million tokens. */
export interface TokenRates {
  imageOutput: number;
  textOutput?: number;
  input?: number;
}

export interface ImageModelSpec {
  id: string;
  displayName: string;
  aspectRatios: readonly AspectRatio[];
  /** imageSize values to offer and send; empty: the model takes none (never send it). */
  imageSizes: readonly ImageSize[];
  maxReferences: number;
  /** Levels for generationConfig.thinkingConfig.thinkingLevel; empty: not configurable, never sent. */
  thinkingLevels: readonly ThinkingLevel[];
  defaultThinkingLevel?: ThinkingLevel;
  prices: ImagePrices;
  /** Some figures are Google's, some are from its partners' announcements. */
  pricesConfirmed: boolean;
  tokenRates?: TokenRates;
  /** The serviceTier values it takes ('standard' is never sent). */
  serviceTiers: readonly ServiceTier[];
  lifecycle: ModelLifecycle;
  sources: readonly CatalogueSource[];
}

export interface TextModelSpec {
  id: string;
  displayName: string;
  lifecycle: ModelLifecycle;
  sources: readonly CatalogueSource[];
}
