// What a docs image should be: its prompt (the alt text, or a longer one in a comment directly
// above the image) and its options. The comment is invisible in every renderer:
//
//   <!-- gemini-image
//   A watercolor lighthouse at dawn, fog over the water, a keeper's cottage with a red roof.
//   aspect-ratio: 16:9
//   size: 2K
//   model: gemini-3-pro-image
//   style: watercolor
//   references: refs/keeper.png, refs/coast.png
//   -->
//   ![a watercolor lighthouse at dawn](images/lighthouse.png)
//
// Lines `key: value` with a known key are options; every other line is the prompt.
import { BUILTIN_STYLES, type ImageStyle } from '../core/styles';
import type { ImageMetadata } from '../core/imageMetadata';
import type { AspectRatio, ImageSize } from '../gemini/types';
import type { ImageLink } from './imageLinks';

export const DIRECTIVE = 'gemini-image';

export const ALL_ASPECT_RATIOS: readonly AspectRatio[] = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '1:4', '4:1', '1:8', '8:1'];
const SIZES: readonly ImageSize[] = ['512', '1K', '2K', '4K'];

export interface ImageOptions {
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
  model?: string;
  /** The style's id (built-in or the user's). */
  style?: string;
  /** Paths as written, relative to the document. */
  references?: string[];
}

export interface ImageSpec {
  prompt: string;
  options: ImageOptions;
  /** What could not be read in the comment, in words, for a diagnostic or the CLI. */
  problems: string[];
}

const KEYS: Record<string, keyof ImageOptions | 'prompt'> = {
  prompt: 'prompt',
  'aspect-ratio': 'aspectRatio',
  aspect: 'aspectRatio',
  ratio: 'aspectRatio',
  size: 'imageSize',
  'image-size': 'imageSize',
  model: 'model',
  style: 'style',
  references: 'references',
  reference: 'references',
};

/** The alt text as a prompt: escapes undone, whitespace collapsed. */
export function altPrompt(rawAlt: string): string {
  return rawAlt
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The comment's text when it is ours (`gemini-image` first), without that word; else undefined. */
function directiveBody(comment: string): string | undefined {
  const m = /^\s*gemini-image(?=\s|$)/.exec(comment);
  return m ? comment.slice(m[0].length) : undefined;
}

export function imageSpecOf(link: Pick<ImageLink, 'rawAlt' | 'comment'>, styles: readonly ImageStyle[] = BUILTIN_STYLES): ImageSpec {
  const spec: ImageSpec = { prompt: altPrompt(link.rawAlt), options: {}, problems: [] };
  const body = link.comment ? directiveBody(link.comment.text) : undefined;
  if (body === undefined) return spec;
  const words: string[] = [];
  for (const line of body.split('\n')) {
    const m = /^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    const key = m ? KEYS[m[1].toLowerCase()] : undefined;
    if (!m || !key) {
      if (line.trim()) words.push(line.trim());
      continue;
    }
    const value = m[2];
    if (key === 'prompt') words.push(value);
    else setOption(spec, key, value, styles);
  }
  const longer = words.join(' ').replace(/\s+/g, ' ').trim();
  if (longer) spec.prompt = longer;
  return spec;
}

function setOption(spec: ImageSpec, key: keyof ImageOptions, value: string, styles: readonly ImageStyle[]): void {
  const o = spec.options;
  switch (key) {
    case 'aspectRatio': {
      const ratio = value.replace(/\s+/g, '') as AspectRatio;
      if (ALL_ASPECT_RATIOS.includes(ratio)) o.aspectRatio = ratio;
      else spec.problems.push(`Unknown aspect ratio "${value}" (one of ${ALL_ASPECT_RATIOS.join(', ')}).`);
      return;
    }
    case 'imageSize': {
      const size = value.toUpperCase() as ImageSize;
      if (SIZES.includes(size)) o.imageSize = size;
      else spec.problems.push(`Unknown size "${value}" (one of ${SIZES.join(', ')}).`);
      return;
    }
    case 'model':
      if (value) o.model = value.replace(/^models\//, '');
      return;
    case 'style': {
      const want = value.toLowerCase();
      const style = styles.find((s) => s.id.toLowerCase() === want || s.name.toLowerCase() === want);
      if (style) o.style = style.id;
      else spec.problems.push(`Unknown style "${value}".`);
      return;
    }
    case 'references':
      o.references = value
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      return;
  }
}

/** Two specs ask for the same image. */
export function sameSpec(a: ImageSpec, b: ImageSpec): boolean {
  return a.prompt === b.prompt && JSON.stringify(a.options) === JSON.stringify(b.options);
}

/**
 * True when an image we made (its metadata) no longer matches what the document asks: the prompt,
 * or an option the document names. Options the document leaves to the defaults never count, and
 * references are not recorded in images, so they do not either.
 */
export function isStale(meta: ImageMetadata, spec: ImageSpec, styleName?: string): boolean {
  if ((meta.userPrompt ?? meta.prompt) !== spec.prompt) return true;
  const o = spec.options;
  if (o.aspectRatio && meta.aspectRatio !== o.aspectRatio) return true;
  // An image from before sizes and pixels had their own fields recorded only its pixels (width
  // set, imageSize not): the size it was asked at is unknown, and a guess must not cost a regeneration.
  if (o.imageSize && meta.imageSize !== o.imageSize && !(meta.imageSize === undefined && meta.width)) return true;
  if (o.model && meta.model !== o.model) return true;
  if (o.style && meta.style !== (styleName ?? o.style)) return true;
  return false;
}
