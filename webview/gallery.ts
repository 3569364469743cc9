// The toolbar (title, search) and the gallery: pending cards, then the images, newest first.
import { GALLERY_MIME } from '../src/shared/constants';
import { formatDollars } from '../src/shared/money';
import type { GalleryImage, ImageAction, PendingGeneration } from '../src/shared/protocol';
import { el, host, saveState, state, t } from './state';

export const toolbar = el('div', 'toolbar');
export const gallery = el('section', 'gallery');

export function renderToolbar(): void {
  toolbar.replaceChildren();
  toolbar.append(el('h1', undefined, t('title')));
  const search = el('input', 'search');
  search.type = 'search';
  search.placeholder = t('search');
  search.setAttribute('aria-label', t('search'));
  search.value = state.query;
  search.addEventListener('input', () => {
    state.query = search.value;
    saveState();
    renderGallery();
  });
  toolbar.append(search);
  const costs = state.images.map((i) => i.cost).filter((c): c is number => typeof c === 'number');
  if (costs.length) {
    const total = el('span', 'workspace-cost', `${t('workspaceCost')} ${formatDollars(costs.reduce((a, b) => a + b, 0))}`);
    total.setAttribute('role', 'status');
    toolbar.append(total);
  }
}

function matches(image: GalleryImage): boolean {
  const q = state.query.trim().toLowerCase();
  return !q || image.prompt.toLowerCase().includes(q) || (image.styleName ?? '').toLowerCase().includes(q);
}

/** Newest first; the versions of one refine conversation stay together, oldest to newest. */
function groups(list: GalleryImage[]): GalleryImage[][] {
  const byKey = new Map<string, GalleryImage[]>();
  for (const image of list) {
    const key = image.conversationId ?? image.id;
    const group = byKey.get(key);
    if (group) group.push(image);
    else byKey.set(key, [image]);
  }
  return [...byKey.values()].map((g) => g.slice().sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || a.createdAt.localeCompare(b.createdAt)));
}

export function renderGallery(): void {
  gallery.replaceChildren();
  gallery.setAttribute('aria-label', t('title'));
  for (const p of state.pending) gallery.append(pendingCard(p));
  const shown = state.images.filter(matches);
  for (const group of groups(shown)) {
    if (group.length === 1) {
      gallery.append(imageCard(group[0]));
    } else {
      const chain = el('div', 'chain');
      chain.setAttribute('role', 'group');
      chain.setAttribute('aria-label', `${t('versions')}: ${group[0].prompt}`);
      for (const image of group) chain.append(imageCard(image));
      gallery.append(chain);
    }
  }
  if (!state.pending.length && !shown.length) gallery.append(el('p', 'empty', state.images.length ? t('noMatch') : t('empty')));

  if (state.focusId) {
    const card = gallery.querySelector<HTMLElement>(`[data-id="${CSS.escape(state.focusId)}"]`);
    card?.classList.add('focused');
    // Only scroll when the card is out of sight: the prompt box stays in view otherwise.
    const top = card?.getBoundingClientRect().top ?? 0;
    if (card && (top > window.innerHeight - 80 || top < 0)) card.scrollIntoView({ block: 'nearest' });
  }
  saveState();
}

function pendingCard(p: PendingGeneration): HTMLElement {
  const card = el('article', 'card pending');
  card.setAttribute('aria-busy', 'true');
  card.append(el('div', 'placeholder', p.count > 1 ? `${t('generating')} ×${p.count}` : t('generating')), el('p', 'prompt', p.prompt));
  return card;
}

function imageCard(image: GalleryImage): HTMLElement {
  const card = el('article', 'card');
  card.dataset.id = image.id;
  card.setAttribute('aria-label', image.prompt);

  const figure = el('figure');
  const img = el('img');
  img.src = image.src;
  img.alt = image.prompt;
  img.loading = 'lazy';
  img.draggable = true;
  if (image.width && image.height) {
    img.width = image.width;
    img.height = image.height;
  }
  // Dragging into a markdown editor drops a link (the host's drop provider knows this URI).
  img.addEventListener('dragstart', (e) => {
    e.dataTransfer?.setData('text/uri-list', image.src);
    e.dataTransfer?.setData(GALLERY_MIME, image.id);
  });
  figure.append(img);
  if (image.version) figure.append(el('span', 'badge', `v${image.version}`));
  card.append(figure);

  const body = el('div', 'details');
  body.append(el('p', 'prompt', image.prompt));
  const meta = el('dl', 'meta');
  const add = (label: string, value: string | undefined) => {
    if (!value) return;
    meta.append(el('dt', undefined, label), el('dd', undefined, value));
  };
  add(t('model'), image.model);
  add(t('tokens'), image.tokens === undefined ? undefined : image.tokens.toLocaleString());
  add(t('cost'), image.cost === undefined ? undefined : formatDollars(image.cost));
  add(t('style'), image.styleName);
  add(t('size'), sizeText(image));
  add(t('created'), new Date(image.createdAt).toLocaleString());
  body.append(meta);
  if (image.sentPrompt) {
    const sent = el('details', 'sent-prompt');
    sent.append(el('summary', undefined, t('sentPrompt')), el('p', undefined, image.sentPrompt));
    body.append(sent);
  }
  body.append(el('p', 'path', image.displayPath));
  if (image.texts.length) {
    const said = el('blockquote', 'model-text');
    said.setAttribute('aria-label', t('modelSaid'));
    said.textContent = image.texts.join('\n');
    body.append(said);
  }
  if (image.description) {
    const description = el('div', 'description');
    description.append(el('span', 'field-label', t('description')), el('p', undefined, image.description));
    body.append(description);
  }

  const primary = el('div', 'actions');
  primary.append(button('insert', t('insert'), image.id, 'primary'));
  if (image.canRefine) primary.append(button('refine', t('refine'), image.id));
  primary.append(button('regenerate', t('regenerate'), image.id), button('open', t('open'), image.id));
  const more = el('div', 'actions more');
  more.append(
    button('reveal', t('reveal'), image.id),
    button('copyLink', t('copyLink'), image.id),
    button('copyPrompt', t('copyPrompt'), image.id),
    button('useAsReference', t('useAsReference'), image.id),
    button('describe', t('describe'), image.id),
    button('delete', t('delete'), image.id, 'danger'),
  );
  body.append(primary, more);
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

function button(action: ImageAction, label: string, id: string, kind: 'primary' | 'secondary' | 'danger' = 'secondary'): HTMLButtonElement {
  const b = el('button', kind, label);
  b.type = 'button';
  b.dataset.action = action;
  b.addEventListener('click', () => {
    state.focusId = id;
    host.postMessage({ type: 'action', action, id });
  });
  return b;
}
