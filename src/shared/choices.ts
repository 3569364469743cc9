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

export const ASPECT_RATIOS: readonly AspectRatio[] = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
export const IMAGE_SIZES: readonly ImageSize[] = ['1K', '2K', '4K'];

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
