// Dollars per image, standard and batch, from the model catalogue (src/core/models), or from the
// user's own prices (geminiImage.pricePerImage, for a relay), where a batch costs half as at Google.
import { IMAGE_SIZES } from '../shared/choices';
import { pricePerImage, type PriceOverrides } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { PriceOf } from './plan';

export function planPrices(overrides?: PriceOverrides): PriceOf {
  return (model, imageSize, tier) => {
    const size = (IMAGE_SIZES as readonly string[]).includes(imageSize ?? '') ? (imageSize as ImageSize) : undefined;
    const id = model.replace(/^models\//, '');
    const own = overrides ? pricePerImage({ model: id, imageSize: size, overrides }) : undefined;
    if (own === undefined || own === pricePerImage({ model: id, imageSize: size })) return pricePerImage({ model: id, imageSize: size, batch: tier === 'batch' });
    return tier === 'batch' ? own / 2 : own;
  };
}

export const cataloguePrice: PriceOf = planPrices();
