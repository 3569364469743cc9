// One image's card: the picture, its facts, the sources it was made from, and its actions: a
// primary row and a "More" menu that works from the keyboard (arrows, Home/End, Escape).
import { formatDollars } from '../src/shared/money';
import { GALLERY_MIME } from '../src/shared/constants';
import type { GalleryImage, ImageAction } from '../src/shared/protocol';
import { el, host, state, t } from './state';

export function imageCard(image: GalleryImage): HTMLElement {
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
  if (image.sources?.length) body.append(sourcesRow(image.sources));
  const meta = el('dl', 'meta');
  const add = (label: string, value: string | undefined) => {
    if (!value) return;
    meta.append(el('dt', undefined, label), el('dd', undefined, value));
  };
  add(t('model'), image.modelRetires ? `${image.model} · ${t('retires')} ${image.modelRetires}` : image.model);
  add(t('tokens'), image.tokens === undefined ? undefined : image.tokens.toLocaleString());
  const tier = image.serviceTier && image.serviceTier !== 'standard' ? ` (${t(image.serviceTier)})` : '';
  add(t(image.costFrom === 'usage' ? 'costFromUsage' : 'cost'), image.cost === undefined ? undefined : formatDollars(image.cost) + tier);
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
    if (image.altTextFor) description.append(button('useAsAltText', t('useAsAltText'), image.id));
    body.append(description);
  }

  const primary = el('div', 'actions');
  primary.append(button('insert', t('insert'), image.id, 'primary'));
  if (image.canRefine) primary.append(button('refine', t('refine'), image.id));
  primary.append(button('regenerate', t('regenerate'), image.id), moreMenu(image.id));
  body.append(primary);
  card.append(body);
  return card;
}

/** The images an edit or combine started from, as small thumbnails with their names. */
function sourcesRow(sources: NonNullable<GalleryImage['sources']>): HTMLElement {
  const row = el('div', 'sources');
  row.append(el('span', 'field-label', t('sources')));
  for (const source of sources) {
    const item = el('figure', 'source');
    const thumb = el('img');
    thumb.src = source.src;
    thumb.alt = source.name;
    thumb.loading = 'lazy';
    item.append(thumb, el('figcaption', undefined, source.name));
    row.append(item);
  }
  return row;
}

const MORE_ACTIONS: [ImageAction, string, 'secondary' | 'danger'][] = [
  ['open', 'open', 'secondary'],
  ['reveal', 'reveal', 'secondary'],
  ['copyLink', 'copyLink', 'secondary'],
  ['copyPrompt', 'copyPrompt', 'secondary'],
  ['useAsReference', 'useAsReference', 'secondary'],
  ['describe', 'describe', 'secondary'],
  ['delete', 'delete', 'danger'],
];

/** A menu button (WAI-ARIA menu button pattern): Enter, Space or ArrowDown opens it on its first item. */
function moreMenu(id: string): HTMLElement {
  const wrap = el('div', 'more-menu');
  const toggle = el('button', 'secondary more-toggle', t('more'));
  toggle.type = 'button';
  toggle.setAttribute('aria-haspopup', 'menu');
  toggle.setAttribute('aria-expanded', 'false');
  const menu = el('div', 'menu');
  menu.setAttribute('role', 'menu');
  menu.hidden = true;
  const items = MORE_ACTIONS.map(([action, label, kind]) => {
    const item = button(action, t(label), id, kind);
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    return item;
  });
  menu.append(...items);
  const focusItem = (index: number) => items[(index + items.length) % items.length].focus();
  const close = (refocus: boolean) => {
    menu.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    if (refocus) toggle.focus();
  };
  const open = (index: number) => {
    menu.hidden = false;
    // Near the bottom or the right of the view the popup opens upwards or leftwards, not past the panel's edge.
    const at = toggle.getBoundingClientRect();
    menu.classList.toggle('above', at.bottom + menu.offsetHeight + 4 > window.innerHeight && at.top > menu.offsetHeight + 4);
    menu.classList.toggle('end', at.left + menu.offsetWidth > window.innerWidth && at.right > menu.offsetWidth);
    toggle.setAttribute('aria-expanded', 'true');
    focusItem(index);
  };
  toggle.addEventListener('click', () => (menu.hidden ? open(0) : close(false)));
  toggle.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      open(e.key === 'ArrowDown' ? 0 : items.length - 1);
    }
  });
  menu.addEventListener('keydown', (e) => {
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focusItem(moves[e.key]);
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      close(e.key === 'Escape');
    }
  });
  menu.addEventListener('click', () => close(true));
  wrap.addEventListener('focusout', (e) => {
    if (!wrap.contains(e.relatedTarget as Node | null)) close(false);
  });
  wrap.append(toggle, menu);
  return wrap;
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
