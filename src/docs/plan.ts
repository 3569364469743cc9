// The plan shown before anything is generated: what is missing, what is stale, with which model
// and size, and what it costs now and at the batch price.
import type { ImageStyle } from '../core/styles';
import { BUILTIN_STYLES } from '../core/styles';
import type { ImageMetadata } from '../core/imageMetadata';
import { imageState, type DocImage } from './targets';

/** Dollars per image; undefined when the price is not known. */
export type PriceOf = (model: string, imageSize: string | undefined, tier: 'standard' | 'flex' | 'batch') => number | undefined;

export interface FillDefaults {
  model: string;
  imageSize?: string;
  aspectRatio?: string;
}

export interface PlannedImage extends DocImage {
  state: 'missing' | 'stale';
  /** The model and size this image is made with (its options, else the defaults). */
  model: string;
  imageSize?: string;
  /** The stale image's metadata. */
  previous?: ImageMetadata;
}

export interface FillPlan {
  missing: PlannedImage[];
  stale: PlannedImage[];
  current: number;
  /** Images that exist without our metadata: never touched. */
  notOurs: number;
  /** Paths linked with two different prompts or options (the first link wins). */
  conflicts: DocImage[];
  /** Problems in the comments, with where they are. */
  problems: { document: string; line: number; message: string }[];
  /** Totals in dollars; undefined when a price is unknown. */
  costNow?: number;
  /** Flex: half price for the models that take it, standard for the others. */
  costFlex?: number;
  costBatch?: number;
}

export function todo(plan: FillPlan): PlannedImage[] {
  return [...plan.missing, ...plan.stale];
}

export async function planFill(images: DocImage[], root: string, defaults: FillDefaults, price?: PriceOf, styles: readonly ImageStyle[] = BUILTIN_STYLES): Promise<FillPlan> {
  const plan: FillPlan = { missing: [], stale: [], current: 0, notOurs: 0, conflicts: [], problems: [] };
  const states = await Promise.all(images.map((image) => imageState(image, root, styles)));
  images.forEach((image, i) => {
    if (image.conflicts.length) plan.conflicts.push(image);
    for (const message of image.spec.problems) plan.problems.push({ ...image.sites[0], message });
    const { state, meta } = states[i];
    if (state === 'current') plan.current++;
    else if (state === 'notOurs') plan.notOurs++;
    else {
      const planned: PlannedImage = {
        ...image,
        state,
        model: image.spec.options.model ?? defaults.model,
        imageSize: image.spec.options.imageSize ?? defaults.imageSize,
        previous: meta,
      };
      (state === 'missing' ? plan.missing : plan.stale).push(planned);
    }
  });
  if (price) {
    plan.costNow = total(todo(plan), price, 'standard');
    plan.costFlex = total(todo(plan), price, 'flex');
    plan.costBatch = total(todo(plan), price, 'batch');
  }
  return plan;
}

function total(images: PlannedImage[], price: PriceOf, tier: 'standard' | 'flex' | 'batch'): number | undefined {
  let sum = 0;
  for (const image of images) {
    const each = price(image.model, image.imageSize, tier);
    if (each === undefined) return undefined;
    sum += each;
  }
  return Math.round(sum * 10000) / 10000;
}
