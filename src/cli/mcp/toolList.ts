// The tools the MCP server offers: JSON schemas, descriptions written for the model that picks
// them, and the annotations clients use to decide what to confirm (read-only, idempotent...).
import { ASPECT_RATIOS, IMAGE_SIZES } from '../../shared/choices';

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

const PATH_NOTE = 'Paths are relative to the project root the server was started in; anything outside it (a symbolic link included) is refused.';
const COST_NOTE = 'Each call costs money, counted against the session budget; a call over it is refused with the figures.';

const paths = {
  type: 'array',
  items: { type: 'string' },
  description: 'Markdown files or folders to look at, relative to the project root. Default: the whole project.',
};

export const TOOLS: ToolDefinition[] = [
  {
    name: 'generate_image',
    title: 'Generate an image',
    description: `Makes one raster image (illustration, cover, icon, photo-style picture) from a text prompt with a Google Gemini image model and saves it at \`path\`. Returns the saved path (it never overwrites: a taken name gets -1, -2 and the result names the file), a markdown link relative to the project root, the model, the tokens and the estimated cost, with a small preview. Insert the link into the markdown yourself. Do not use it for exact charts or diagrams (write Mermaid or SVG) or to change an existing image (use edit_image). ${PATH_NOTE} ${COST_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: {
        prompt: { type: 'string', minLength: 1, description: 'The image as a full description: subject, setting, composition, style, colours, mood. Say "no text" unless a short title is wanted.' },
        path: { type: 'string', minLength: 1, description: 'Where to save it, relative to the project root, e.g. docs/images/cover.png (.png, .jpg or .webp; .png is added when there is none).' },
        aspect_ratio: { type: 'string', enum: [...ASPECT_RATIOS], description: 'Width to height; default 1:1. 16:9 for banners and covers, 4:3 or 3:2 for figures in a text column.' },
        size: { type: 'string', enum: [...IMAGE_SIZES], description: 'Resolution class; default 1K. 2K and 4K cost more and only some models take them.' },
        model: { type: 'string', description: 'A Gemini image model id; leave it out for the server\'s default.' },
        references: { type: 'array', items: { type: 'string' }, description: 'Images in the project to draw on (style, subject), relative to the root.' },
      },
      required: ['prompt', 'path'],
      additionalProperties: false,
    },
    annotations: { title: 'Generate an image', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  },
  {
    name: 'edit_image',
    title: 'Edit an image',
    description: `Changes an existing image of the project as the prompt says (add, remove, restyle...) and saves the result as a new file next to it (default <name>-edit.png; never over an existing file). Returns the path, a markdown link, the model and the cost, with a small preview. ${PATH_NOTE} ${COST_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: {
        source: { type: 'string', minLength: 1, description: 'The image to edit (PNG, JPEG or WebP), relative to the project root.' },
        prompt: { type: 'string', minLength: 1, description: 'What should change, e.g. "make the sky a sunset, keep everything else".' },
        path: { type: 'string', description: 'Where to save the edit, relative to the root. Default: beside the source.' },
      },
      required: ['source', 'prompt'],
      additionalProperties: false,
    },
    annotations: { title: 'Edit an image', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  },
  {
    name: 'describe_image',
    title: 'Describe an image',
    description: `Asks a Gemini model what an image of the project shows: a few sentences of plain text (subject, style, notable details), useful for alt text, captions or checking an image fits a page. Writes nothing. The image is sent to Google (or the configured relay). ${PATH_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', minLength: 1, description: 'The image (PNG, JPEG or WebP), relative to the project root.' } },
      required: ['path'],
      additionalProperties: false,
    },
    annotations: { title: 'Describe an image', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  },
  {
    name: 'docs_check',
    title: 'Check docs images',
    description: `Lists the images linked from markdown docs that are missing, stale (their prompt or options changed since they were made) or linked with conflicting prompts, with the documents and lines that link them, their prompts and models, and the estimated cost of filling them now and in a batch. A link's prompt is its alt text or a <!-- gemini-image ... --> comment above it. Read-only, free, needs no key. Run it before docs_fill. ${PATH_NOTE}`,
    inputSchema: { type: 'object', properties: { paths }, additionalProperties: false },
    annotations: { title: 'Check docs images', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: 'docs_fill',
    title: 'Fill docs images',
    description: `Generates every missing and stale image linked from the markdown docs, each written at exactly its link's path (a stale image's old file is kept in the cache folder's trash). mode "now" makes them at once; "batch" uses Google's Batch API at half price: it submits a job and returns at once with the job still pending, and the next docs_fill call picks the results up (call it again a few minutes later; nothing is submitted twice); "flex" uses Google's Flex tier at half price, slower (minutes per image) but answered in the same call. Without a mode: batch when a job is pending or for 20 images and more, flex from 5 images where the model takes it, else now. max_cost (dollars) refuses the whole fill when the estimate is over it and says how many images would fit. ${PATH_NOTE} ${COST_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: {
        paths,
        mode: { type: 'string', enum: ['now', 'flex', 'batch'], description: 'now (immediate), flex (half price, minutes per image) or batch (half price, minutes to hours, resumed by the next call).' },
        max_cost: { type: 'number', minimum: 0, description: 'Refuse when the estimate is over this many dollars.' },
      },
      additionalProperties: false,
    },
    annotations: { title: 'Fill docs images', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
];
