// What a user chooses for a generation besides the prompt, in every front end (the prompt box's
// options, the studio's pickers, the remembered last choices) and in the pipeline.
import type { AspectRatio, ImageSize } from '../gemini/types';

export interface GenerationChoices {
  aspectRatio: AspectRatio;
  imageSize: ImageSize;
  count: number;
  /** A style's id, or NO_STYLE_ID. */
  styleId: string;
}

/** Every aspect ratio and size some model takes; each model's own are in the catalogue (core/models). */
export const ASPECT_RATIOS: readonly AspectRatio[] = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '1:4', '4:1', '1:8', '8:1'];
export const IMAGE_SIZES: readonly ImageSize[] = ['512', '1K', '2K', '4K'];

export function isAspectRatio(value: unknown): value is AspectRatio {
  return (ASPECT_RATIOS as readonly unknown[]).includes(value);
}

export function isImageSize(value: unknown): value is ImageSize {
  return (IMAGE_SIZES as readonly unknown[]).includes(value);
}

/**
 * The choices that shape the images themselves (the style has already become prompt text). An
 * edit may leave the aspect ratio out: the request then omits it and the model keeps the input's shape.
 */
export type ImageOptions = Omit<GenerationChoices, 'styleId' | 'aspectRatio'> & { aspectRatio?: AspectRatio };

/** What a model takes, as far as the choices go (a catalogue entry, the panel's options). */
export interface ChoiceLimits {
  aspectRatios: readonly AspectRatio[];
  imageSizes: readonly ImageSize[];
}

/**
 * The choices a model takes: a remembered ratio or size it lacks falls back to 1:1 and 1K (or its
 * first), so what is shown is what is sent. A left-out ratio (an edit keeping its source's shape)
 * stays left out; a model without sizes keeps the size, which is then not sent.
 */
export function fitChoices<T extends { aspectRatio?: AspectRatio; imageSize: ImageSize }>(choices: T, limits: ChoiceLimits): T {
  const fit = <V>(value: V, allowed: readonly V[], fallback: V): V => (allowed.length === 0 || allowed.includes(value) ? value : allowed.includes(fallback) ? fallback : allowed[0]);
  return {
    ...choices,
    aspectRatio: choices.aspectRatio === undefined ? undefined : fit(choices.aspectRatio, limits.aspectRatios, '1:1'),
    imageSize: fit(choices.imageSize, limits.imageSizes, '1K'),
  };
}
