// The models the stand-in knows, what each accepts, and the image sizes they draw.

export interface ModelInfo {
  id: string;
  displayName: string;
  /** Draws images (an image model) or only reads them (a text model). */
  image: boolean;
  /** imageSize values accepted; empty: imageSize must not be sent. */
  sizes: readonly string[];
  extendedRatios: boolean;
  methods: readonly string[];
  /** Output tokens per image at 1K/2K, and at 4K. */
  imageTokens: [number, number];
}

const GENERATE = ['generateContent', 'countTokens', 'batchGenerateContent'];

function imageModel(id: string, displayName: string, sizes: string[], extendedRatios: boolean, imageTokens: [number, number]): ModelInfo {
  return { id, displayName, image: true, sizes, extendedRatios, methods: GENERATE, imageTokens };
}

function textModel(id: string, displayName: string): ModelInfo {
  return { id, displayName, image: false, sizes: [], extendedRatios: false, methods: [...GENERATE, 'createCachedContent'], imageTokens: [0, 0] };
}

export const MODELS: readonly ModelInfo[] = [
  imageModel('gemini-2.5-flash-image', 'Nano Banana', [], false, [1290, 1290]),
  imageModel('gemini-3-pro-image-preview', 'Nano Banana Pro (preview)', ['1K', '2K', '4K'], false, [1120, 2000]),
  imageModel('gemini-3-pro-image', 'Nano Banana Pro', ['1K', '2K', '4K'], false, [1120, 2000]),
  imageModel('gemini-3.1-flash-image-preview', 'Nano Banana 2 (preview)', ['512', '1K', '2K', '4K'], true, [1120, 2000]),
  imageModel('gemini-3.1-flash-image', 'Nano Banana 2', ['512', '1K', '2K', '4K'], true, [1120, 2000]),
  textModel('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  textModel('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  // Listed but not usable with generateContent: a client must filter the list.
  { id: 'text-embedding-004', displayName: 'Text Embedding 004', image: false, sizes: [], extendedRatios: false, methods: ['embedContent'], imageTokens: [0, 0] },
  { id: 'imagen-4.0-generate-001', displayName: 'Imagen 4', image: true, sizes: [], extendedRatios: false, methods: ['predict'], imageTokens: [0, 0] },
];

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
    version: '001',
    displayName: m.displayName,
    description: m.image ? 'Generates and edits images (stand-in).' : 'Reads text and images, answers in text (stand-in).',
    inputTokenLimit: m.image ? 32768 : 1048576,
    outputTokenLimit: m.image ? 32768 : 65536,
    supportedGenerationMethods: [...m.methods],
    temperature: 1,
    topP: 0.95,
    maxTemperature: 2,
  };
}
