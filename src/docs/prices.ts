// Dollars per image for a plan, standard and batch, from the model catalogue (src/core/models) or
// the user's own prices (geminiImage.pricePerImage, for a relay).
import { IMAGE_SIZES } from '../shared/choices';
import { imageModelSpec, pricePerImage, type PriceOverrides } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { PriceOf } from './plan';

export function planPrices(overrides?: PriceOverrides): PriceOf {
  return (model, imageSize, tier) => {
    const size = (IMAGE_SIZES as readonly string[]).includes(imageSize ?? '') ? (imageSize as ImageSize) : undefined;
    const id = model.replace(/^models\//, '');
    return pricePerImage({ model: id, imageSize: size, batch: tier === 'batch', tier: tier === 'flex' && takesFlex(id) ? 'flex' : 'standard', overrides });
  };
}

/** Whether Flex is sent to this model (the catalogue's tiers; unknown ids: the endpoint decides). */
export function takesFlex(model: string): boolean {
  return imageModelSpec(model).serviceTiers.includes('flex');
}

export const cataloguePrice: PriceOf = planPrices();
