// Which models of GET /v1beta/models can make images.

export interface ModelInfo {
  id: string;
  displayName?: string;
  description?: string;
}

export const KNOWN_IMAGE_MODELS: readonly ModelInfo[] = [
  { id: 'gemini-2.5-flash-image', displayName: 'Gemini 2.5 Flash Image' },
  { id: 'gemini-3-pro-image-preview', displayName: 'Gemini 3 Pro Image (preview)' },
  { id: 'gemini-3.1-flash-image-preview', displayName: 'Gemini 3.1 Flash Image (preview)' },
];

interface ApiModel {
  name?: unknown;
  displayName?: unknown;
  description?: unknown;
  supportedGenerationMethods?: unknown;
}

/** Image-capable generateContent models from a models.list answer, then the known ones it lacked. */
export function imageModelsFrom(answer: unknown): ModelInfo[] {
  const list = (answer as { models?: unknown })?.models;
  const found: ModelInfo[] = [];
  if (Array.isArray(list)) {
    for (const m of list as ApiModel[]) {
      if (typeof m?.name !== 'string') continue;
      const id = m.name.replace(/^models\//, '');
      const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : [];
      if (!/image/i.test(id) || /imagen/i.test(id) || !methods.includes('generateContent')) continue;
      found.push({
        id,
        displayName: typeof m.displayName === 'string' ? m.displayName : undefined,
        description: typeof m.description === 'string' ? m.description.slice(0, 200) : undefined,
      });
    }
  }
  const ids = new Set(found.map((m) => m.id));
  return [...found, ...KNOWN_IMAGE_MODELS.filter((m) => !ids.has(m.id))];
}
