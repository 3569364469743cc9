// Messages between the extension host and the panel's webview. Imported by both sides; no
// run-time dependency on `vscode`. Every message from the webview is validated on arrival.

/** One generated image as the panel shows it. */
export interface GalleryImage {
  id: string;
  /** Workspace-relative path for display (or absolute, outside a workspace). */
  displayPath: string;
  /** The webview URI of the file (asWebviewUri); filled in by the host for each render. */
  src: string;
  prompt: string;
  model: string;
  aspectRatio?: string;
  imageSize?: string;
  width?: number;
  height?: number;
  byteLength: number;
  mimeType: string;
  /** ISO time. */
  createdAt: string;
  /** The model's words beside the image. */
  texts: string[];
}

/** A generation in progress, shown as a placeholder card. */
export interface PendingGeneration {
  id: string;
  prompt: string;
  count: number;
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
  /** The image to scroll to and highlight. */
  focus?: string;
}
export interface ImagesAddedMessage {
  type: 'imagesAdded';
  images: GalleryImage[];
  focus?: string;
}
export interface PendingMessage {
  type: 'pending';
  pending: PendingGeneration[];
}
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'error';
  text: string;
}
export type ToWebview = InitMessage | ImagesAddedMessage | PendingMessage | NoticeMessage;
// #endregion

// #region from webview
export type ImageAction = 'insert' | 'open' | 'reveal' | 'copyLink';
export interface ReadyMessage {
  type: 'ready';
}
export interface ImageActionMessage {
  type: 'action';
  action: ImageAction;
  id: string;
}
export type FromWebview = ReadyMessage | ImageActionMessage;
// #endregion

const ACTIONS: readonly ImageAction[] = ['insert', 'open', 'reveal', 'copyLink'];

/** Checks a message from the webview; anything else is dropped. */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'action' && typeof m.action === 'string' && (ACTIONS as readonly string[]).includes(m.action) && typeof m.id === 'string' && /^[\w-]{1,64}$/.test(m.id)) {
    return { type: 'action', action: m.action as ImageAction, id: m.id };
  }
  return undefined;
}
