// The panel's front-end: renders the gallery the host sends and turns clicks into typed messages.
import type { FromWebview, GalleryImage, ImageAction, PanelStrings, PendingGeneration, ToWebview } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let strings: PanelStrings = {};
let images: GalleryImage[] = [];
let pending: PendingGeneration[] = [];
let focusId: string | undefined;

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      images = message.images;
      pending = message.pending;
      focusId = message.focus;
      render();
      break;
    case 'imagesAdded':
      images = [...message.images, ...images.filter((i) => !message.images.some((m) => m.id === i.id))];
      focusId = message.focus ?? focusId;
      render();
      break;
    case 'pending':
      pending = message.pending;
      render();
      break;
    case 'notice':
      showNotice(message.level, message.text);
      break;
  }
});

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(): void {
  app.replaceChildren();
  const header = el('header', 'toolbar');
  header.append(el('h1', undefined, strings.title ?? 'Gemini Images'));
  app.append(header);

  const list = el('section', 'gallery');
  list.setAttribute('aria-label', strings.title ?? 'Gemini Images');
  for (const p of pending) list.append(pendingCard(p));
  for (const image of images) list.append(imageCard(image));
  if (!pending.length && !images.length) list.append(el('p', 'empty', strings.empty));
  app.append(list);

  if (focusId) {
    const card = document.querySelector<HTMLElement>(`[data-id="${CSS.escape(focusId)}"]`);
    card?.classList.add('focused');
    card?.scrollIntoView({ block: 'nearest' });
  }
  vscode.setState({ focusId });
}

function pendingCard(p: PendingGeneration): HTMLElement {
  const card = el('article', 'card pending');
  card.append(el('div', 'placeholder', strings.generating), el('p', 'prompt', p.prompt));
  return card;
}

function imageCard(image: GalleryImage): HTMLElement {
  const card = el('article', 'card');
  card.dataset.id = image.id;

  const figure = el('figure');
  const img = el('img');
  img.src = image.src;
  img.alt = image.prompt;
  img.loading = 'lazy';
  if (image.width && image.height) {
    img.width = image.width;
    img.height = image.height;
  }
  figure.append(img);
  card.append(figure);

  const body = el('div', 'details');
  body.append(el('p', 'prompt', image.prompt));
  const meta = el('dl', 'meta');
  const add = (label: string | undefined, value: string | undefined) => {
    if (!value) return;
    meta.append(el('dt', undefined, label ?? ''), el('dd', undefined, value));
  };
  add(strings.model, image.model);
  add(strings.size, sizeText(image));
  add(strings.created, new Date(image.createdAt).toLocaleString());
  body.append(meta);
  body.append(el('p', 'path', image.displayPath));
  if (image.texts.length) {
    const said = el('blockquote', 'model-text');
    said.setAttribute('aria-label', strings.modelSaid ?? '');
    said.textContent = image.texts.join('\n');
    body.append(said);
  }

  const actions = el('div', 'actions');
  actions.append(
    button('insert', strings.insert, image.id, true),
    button('open', strings.open, image.id),
    button('reveal', strings.reveal, image.id),
    button('copyLink', strings.copyLink, image.id),
  );
  body.append(actions);
  card.append(body);
  return card;
}

function sizeText(image: GalleryImage): string {
  const parts: string[] = [];
  if (image.width && image.height) parts.push(`${image.width}×${image.height}`);
  if (image.aspectRatio) parts.push(image.aspectRatio);
  if (image.imageSize) parts.push(image.imageSize);
  parts.push(formatBytes(image.byteLength));
  return parts.join(' · ');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function button(action: ImageAction, label: string | undefined, id: string, primary = false): HTMLButtonElement {
  const b = el('button', primary ? 'primary' : 'secondary', label ?? action);
  b.type = 'button';
  b.dataset.action = action;
  b.addEventListener('click', () => vscode.postMessage({ type: 'action', action, id }));
  return b;
}

function showNotice(level: 'info' | 'error', text: string): void {
  const notice = el('div', `notice ${level}`, text);
  notice.setAttribute('role', level === 'error' ? 'alert' : 'status');
  app.prepend(notice);
  setTimeout(() => notice.remove(), 8000);
}

const saved = vscode.getState() as { focusId?: string } | undefined;
focusId = saved?.focusId;
vscode.postMessage({ type: 'ready' });
