// Style presets and user templates: a style is prompt text wrapped around what the user typed,
// through `${prompt}` and `${selection}`. The wrapped text is what is sent, shown and kept.
import { NO_STYLE_ID } from '../shared/constants';

export type StyleSource = 'builtin' | 'user' | 'workspace' | 'workspaceFolder';
export type UserStyleSource = Exclude<StyleSource, 'builtin'>;

export interface ImageStyle {
  /** Stable across sessions (remembered as the last choice): the built-in id, or `<source>:<name>`. */
  id: string;
  name: string;
  description: string;
  /** A template: `${prompt}`, `${selection}`, and `$${` for a literal `${`. */
  prompt: string;
  source: StyleSource;
  /** Built-in styles: the l10n keys of name and description (the English text, as `l10n.t` keys are). */
  nameKey?: string;
  descriptionKey?: string;
}

export const TEMPLATE_VARIABLES = ['prompt', 'selection'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
/** The id a caller may use for "no style" (the prompt is sent unchanged). */

type BuiltinSpec = [id: string, name: string, description: string, prompt: string];

const BUILTIN_SPECS: BuiltinSpec[] = [
  [
    'article-cover',
    'Article cover',
    'A bold hero image for the top of a post or document',
    'A striking cover illustration for an article about ${prompt}. One strong central visual metaphor, clean composition with generous empty space on one side for a title, modern editorial illustration, harmonious limited color palette, soft directional light, rich but uncluttered detail. No text or lettering unless quoted above.',
  ],
  [
    'flat-illustration',
    'Flat illustration',
    'Clean vector shapes and flat colors, as in product docs',
    'A flat vector illustration of ${prompt}. Simple geometric shapes, solid flat colors without gradients or texture, minimal shading, crisp clean edges, friendly modern look of product documentation and landing pages, plain light background.',
  ],
  [
    'isometric',
    'Isometric',
    'A tidy 3D isometric scene with a technical feel',
    'An isometric 3D illustration of ${prompt}. True isometric projection with no perspective distortion, clean simplified forms, soft ambient occlusion and subtle shadows, cohesive pastel palette with one accent color, elements neatly arranged on a floating base, plain background.',
  ],
  [
    'architecture-diagram',
    'Architecture diagram',
    'Boxes, arrows and layers that explain a system',
    'A clean software architecture diagram of ${prompt}. Components as labeled rounded rectangles grouped into layers or zones, clear directional arrows for the flow of data and requests, a consistent set of simple icons, thin lines, white background, a few muted accent colors, short legible labels, professional technical documentation style, no decorative clutter.',
  ],
  [
    'flowchart-sketch',
    'Flowchart sketch',
    'A hand-drawn flowchart of steps and decisions',
    'A hand-drawn flowchart sketch of ${prompt}. Steps in boxes, decisions in diamonds, arrows showing the order from top to bottom, drawn with a black felt-tip pen on off-white paper, slightly imperfect lines, one highlighter accent color, short handwritten labels, easy to follow.',
  ],
  [
    'whiteboard-sketch',
    'Whiteboard sketch',
    'Marker drawings on a whiteboard, as in a team meeting',
    'A whiteboard sketch explaining ${prompt}. Drawn with black, blue and red dry-erase markers on a clean white whiteboard, simple doodles, arrows, circled key ideas and short handwritten notes, casual and clear like a brainstorming session, seen straight on and evenly lit.',
  ],
  [
    'infographic',
    'Infographic',
    'Icons, numbers and sections that explain at a glance',
    'A clean infographic about ${prompt}. Organized into clear sections with simple icons, small charts and large key numbers, strong visual hierarchy on a tidy grid, flat design, limited palette with one accent color, plenty of white space, short legible headings.',
  ],
  [
    'icon',
    'Icon',
    'One simple, recognizable symbol on a plain background',
    'A single icon representing ${prompt}. One bold, instantly recognizable symbol, centered, flat design with consistent stroke weight and rounded corners, two or three colors, plain background, still readable at small sizes, no text.',
  ],
  [
    'line-art',
    'Line art',
    'Elegant single-color outlines without fill',
    'Minimal line art of ${prompt}. Clean continuous black outlines of even weight on a white background, no fill, no shading, no color, elegant and uncluttered, like a fine technical pen drawing.',
  ],
  [
    'watercolor',
    'Watercolor',
    'Soft painted washes with a handmade feel',
    'A watercolor painting of ${prompt}. Soft translucent washes, gentle color bleeds and wet-on-wet blooms, visible cold-pressed paper texture, loose expressive brushwork over a light pencil underdrawing, airy composition with white space, calm harmonious palette.',
  ],
  [
    'photo',
    'Photo',
    'A realistic photograph in natural light',
    'A high-quality realistic photograph of ${prompt}. Natural light, sharp focus on the subject with a softly blurred background, true-to-life colors and textures, shot on a full-frame camera with a 50mm lens, professional editorial composition.',
  ],
  [
    'pixel-art',
    'Pixel art',
    'Retro 16-bit game graphics',
    'Pixel art of ${prompt}. Retro 16-bit video game style, crisp square pixels with no anti-aliasing or blur, a limited palette, clean readable silhouettes, simple dithering for shading.',
  ],
  [
    'slide-background',
    'Slide background',
    'A calm backdrop that leaves room for slide text',
    'A presentation slide background inspired by ${prompt}. Subtle abstract shapes and soft gradients kept toward the edges, a large calm empty area in the middle for text, low contrast, professional and modern. No text.',
  ],
  [
    '3d-clay',
    '3D clay',
    'Playful soft 3D shapes, like modeling clay',
    'A playful 3D clay render of ${prompt}. Soft rounded shapes that look like matte modeling clay, gentle studio lighting with soft shadows, bright cheerful colors, simple solid-color background, cute and friendly.',
  ],
];

export const BUILTIN_STYLES: readonly ImageStyle[] = BUILTIN_SPECS.map(([id, name, description, prompt]) =>
  Object.freeze({ id, name, description, prompt, source: 'builtin' as const, nameKey: name, descriptionKey: description }),
);

/** Every string of the built-in styles that is shown to users: the keys a localization table needs. */
export function builtinStyleL10nKeys(): string[] {
  return BUILTIN_STYLES.flatMap((s) => [s.name, s.description]);
}

export function findStyle(styles: readonly ImageStyle[], id: string | undefined): ImageStyle | undefined {
  return id === undefined || id === NO_STYLE_ID ? undefined : styles.find((s) => s.id === id);
}

// `$${` is a literal `${`; `${name}` a variable (spaces around the name allowed); a `${` with no
// `}` on the same line within a short distance is an error, as is any name we do not know.
const TOKEN = /\$\$\{|\$\{([^}\n]{0,40})\}|\$\{[^}\n]{0,12}/g;

interface Scan {
  used: Set<TemplateVariable>;
  unknown: string[];
}

function scan(template: string, onVariable?: (name: TemplateVariable, end: number) => string, onText?: (text: string) => void): Scan {
  const used = new Set<TemplateVariable>();
  const unknown: string[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    onText?.(template.slice(last, at));
    last = at + m[0].length;
    if (m[0] === '$${') {
      onText?.('${');
      continue;
    }
    const name = m[1]?.trim();
    if (name !== undefined && (TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      used.add(name as TemplateVariable);
      onText?.(onVariable?.(name as TemplateVariable, last) ?? '');
    } else if (!unknown.includes(m[0])) {
      unknown.push(m[0]);
    }
  }
  onText?.(template.slice(last));
  return { used, unknown };
}

/** The variables a template uses, and the `${...}` tokens it has that are not variables. */
export function templateVariables(template: string): { variables: TemplateVariable[]; unknown: string[] } {
  const { used, unknown } = scan(template);
  return { variables: TEMPLATE_VARIABLES.filter((v) => used.has(v)), unknown };
}

export type ExpandResult = { ok: true; text: string } | { ok: false; unknown: string[] };

/**
 * Fills `${prompt}` and `${selection}` in (trimmed; a missing selection is empty). A value ending in
 * sentence punctuation loses it when the template puts punctuation right after the variable, so
 * "a cat." in "of ${prompt}. Bold" does not give "a cat.. Bold". Unknown `${...}` tokens are an
 * error: nothing is expanded.
 */
export function expandTemplate(template: string, vars: { prompt: string; selection?: string }): ExpandResult {
  const pieces: string[] = [];
  const value = (name: TemplateVariable, end: number): string => {
    const v = (name === 'prompt' ? vars.prompt : (vars.selection ?? '')).trim();
    return /^[.,;:!?。，；：！？]/.test(template.slice(end)) ? v.replace(/[.,;:!?。，；：！？]+$/u, '') : v;
  };
  const { unknown } = scan(template, value, (t) => pieces.push(t));
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, text: pieces.join('') };
}

export interface AppliedStyle {
  /** What is sent, shown and kept in the image's metadata. */
  finalPrompt: string;
  /** The style's name; undefined for "None". */
  styleName?: string;
}

/** The prompt wrapped in the style's template; with no style, the prompt unchanged. */
export function applyStyle(style: Pick<ImageStyle, 'name' | 'prompt'> | undefined, prompt: string, selection = ''): AppliedStyle {
  if (!style) return { finalPrompt: prompt };
  const result = expandTemplate(style.prompt, { prompt, selection });
  // Styles come from BUILTIN_STYLES or parseUserStyles, which refuse unknown variables.
  if (!result.ok) throw new Error(`The style "${style.name}" has unknown variables: ${result.unknown.join(', ')}`);
  return { finalPrompt: result.text.trim(), styleName: style.name };
}

export type StyleErrorCode =
  /** The setting is not a list. */
  | 'notList'
  /** An entry is not an object. */
  | 'notObject'
  | 'missingName'
  | 'missingPrompt'
  /** `description` is there but not text. */
  | 'badDescription'
  /** The prompt uses neither `${prompt}` nor `${selection}`: what the user types would be lost. */
  | 'noVariable'
  | 'unknownVariables'
  /** A second entry with the same name in the same settings scope. */
  | 'duplicateName';

export interface StyleError {
  source: UserStyleSource;
  /** The entry's position in the list; -1 for the whole setting. */
  index: number;
  name?: string;
  code: StyleErrorCode;
  /** For unknownVariables: the offending tokens, e.g. `${promt}`. */
  unknown?: string[];
  /** English, for the log; the UI builds its own from code and fields. */
  message: string;
}

/** Validates the entries of `geminiImage.styles` from one settings scope; each kept style carries that scope. */
export function parseUserStyles(value: unknown, source: UserStyleSource): { styles: ImageStyle[]; errors: StyleError[] } {
  const styles: ImageStyle[] = [];
  const errors: StyleError[] = [];
  if (value === undefined || value === null) return { styles, errors };
  if (!Array.isArray(value)) {
    errors.push({ source, index: -1, code: 'notList', message: `geminiImage.styles (${source}) must be a list of styles.` });
    return { styles, errors };
  }
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const fail = (code: StyleErrorCode, message: string, extra: Partial<StyleError> = {}) =>
      errors.push({ source, index, code, message: `geminiImage.styles (${source}) #${index + 1}: ${message}`, ...extra });
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return fail('notObject', 'not an object with name and prompt.');
    const e = entry as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (!name) return fail('missingName', 'has no name.');
    if (typeof e.prompt !== 'string' || !e.prompt.trim()) return fail('missingPrompt', `"${name}" has no prompt.`, { name });
    if (e.description !== undefined && typeof e.description !== 'string') return fail('badDescription', `"${name}": description must be text.`, { name });
    const { variables, unknown } = templateVariables(e.prompt);
    if (unknown.length > 0) return fail('unknownVariables', `"${name}" uses unknown variables ${unknown.join(', ')} (known: \${prompt}, \${selection}).`, { name, unknown });
    if (variables.length === 0) return fail('noVariable', `"${name}" must use \${prompt} or \${selection}.`, { name });
    const key = name.toLocaleLowerCase();
    if (seen.has(key)) return fail('duplicateName', `"${name}" is defined twice.`, { name });
    seen.add(key);
    styles.push({ id: `${source}:${name}`, name, description: typeof e.description === 'string' ? e.description.trim() : '', prompt: e.prompt, source });
  });
  return { styles, errors };
}
