// What the catalogue records about a model: what it accepts, and where it is in its life.
import type { AspectRatio, ImageSize } from '../../gemini/types';

export type ThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

export interface ModelLifecycle {
  stage: 'ga' | 'preview' | 'deprecated';
  /** ISO date (YYYY-MM-DD) it came out. */
  released?: string;
  /** ISO date Google marked it deprecated (stage 'deprecated' from then on). */
  deprecated?: string;
  /** ISO date it stops answering; absent when Google has announced none. */
  shutdown?: string;
  /** The id Google recommends instead, once it retires or is deprecated. */
  replacement?: string;
  /** When these facts were last checked against Google's pages. */
  checked: string;
}

/** Dollars per image, standard and batch, by image size ('1K' also stands for "no size sent"). */
export type ImagePrices = Partial<Record<ImageSize, { standard: number; batch: number }>>;

export interface ImageModelSpec {
  id: string;
  displayName: string;
  aspectRatios: readonly AspectRatio[];
  /** imageSize values to offer and send; empty: the model takes none (never send it). */
  imageSizes: readonly ImageSize[];
  maxReferences: number;
  /** Levels for generationConfig.thinkingConfig.thinkingLevel; empty: not configurable, never sent. */
  thinkingLevels: readonly ThinkingLevel[];
  prices: ImagePrices;
  /** Some figures are Google's, some are from its partners' announcements. */
  pricesConfirmed: boolean;
  lifecycle: ModelLifecycle;
}

export interface TextModelSpec {
  id: string;
  displayName: string;
  lifecycle: ModelLifecycle;
}
