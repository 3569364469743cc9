// What Remix puts back into the prompt box from an image's metadata: the prompt as typed, and
// every option the metadata records (aspect ratio, size, style, model), mapped to the panel's values.
import type { ImageMetadata } from './pngMetadata';

export interface RemixStyle {
  id: string;
  /** Every name the style may have been recorded under (its localized and English names). */
  names: readonly string[];
}

export interface Remix {
  prompt: string;
  choices: { aspectRatio?: string; imageSize?: string; styleId?: string };
  /** The model the image was made with. */
  model?: string;
  /** A recorded style no longer available (renamed or removed from the settings). */
  missingStyle?: string;
}

/** A recorded size: a class as sent (`2K`), or the pixels of the result (`2048x1152`) mapped back to one. */
export function sizeClassOf(recorded: string | undefined, sizes: readonly string[]): string | undefined {
  if (!recorded) return undefined;
  if (sizes.includes(recorded)) return recorded;
  const pixels = /^(\d+)x(\d+)$/.exec(recorded);
  if (!pixels) return undefined;
  const longSide = Math.max(Number(pixels[1]), Number(pixels[2]));
  const size = longSide > 3000 ? '4K' : longSide > 1500 ? '2K' : longSide > 700 ? '1K' : '512';
  return sizes.includes(size) ? size : undefined;
}

export function remixFromMetadata(meta: ImageMetadata, options: { aspectRatios: readonly string[]; imageSizes: readonly string[]; styles: readonly RemixStyle[]; noStyleId: string }): Remix {
  const choices: Remix['choices'] = {};
  if (meta.aspectRatio && options.aspectRatios.includes(meta.aspectRatio)) choices.aspectRatio = meta.aspectRatio;
  const size = sizeClassOf(meta.imageSize, options.imageSizes);
  if (size) choices.imageSize = size;
  let missingStyle: string | undefined;
  if (meta.style) {
    const style = options.styles.find((s) => s.names.includes(meta.style!));
    if (style) choices.styleId = style.id;
    else missingStyle = meta.style;
  } else {
    choices.styleId = options.noStyleId;
  }
  return { prompt: meta.userPrompt ?? meta.prompt, choices, ...(meta.model ? { model: meta.model } : {}), ...(missingStyle ? { missingStyle } : {}) };
}
