// Dollars per image for a plan, standard and batch, from the model catalogue (src/core/models) or
// the user's own prices (geminiImage.pricePerImage, for a relay).
import { IMAGE_SIZES } from '../shared/choices';
import { pricePerImage, type PriceOverrides } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { PriceOf } from './plan';

export function planPrices(overrides?: PriceOverrides): PriceOf {
  return (model, imageSize, tier) => {
    const size = (IMAGE_SIZES as readonly string[]).includes(imageSize ?? '') ? (imageSize as ImageSize) : undefined;
    return pricePerImage({ model: model.replace(/^models\//, ''), imageSize: size, batch: tier === 'batch', overrides });
  };
}

export const cataloguePrice: PriceOf = planPrices();
