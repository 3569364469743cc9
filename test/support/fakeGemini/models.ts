// The models the stand-in knows: today's lineup (listed) and the retired ids (answering Google's
// 404), what each accepts, and the image sizes they draw. Facts from shared/gemini-api.md.

export interface ModelInfo {
  id: string;
  displayName: string;
  /** Draws images (an image model) or only reads them (a text model). */
  image: boolean;
  /** imageSize values accepted; empty: imageSize must not be sent. */
  sizes: readonly string[];
  extendedRatios: boolean;
  methods: readonly string[];
  /** Output tokens per image at 512/1K/2K, and at 4K. */
  imageTokens: [number, number];
  /** thinkingConfig.thinkingLevel values accepted; empty: a thinkingConfig is rejected. */
  thinkingLevels: readonly string[];
  /** The image type it answers with by default (Gemini 3 Pro answers JPEG). */
  defaultMime: 'image/png' | 'image/jpeg';
  /** GA, PREVIEW or DEPRECATED (modelStatus.modelStage on every reply when DEPRECATED). */
  stage: 'STABLE' | 'PREVIEW' | 'DEPRECATED';
  /** Shut down: not listed, and generateContent answers 404 NOT_FOUND (unless routed). */
  retired?: boolean;
  /** A retired text id Google still serves with this successor. */
  routedTo?: string;
  /** serviceTier values it accepts (Lite: standard only). */
  tiers: readonly string[];
  /** Its replies' modelStatus.retirementTime (RFC 3339), when it has one. */
  retirementTime?: string;
}

const GENERATE = ['generateContent', 'countTokens', 'batchGenerateContent'];
const FLASH_THINKING = ['minimal', 'high'];

type ImageOptions = Partial<Pick<ModelInfo, 'thinkingLevels' | 'defaultMime' | 'stage' | 'retired' | 'tiers' | 'retirementTime'>>;
const ALL_TIERS = ['standard', 'flex', 'priority'];

function imageModel(id: string, displayName: string, sizes: string[], extendedRatios: boolean, imageTokens: [number, number], o: ImageOptions = {}): ModelInfo {
  return { id, displayName, image: true, sizes, extendedRatios, methods: GENERATE, imageTokens, thinkingLevels: o.thinkingLevels ?? [], defaultMime: o.defaultMime ?? 'image/png', stage: o.stage ?? 'STABLE', retired: o.retired, tiers: o.tiers ?? ALL_TIERS, retirementTime: o.retirementTime };
}

function textModel(id: string, displayName: string, o: Partial<Pick<ModelInfo, 'retired' | 'routedTo'>> = {}): ModelInfo {
  return { id, displayName, image: false, sizes: [], extendedRatios: false, methods: [...GENERATE, 'createCachedContent'], imageTokens: [0, 0], thinkingLevels: ['minimal', 'low', 'medium', 'high'], defaultMime: 'image/png', stage: 'STABLE', tiers: ALL_TIERS, ...o };
}

function other(id: string, displayName: string, methods: string[], image: boolean): ModelInfo {
  return { id, displayName, image, sizes: [], extendedRatios: false, methods, imageTokens: [0, 0], thinkingLevels: [], defaultMime: 'image/png', stage: 'STABLE', tiers: ['standard'] };
}

