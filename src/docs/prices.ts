// Dollars per image, standard and batch (half), from the model catalogue (src/core/models).
import { IMAGE_SIZES } from '../shared/choices';
import { pricePerImage } from '../core/models';
import type { ImageSize } from '../gemini/types';
import type { PriceOf } from './plan';

export const cataloguePrice: PriceOf = (model, imageSize, tier) => {
  const size = (IMAGE_SIZES as readonly string[]).includes(imageSize ?? '') ? (imageSize as ImageSize) : undefined;
  return pricePerImage({ model: model.replace(/^models\//, ''), imageSize: size, batch: tier === 'batch' });
};
