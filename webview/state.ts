// The panel's state, kept between renders (and, for the draft, the search and the focus, across
// reloads through the webview's own state), and the small DOM helpers every part uses.
import type { FromWebview, GalleryImage, GenerationChoices, PanelStrings, PendingGeneration, ReferenceChip, StudioOptions } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  focusId?: string;
  draft?: string;
  query?: string;
}

/** The host: acquireVsCodeApi may be called once only. */
export const host = acquireVsCodeApi();
const saved = (host.getState() as SavedState | undefined) ?? {};

export const state: {
  strings: PanelStrings;
  images: GalleryImage[];
  pending: PendingGeneration[];
  references: ReferenceChip[];
  options: StudioOptions | undefined;
  focusId: string | undefined;
  query: string;
  draft: string;
  choices: GenerationChoices | undefined;
  /** Records hidden because their file is missing. */
  hidden: number;
  /** A Generate is on its way to the host: another press would pay twice. */
  generating: boolean;
} = {
  strings: {},
  images: [],
  pending: [],
  references: [],
  options: undefined,
  focusId: saved.focusId,
  query: saved.query ?? '',
  draft: saved.draft ?? '',
  choices: undefined,
  hidden: 0,
  generating: false,
};

export const t = (key: string): string => state.strings[key] ?? key;

export function saveState(): void {
  host.setState({ focusId: state.focusId, draft: state.draft, query: state.query } satisfies SavedState);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const notices = el('div', 'notices');

export function showNotice(level: 'info' | 'error', text: string): void {
  const notice = el('div', `notice ${level}`, text);
  notice.setAttribute('role', level === 'error' ? 'alert' : 'status');
  notices.prepend(notice);
  setTimeout(() => notice.remove(), 8000);
}
