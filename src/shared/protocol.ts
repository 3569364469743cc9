// Messages between the extension host and the panel's webview. Imported by both sides; no
// run-time dependency on `vscode`. Every message from the webview is validated on arrival.
import type { AspectRatio, ImageSize } from '../gemini/types';
import { isAspectRatio, isImageSize, type GenerationChoices } from './choices';
import type { GalleryRecord, PendingGeneration } from './gallery';

export type { GenerationChoices, PendingGeneration };

/**
 * One generated image as the panel shows it: its gallery record, less what only the host uses
 * (the absolute path, the references), plus where the webview loads it from.
 */
export interface GalleryImage extends Omit<GalleryRecord, 'path' | 'refinable' | 'references'> {
  /** Workspace-relative path for display (or absolute, outside a workspace). */
  displayPath: string;
  /** The webview URI of the file (asWebviewUri); filled in by the host for each render. */
  src: string;
  /** Whether Refine... can continue this image's conversation. */
  canRefine: boolean;
  /** The images an edit or combine started from (webview URIs for the thumbnails). */
  sources?: { name: string; src: string }[];
  /** The markdown file that links this image, when its description can become the link's alt text there. */
  altTextFor?: string;
  tokens?: number;
  /** Dollars (costFrom says whether from usage or estimated). */
  cost?: number;
}

export interface StyleChoice {
  id: string;
  name: string;
  description: string;
}


export interface StudioOptions {
  model: string;
  /** Estimated dollars per image by size for this model (the panel's estimate before a costly run). */
  pricePerImage?: Record<string, number>;
  aspectRatios: AspectRatio[];
  imageSizes: ImageSize[];
  supportsImageSize: boolean;
  counts: number[];
  styles: StyleChoice[];
  current: GenerationChoices;
}

export interface ReferenceChip {
  id: string;
  name: string;
  src: string;
}

export interface PanelStrings {
  [key: string]: string;
}

// #region to webview
export interface InitMessage {
  type: 'init';
  images: GalleryImage[];
  pending: PendingGeneration[];
  strings: PanelStrings;
  options: StudioOptions;
  references: ReferenceChip[];
  /** The image to scroll to and highlight. */
  focus?: string;
}
export interface ImagesAddedMessage {
  type: 'imagesAdded';
  images: GalleryImage[];
  focus?: string;
}
export interface ImagesRemovedMessage {
  type: 'imagesRemoved';
  ids: string[];
}
export interface ImageUpdatedMessage {
  type: 'imageUpdated';
  image: GalleryImage;
}
export interface PendingMessage {
  type: 'pending';
  pending: PendingGeneration[];
}
export interface ReferencesMessage {
  type: 'references';
  references: ReferenceChip[];
}
export interface OptionsMessage {
  type: 'options';
  options: StudioOptions;
}
export interface PromptMessage {
  type: 'prompt';
  /** Fill the studio's prompt box (Remix, Copy to box). */
  prompt: string;
  choices?: Partial<GenerationChoices>;
}
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'error';
  text: string;
}
export type ToWebview =
  | InitMessage
  | ImagesAddedMessage
  | ImagesRemovedMessage
  | ImageUpdatedMessage
  | PendingMessage
  | ReferencesMessage
  | OptionsMessage
  | PromptMessage
  | NoticeMessage;
// #endregion

// #region from webview
export const IMAGE_ACTIONS = [
  'insert',
  'open',
  'reveal',
  'copyLink',
  'copyPrompt',
  'regenerate',
  'refine',
  'useAsReference',
  'describe',
  'useAsAltText',
  'delete',
] as const;
export type ImageAction = (typeof IMAGE_ACTIONS)[number];

export interface ReadyMessage {
  type: 'ready';
}
export interface ImageActionMessage {
  type: 'action';
  action: ImageAction;
  id: string;
}
export interface GenerateMessage {
  type: 'generate';
  prompt: string;
  choices: GenerationChoices;
}
export interface AddReferenceMessage {
  type: 'addReference';
}
export interface RemoveReferenceMessage {
  type: 'removeReference';
  id: string;
}
/** An image file dropped on the panel: reopen the prompt box with the prompt it carries. */
export interface RemixDropMessage {
  type: 'remixDrop';
  uri: string;
}
export type FromWebview = ReadyMessage | ImageActionMessage | GenerateMessage | AddReferenceMessage | RemoveReferenceMessage | RemixDropMessage;
// #endregion

const ID = /^[\w-]{1,64}$/;
const MAX_PROMPT = 20_000;

function isChoices(v: unknown): v is GenerationChoices {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  return (
    isAspectRatio(c.aspectRatio) &&
    isImageSize(c.imageSize) &&
    typeof c.count === 'number' && Number.isInteger(c.count) && c.count >= 1 && c.count <= 8 &&
    typeof c.styleId === 'string' && c.styleId.length <= 200
  );
}

/** Checks a message from the webview; anything else is dropped. */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'addReference':
      return { type: 'addReference' };
    case 'removeReference':
      return typeof m.id === 'string' && ID.test(m.id) ? { type: 'removeReference', id: m.id } : undefined;
    case 'action':
      return typeof m.action === 'string' && (IMAGE_ACTIONS as readonly string[]).includes(m.action) && typeof m.id === 'string' && ID.test(m.id)
        ? { type: 'action', action: m.action as ImageAction, id: m.id }
        : undefined;
    case 'generate':
      return typeof m.prompt === 'string' && m.prompt.trim() && m.prompt.length <= MAX_PROMPT && isChoices(m.choices)
        ? { type: 'generate', prompt: m.prompt, choices: { ...m.choices } }
        : undefined;
    case 'remixDrop':
      // Only a file URI; the host still checks it is an image inside the workspace.
      return typeof m.uri === 'string' && m.uri.length <= 4096 && /^file:\/\//i.test(m.uri) ? { type: 'remixDrop', uri: m.uri } : undefined;
    default:
      return undefined;
  }
}
