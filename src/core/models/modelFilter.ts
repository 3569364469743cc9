// Which models of a GET /v1beta/models answer make images, by the catalogue and its rule for
// unknown ids, in the catalogue's order of preference, then the unknown ones as listed.
import { bareId, isImageModelId, knownImageModel } from './catalogue';
import { isRetired } from './lifecycle';
import { IMAGE_MODELS } from './imageModels';

export interface ListedModel {
  id: string;
  displayName?: string;
  description?: string;
  supportedGenerationMethods?: string[];
}

interface ApiModel {
  name?: unknown;
  displayName?: unknown;
  description?: unknown;
  supportedGenerationMethods?: unknown;
}

/** The models of one or more models.list pages (`{models: [...]}`), as plain records. */
export function listedModels(answer: unknown): ListedModel[] {
  const list = (answer as { models?: unknown })?.models;
  if (!Array.isArray(list)) return [];
  const out: ListedModel[] = [];
  for (const m of list as ApiModel[]) {
    if (typeof m?.name !== 'string') continue;
    const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods.filter((x): x is string => typeof x === 'string') : undefined;
    out.push({
      id: bareId(m.name),
      ...(typeof m.displayName === 'string' ? { displayName: m.displayName } : {}),
      ...(typeof m.description === 'string' ? { description: m.description.slice(0, 200) } : {}),
      ...(methods ? { supportedGenerationMethods: methods } : {}),
    });
  }
  return out;
}

function generates(m: ListedModel): boolean {
  // Relays often list without methods; only a list that names them can rule a model out.
  return !m.supportedGenerationMethods || m.supportedGenerationMethods.includes('generateContent');
}

/** The image models in a models.list answer: known ones in preference order, then unknown ones. */
export function imageModelsFrom(models: readonly ListedModel[]): ListedModel[] {
  const images = models.filter((m) => generates(m) && isImageModelId(m.id));
  const rank = (id: string) => {
    const i = IMAGE_MODELS.findIndex((k) => k.id === id);
    return i < 0 ? IMAGE_MODELS.length : i;
  };
  return images.map((m, order) => ({ m, order })).sort((a, b) => rank(a.m.id) - rank(b.m.id) || a.order - b.order).map(({ m }) => m);
}

/** The text (generateContent) models in a list that are not image models. */
export function textModelsFrom(models: readonly ListedModel[]): ListedModel[] {
  return models.filter((m) => generates(m) && !isImageModelId(m.id) && !/embedding|imagen|veo|aqa|tts|live|audio/i.test(m.id));
}

/** What the picker offers without a list: the catalogue's image models that still answer. */
export function catalogueImageModels(now: Date): ListedModel[] {
  return IMAGE_MODELS.filter((m) => !isRetired(m.id, now)).map((m) => ({ id: m.id, displayName: knownImageModel(m.id)?.displayName }));
}
