// The toolbar (title, search) and the gallery: pending cards, then the images, newest first.
import { formatDollars } from '../src/shared/money';
import type { GalleryImage, PendingGeneration } from '../src/shared/protocol';
import { imageCard } from './card';
import { el, host, saveState, state, t } from './state';

export const toolbar = el('div', 'toolbar');
// Cards scrolled into view stop below the sticky toolbar (panel.css reads this for scroll-padding-top).
new ResizeObserver(() => document.documentElement.style.setProperty('--toolbar-height', `${toolbar.offsetHeight}px`)).observe(toolbar);
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
  toolbar.append(search, total);
  renderTotal();
  if (state.hidden > 0) {
    const note = el('div', 'hidden-note');
    note.setAttribute('role', 'status');
    note.append(el('span', undefined, state.hidden === 1 ? t('hiddenOne') : t('hiddenMany').replace('{0}', String(state.hidden))));
    const forget = el('button', 'secondary', t('forgetMissing'));
    forget.type = 'button';
    forget.addEventListener('click', () => host.postMessage({ type: 'forgetMissing' }));
    note.append(forget);
    toolbar.append(note);
  }
}

// The workspace's cost follows every change of the records: new images, refines, edits, deletes.
const total = el('span', 'workspace-cost');
total.setAttribute('role', 'status');

function renderTotal(): void {
  const costs = state.images.map((i) => i.cost).filter((c): c is number => typeof c === 'number');
  total.hidden = !costs.length;
  total.textContent = costs.length ? `${t('workspaceCost')} ${formatDollars(costs.reduce((a, b) => a + b, 0))}` : '';
}

function matches(image: GalleryImage): boolean {
  const q = state.query.trim().toLowerCase();
  return !q || image.prompt.toLowerCase().includes(q) || (image.styleName ?? '').toLowerCase().includes(q);
}

/** Newest first (a group by its newest version); the versions of one refine conversation stay together, oldest to newest. */
function groups(list: GalleryImage[]): GalleryImage[][] {
  const byKey = new Map<string, GalleryImage[]>();
  for (const image of list) {
    const key = image.conversationId ?? image.id;
    const group = byKey.get(key);
    if (group) group.push(image);
    else byKey.set(key, [image]);
  }
  const newest = (g: GalleryImage[]) => g.reduce((a, i) => (i.createdAt > a ? i.createdAt : a), '');
  return [...byKey.values()]
    .map((g) => g.slice().sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || a.createdAt.localeCompare(b.createdAt)))
    .sort((a, b) => newest(b).localeCompare(newest(a)));
}

/** Renders the cards; `reveal` scrolls the focused card into view when it is out of sight (a new image), else the scroll stays. */
export function renderGallery(reveal = false): void {
  const scrolled = window.scrollY;
  renderTotal();
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
  // With images hidden (their files missing) the toolbar's note speaks instead of "No images yet".
  if (!state.pending.length && !shown.length && (state.images.length || !state.hidden)) gallery.append(el('p', 'empty', state.images.length ? t('noMatch') : t('empty')));

  if (state.focusId) {
    const card = gallery.querySelector<HTMLElement>(`[data-id="${CSS.escape(state.focusId)}"]`);
    card?.classList.add('focused');
    // Only scroll when the card is out of sight: the prompt box stays in view otherwise.
    const top = card?.getBoundingClientRect().top ?? 0;
    if (reveal && card && (top > window.innerHeight - 80 || top < toolbar.getBoundingClientRect().bottom)) card.scrollIntoView({ block: 'nearest' });
    else window.scrollTo(0, scrolled);
  } else window.scrollTo(0, scrolled);
  saveState();
}

function pendingCard(p: PendingGeneration): HTMLElement {
  const card = el('article', 'card pending');
  card.dataset.pending = p.id;
  card.setAttribute('aria-busy', 'true');
  const label = p.count > 1 ? `${t('generating')} ×${p.count}` : t('generating');
  const drafts = p.drafts ?? [];
  if (drafts.length === 0) {
    card.append(el('div', 'placeholder', label));
  } else {
    // Drafts are the model's sketches on the way: small, marked, and gone when the image arrives.
    const strip = el('div', 'placeholder drafts');
    for (const draft of drafts) {
      const figure = el('figure', 'draft');
      const img = el('img');
      img.src = draft.src;
      img.alt = t('draftAlt');
      img.decoding = 'async';
      figure.append(img, el('span', 'draft-badge', t('draft')));
      strip.append(figure);
    }
    strip.append(el('span', 'draft-status', label));
    card.append(strip);
  }
  card.append(el('p', 'prompt', p.prompt));
  if (p.text) card.append(el('p', 'pending-text', p.text));
  return card;
}

/** Redraws one running generation's card (a draft or words arrived), leaving the rest alone. */
export function renderPending(p: PendingGeneration): void {
  state.pending = state.pending.map((x) => (x.id === p.id ? p : x));
  const old = gallery.querySelector<HTMLElement>(`[data-pending="${CSS.escape(p.id)}"]`);
  if (old) old.replaceWith(pendingCard(p));
}