export const MODELS: readonly ModelInfo[] = [
  // Listed in this order, several pages at a small pageSize. The text models first, as Google does.
  textModel('gemini-3.1-flash-lite', 'Gemini 3.1 Flash-Lite'),
  textModel('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite'),
  other('gemini-embedding-001', 'Gemini Embedding 001', ['embedContent', 'countTextTokens', 'countTokens'], false),
  imageModel('gemini-3-pro-image', 'Nano Banana Pro', ['1K', '2K', '4K'], false, [1120, 2000], { defaultMime: 'image/jpeg' }),
  imageModel('gemini-3.1-flash-image', 'Nano Banana 2', ['512', '1K', '2K', '4K'], true, [1120, 2520], { thinkingLevels: FLASH_THINKING, stage: 'DEPRECATED' }),
  // Google's card lists the 10 standard ratios; sending imageSize at all is a 400; no Flex or Priority.
  imageModel('gemini-3.1-flash-lite-image', 'Nano Banana 2 Lite', [], false, [1120, 1120], { thinkingLevels: FLASH_THINKING, tiers: ['standard'] }),
  // Google's newest image model: nothing in its id says "image".
  imageModel('gemini-nano-banana-2.1', 'Nano Banana 2.1', ['1K', '2K', '4K'], true, [1120, 2520], { thinkingLevels: ['minimal', 'medium', 'high'] }),
  // Deprecated, still served to the projects that used it, retiring 2027-03-15 (modelStatus says so).
  imageModel('gemini-2.5-flash-image', 'Nano Banana', [], false, [1290, 1290], { stage: 'DEPRECATED', retirementTime: '2027-03-15T00:00:00Z' }),
  // Listed but not usable with generateContent: a client must filter the list.
  other('imagen-4.0-generate-001', 'Imagen 4', ['predict'], true),
  // Shut down: 404 NOT_FOUND like Google's.
  imageModel('gemini-3-pro-image-preview', 'Nano Banana Pro (preview)', ['1K', '2K', '4K'], false, [1120, 2000], { stage: 'PREVIEW', retired: true, defaultMime: 'image/jpeg' }),
  imageModel('gemini-3.1-flash-image-preview', 'Nano Banana 2 (preview)', ['512', '1K', '2K', '4K'], true, [1120, 2520], { stage: 'PREVIEW', retired: true, thinkingLevels: FLASH_THINKING }),
  textModel('gemini-2.5-flash', 'Gemini 2.5 Flash', { retired: true, routedTo: 'gemini-3.5-flash-lite' }),
  textModel('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', { retired: true }),
];

export const LISTED_MODELS: readonly ModelInfo[] = MODELS.filter((m) => !m.retired);

/**
 * A relay's lineup (its own models page): no Nano Banana 2.1 yet, older ids kept, no methods listed.
 * Relays document their lists this way; generateContent for an id they lack is their 404.
 */
export const RELAY_LINEUP: readonly string[] = ['gemini-3-pro-image', 'gemini-3.1-flash-image', 'gemini-2.5-flash-image', 'gemini-3.5-flash-lite'];

/** Any model the stand-in has heard of, retired ones included. */
export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id);
}

/** 1K sizes; "512" halves them, 2K doubles, 4K quadruples. */
const BASE_SIZES: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '2:3': [832, 1248],
  '3:2': [1248, 832],
  '3:4': [864, 1184],
  '4:3': [1184, 864],
  '4:5': [896, 1152],
  '5:4': [1152, 896],
  '9:16': [768, 1344],
  '16:9': [1344, 768],
  '21:9': [1536, 672],
};
const EXTENDED_SIZES: Record<string, [number, number]> = {
  '1:4': [512, 2048],
  '4:1': [2048, 512],
  '1:8': [384, 3072],
  '8:1': [3072, 384],
};
const SCALE: Record<string, number> = { '512': 0.5, '1K': 1, '2K': 2, '4K': 4 };

export const STANDARD_RATIOS = Object.keys(BASE_SIZES);

export function ratiosFor(model: ModelInfo): string[] {
  return model.extendedRatios ? [...STANDARD_RATIOS, ...Object.keys(EXTENDED_SIZES)] : STANDARD_RATIOS;
}

export function imageDimensions(aspectRatio: string, imageSize: string): { width: number; height: number } {
  const [w, h] = BASE_SIZES[aspectRatio] ?? EXTENDED_SIZES[aspectRatio] ?? BASE_SIZES['1:1'];
  const scale = SCALE[imageSize] ?? 1;
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

/** The standard ratio closest to width:height (the model follows its input image's shape). */
export function nearestRatio(width: number, height: number): string {
  const want = Math.log(width / height);
  let best = '1:1';
  for (const ratio of STANDARD_RATIOS) {
    const [w, h] = BASE_SIZES[ratio];
    const [bw, bh] = BASE_SIZES[best];
    if (Math.abs(Math.log(w / h) - want) < Math.abs(Math.log(bw / bh) - want)) best = ratio;
  }
  return best;
}

export function modelResource(m: ModelInfo): Record<string, unknown> {
  return {
    name: `models/${m.id}`,
    baseModelId: m.id,
    version: '001',
    displayName: m.displayName,
    description: m.image ? 'Generates and edits images (stand-in).' : 'Reads text and images, answers in text (stand-in).',
    inputTokenLimit: m.image ? 131072 : 1048576,
    outputTokenLimit: m.image ? 32768 : 65536,
    supportedGenerationMethods: [...m.methods],
    temperature: 1,
    topP: 0.95,
    maxTemperature: 2,
    ...(m.thinkingLevels.length ? { thinking: true } : {}),
  };
}
