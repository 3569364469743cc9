// The automatic model choice: the first model in the catalogue's order of preference that the
// endpoint lists; without a list (relays often lack the route), the first GA model whose shutdown
// has not come.
import { bareId, isImageModelId, isRetired } from './catalogue';
import { IMAGE_MODELS } from './imageModels';
import { TEXT_MODELS } from './textModels';
import type { ModelLifecycle } from './types';

interface Ranked {
  id: string;
  lifecycle: ModelLifecycle;
}

function resolve(ranked: readonly Ranked[], listed: readonly string[] | undefined, now: Date, unknownFits?: (id: string) => boolean): string {
  const live = ranked.filter((m) => !isRetired(m.id, now));
  if (listed && listed.length > 0) {
    const ids = listed.map(bareId);
    const found = live.find((m) => ids.includes(m.id)) ?? ranked.find((m) => ids.includes(m.id));
    if (found) return found.id;
    // A lineup newer than the catalogue: what the endpoint has beats what we remember.
    const newer = unknownFits && ids.find(unknownFits);
    if (newer) return newer;
  }
  return (live.find((m) => m.lifecycle.stage === 'ga') ?? live[0] ?? ranked[0]).id;
}

/** `listed`: the model ids of the endpoint's models.list answer, when it gave one. */
export function automaticImageModel(listed: readonly string[] | undefined, now: Date): string {
  return resolve(IMAGE_MODELS, listed, now, isImageModelId);
}

export function automaticTextModel(listed: readonly string[] | undefined, now: Date): string {
  return resolve(TEXT_MODELS, listed, now);
}

/** A setting's value, or the automatic choice when it is empty ("automatic"). */
export function effectiveModel(configured: string | undefined, automatic: () => string): { id: string; automatic: boolean } {
  const id = bareId(configured ?? '');
  return id && id !== 'auto' ? { id, automatic: false } : { id: automatic(), automatic: true };
}
