// The automatic model choice: the first model in the catalogue's order of preference that the
// endpoint lists, with the models that endpoint reported deprecated or gone moved down (or out);
// without a list (relays often lack the route), the first healthy GA model.
import { bareId, isImageModelId } from './catalogue';
import { IMAGE_MODELS } from './imageModels';
import { demotion, type EndpointWord } from './lifecycle';
import { TEXT_MODELS } from './textModels';
import type { ModelLifecycle } from './types';

interface Ranked {
  id: string;
  lifecycle: ModelLifecycle;
}

/** What the endpoint said about a model, when it said anything. */
export type WordOf = (id: string) => EndpointWord | undefined;

function resolve(ranked: readonly Ranked[], listed: readonly string[] | undefined, now: Date, wordOf: WordOf = () => undefined, unknownFits?: (id: string) => boolean): string {
  const ids = listed && listed.length > 0 ? listed.map(bareId) : undefined;
  const scored = ranked
    .map((m, order) => ({ m, order, down: demotion(m.id, now, wordOf(m.id)) }))
    .filter((s) => s.down !== Infinity && (!ids || ids.includes(s.m.id)))
    .sort((a, b) => a.down - b.down || a.order - b.order);
  const healthy = scored.find((s) => s.down === 0 && (ids || s.m.lifecycle.stage === 'ga'));
  if (healthy) return healthy.m.id;
  // A lineup newer than the catalogue: what the endpoint has beats what it reports as leaving.
  const newer = ids && unknownFits && ids.find((id) => unknownFits(id) && !ranked.some((m) => m.id === id) && demotion(id, now, wordOf(id)) !== Infinity);
  if (newer) return newer;
  if (scored.length > 0) return scored[0].m.id;
  return ranked.find((m) => demotion(m.id, now, wordOf(m.id)) === 0)?.id ?? ranked[0].id;
}

/** `listed`: the model ids of the endpoint's models.list answer, when it gave one. */
export function automaticImageModel(listed: readonly string[] | undefined, now: Date, wordOf?: WordOf): string {
  return resolve(IMAGE_MODELS, listed, now, wordOf, isImageModelId);
}

export function automaticTextModel(listed: readonly string[] | undefined, now: Date, wordOf?: WordOf): string {
  return resolve(TEXT_MODELS, listed, now, wordOf);
}

/** A setting's value, or the automatic choice when it is empty ("automatic"). */
export function effectiveModel(configured: string | undefined, automatic: () => string): { id: string; automatic: boolean } {
  const id = bareId(configured ?? '');
  return id && id !== 'auto' ? { id, automatic: false } : { id: automatic(), automatic: true };
}
