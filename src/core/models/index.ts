// The model catalogue: what each known model accepts, its lifecycle, prices, and the automatic choice.
export * from './types';
export { IMAGE_MODELS, STANDARD_RATIOS, EXTENDED_RATIOS, CATALOGUE_CHECKED, TIER_PRICE, permissiveImageSpec } from './imageModels';
export { TEXT_MODELS } from './textModels';
export * from './catalogue';
export * from './lifecycle';
export * from './defaults';
export * from './modelFilter';
export * from './cost';
