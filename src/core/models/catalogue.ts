// Questions asked of the catalogue: what a model accepts, whether it makes images, and where it
// stands on a given day. Ids from a relay or a newer Google lineup are not in it: see the rule in
// isImageModelId and the permissive spec of imageModels.ts.
import { IMAGE_MODELS, permissiveImageSpec } from './imageModels';
import { TEXT_MODELS } from './textModels';
import type { ImageModelSpec, TextModelSpec } from './types';

export function bareId(id: string): string {
  return id.trim().replace(/^models\//, '');
}

export function knownImageModel(id: string): ImageModelSpec | undefined {
  const bare = bareId(id);
  return IMAGE_MODELS.find((m) => m.id === bare);
}

export function knownTextModel(id: string): TextModelSpec | undefined {
  const bare = bareId(id);
  return TEXT_MODELS.find((m) => m.id === bare);
}

/** What to offer and send for this model: the catalogue's entry, or permissive defaults. */
export function imageModelSpec(id: string): ImageModelSpec {
  return knownImageModel(id) ?? permissiveImageSpec(bareId(id));
}

/**
 * Whether an id names an image model. The catalogue decides for the ids it knows. For others, the
 * models.list answer says nothing about output modalities, so the name decides: ids holding
 * "image" or "nano-banana" (Google's name for its image line) are image models, "imagen" ids
 * never are (another endpoint, :predict).
 */
export function isImageModelId(id: string): boolean {
  const bare = bareId(id).toLowerCase();
  if (knownImageModel(bare)) return true;
  if (knownTextModel(bare) || bare.includes('imagen')) return false;
  return bare.includes('image') || bare.includes('nano-banana');
}

