// Questions asked of the catalogue: what a model accepts, whether it makes images, and where it
// stands on a given day. Ids from a relay or a newer Google lineup are not in it: see the rule in
// isImageModelId and the permissive spec of imageModels.ts.
import { IMAGE_MODELS, permissiveImageSpec } from './imageModels';
import { TEXT_MODELS } from './textModels';
import type { ImageModelSpec, ModelLifecycle, TextModelSpec } from './types';

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

function lifecycleOf(id: string): ModelLifecycle | undefined {
  return (knownImageModel(id) ?? knownTextModel(id))?.lifecycle;
}

/** Day as YYYY-MM-DD in UTC: shutdown dates are calendar days. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Deprecated on that day (a deprecation without a date counts from the start). */
function isDeprecated(lifecycle: ModelLifecycle, now: Date): boolean {
  return lifecycle.stage === 'deprecated' && (lifecycle.deprecated === undefined || lifecycle.deprecated <= isoDay(now));
}

/** True once the shutdown day has come (the model stops answering on that day). */
export function isRetired(id: string, now: Date): boolean {
  const shutdown = lifecycleOf(id)?.shutdown;
  return shutdown !== undefined && shutdown <= isoDay(now);
}

export type LifecycleState =
  | { state: 'unknown' }
  | { state: 'live'; lifecycle: ModelLifecycle }
  /** Deprecated or with an announced shutdown still ahead. */
  | { state: 'retiring'; lifecycle: ModelLifecycle; shutdown?: string; replacement?: string }
  | { state: 'retired'; lifecycle: ModelLifecycle; shutdown: string; replacement?: string };

export function lifecycleAt(id: string, now: Date): LifecycleState {
  const lifecycle = lifecycleOf(id);
  if (!lifecycle) return { state: 'unknown' };
  const replacement = replacementFor(id, now);
  if (lifecycle.shutdown !== undefined && lifecycle.shutdown <= isoDay(now)) return { state: 'retired', lifecycle, shutdown: lifecycle.shutdown, replacement };
  if (lifecycle.shutdown !== undefined || isDeprecated(lifecycle, now)) return { state: 'retiring', lifecycle, shutdown: lifecycle.shutdown, replacement };
  return { state: 'live', lifecycle };
}

/**
 * The model to move to: Google's replacement, followed on while that one is itself retired or
 * deprecated, so a user is never sent to a model that is on its way out too.
 */
export function replacementFor(id: string, now: Date): string | undefined {
  let current = lifecycleOf(id)?.replacement;
  const seen = new Set([bareId(id)]);
  while (current && !seen.has(current)) {
    seen.add(current);
    const next = lifecycleOf(current);
    const leaving = next && (isDeprecated(next, now) || (next.shutdown !== undefined && next.shutdown <= isoDay(now)));
    if (!leaving || !next.replacement) return current;
    current = next.replacement;
  }
  return current;
}
