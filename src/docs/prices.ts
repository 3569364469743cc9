// Dollars per image, standard and batch (half), from shared/gemini-api.md (checked 2026-12-01).
// Interim: the model catalogue (src/core/models) replaces this table when it lands.
import type { PriceOf } from './plan';

const PER_IMAGE: Record<string, Record<string, number> | number> = {
  'gemini-3.1-flash-image': { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 },
  'gemini-3-pro-image': { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
  'gemini-2.5-flash-image': 0.039,
};

export const interimPrice: PriceOf = (model, imageSize, tier) => {
  const entry = PER_IMAGE[model.replace(/^models\//, '')];
  const standard = typeof entry === 'number' ? entry : entry?.[imageSize ?? '1K'];
  if (standard === undefined) return undefined;
  return tier === 'batch' ? standard / 2 : standard;
};
