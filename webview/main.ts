// The panel's front-end: a prompt box with its options on top, the gallery below. It renders what
// the host sends and turns every click into a typed message; it never touches files itself.
import type {
  FromWebview,
  GalleryImage,
  GenerationChoices,
  ImageAction,
  PanelStrings,
  PendingGeneration,
  ReferenceChip,
  StudioOptions,
  ToWebview,
} from '../src/shared/protocol';

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

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const saved = (vscode.getState() as SavedState | undefined) ?? {};

let strings: PanelStrings = {};
let images: GalleryImage[] = [];
let pending: PendingGeneration[] = [];
let references: ReferenceChip[] = [];
let options: StudioOptions | undefined;
let focusId = saved.focusId;
let query = saved.query ?? '';
let draft = saved.draft ?? '';
let choices: GenerationChoices | undefined;

const t = (key: string) => strings[key] ?? key;

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      images = message.images;
      pending = message.pending;
      references = message.references;
      options = message.options;
      choices = { ...message.options.current };
      focusId = message.focus ?? focusId;
      renderAll();
      break;
    case 'imagesAdded':
      images = [...message.images, ...images.filter((i) => !message.images.some((m) => m.id === i.id))];
      focusId = message.focus ?? focusId;
      renderGallery();
      break;
    case 'imagesRemoved':
      images = images.filter((i) => !message.ids.includes(i.id));
      renderGallery();
      break;
    case 'imageUpdated':
      images = images.map((i) => (i.id === message.image.id ? message.image : i));
      renderGallery();
      break;
    case 'pending':
      pending = message.pending;
      renderGallery();
      break;
    case 'references':
      references = message.references;
      renderReferences();
      break;
    case 'options':
      options = message.options;
      choices = { ...message.options.current, ...choices };
      renderComposer();
      break;
    case 'prompt':
      draft = message.prompt;
      if (choices && message.choices) choices = { ...choices, ...message.choices };
      renderComposer();
      (document.getElementById('prompt') as HTMLTextAreaElement | null)?.focus();
      saveState();
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

function saveState(): void {
  vscode.setState({ focusId, draft, query } satisfies SavedState);
}

// #region layout
const composer = el('form', 'composer');
const referencesRow = el('div', 'references');
const toolbar = el('div', 'toolbar');
const gallery = el('section', 'gallery');
const notices = el('div', 'notices');

new ResizeObserver(() => document.documentElement.style.setProperty('--toolbar-height', `${toolbar.offsetHeight}px`)).observe(toolbar);

function renderAll(): void {
  app.replaceChildren(composer, notices, toolbar, gallery);
  renderComposer();
  renderToolbar();
  renderGallery();
}
// #endregion

// #region composer
function select(id: string, label: string, values: string[], current: string, onChange: (v: string) => void, display?: (v: string) => string): HTMLElement {
  const wrap = el('label', 'field');
  wrap.append(el('span', 'field-label', label));
  const s = el('select');
  s.id = id;
  for (const v of values) {
    const o = el('option', undefined, display ? display(v) : v);
    o.value = v;
    o.selected = v === current;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  wrap.append(s);
  return wrap;
}

function renderComposer(): void {
  if (!options || !choices) return;
  const c = choices;
  composer.replaceChildren();
  composer.setAttribute('aria-label', t('composer'));

  const prompt = el('textarea');
  prompt.id = 'prompt';
  prompt.rows = 3;
  prompt.placeholder = t('promptPlaceholder');
  prompt.setAttribute('aria-label', t('prompt'));
  prompt.value = draft;
  prompt.addEventListener('input', () => {
    draft = prompt.value;
    saveState();
  });
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  });

  const row = el('div', 'options');
  row.append(
    select('style', t('style'), options.styles.map((s) => s.id), c.styleId, (v) => (c.styleId = v), (v) => options?.styles.find((s) => s.id === v)?.name ?? v),
    select('aspectRatio', t('aspectRatio'), options.aspectRatios, c.aspectRatio, (v) => (c.aspectRatio = v)),
  );
  if (options.supportsImageSize) row.append(select('imageSize', t('imageSize'), options.imageSizes, c.imageSize, (v) => (c.imageSize = v)));
  row.append(select('count', t('count'), options.counts.map(String), String(c.count), (v) => (c.count = Number(v))));

  const generate = el('button', 'primary', t('generate'));
  generate.type = 'submit';
  generate.title = t('generateHint');
  const actions = el('div', 'composer-actions');
  const addRef = el('button', 'secondary', t('addReference'));
  addRef.type = 'button';
  addRef.addEventListener('click', () => vscode.postMessage({ type: 'addReference' }));
  actions.append(addRef, el('span', 'model', options.model), generate);

  composer.append(prompt, row, referencesRow, actions);
  renderReferences();
  composer.onsubmit = (e) => {
    e.preventDefault();
    submit();
  };
}

function submit(): void {
  const prompt = (document.getElementById('prompt') as HTMLTextAreaElement).value;
  if (!prompt.trim() || !choices) {
    showNotice('error', t('emptyPrompt'));
    return;
  }
  vscode.postMessage({ type: 'generate', prompt, choices: { ...choices } });
}

function renderReferences(): void {
  referencesRow.replaceChildren();
  if (!references.length) return;
  referencesRow.append(el('span', 'field-label', t('references')));
  for (const r of references) {
    const chip = el('span', 'chip');
    const img = el('img');
    img.src = r.src;
    img.alt = '';
    const remove = el('button', 'icon', '×');
    remove.type = 'button';
    remove.title = `${t('removeReference')} ${r.name}`;
    remove.setAttribute('aria-label', remove.title);
    remove.addEventListener('click', () => vscode.postMessage({ type: 'removeReference', id: r.id }));
    chip.append(img, el('span', undefined, r.name), remove);
    referencesRow.append(chip);
  }
}
// #endregion

// #region toolbar
function renderToolbar(): void {
  toolbar.replaceChildren();
  toolbar.append(el('h1', undefined, t('title')));
  const search = el('input', 'search');
  search.type = 'search';
  search.placeholder = t('search');
  search.setAttribute('aria-label', t('search'));
  search.value = query;
  search.addEventListener('input', () => {
    query = search.value;
    saveState();
    renderGallery();
  });
  toolbar.append(search);
}
// #endregion

// #region gallery
function matches(image: GalleryImage): boolean {
  const q = query.trim().toLowerCase();
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

function renderGallery(): void {
  gallery.replaceChildren();
  gallery.setAttribute('aria-label', t('title'));
  for (const p of pending) gallery.append(pendingCard(p));
  const shown = images.filter(matches);
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
  if (!pending.length && !shown.length) gallery.append(el('p', 'empty', images.length ? t('noMatch') : t('empty')));

  if (focusId) {
    const card = gallery.querySelector<HTMLElement>(`[data-id="${CSS.escape(focusId)}"]`);
    card?.classList.add('focused');
    // Only scroll when the card is out of sight: the prompt box stays in view otherwise.
    const top = card?.getBoundingClientRect().top ?? 0;
    if (card && (top > window.innerHeight - 80 || top < toolbar.getBoundingClientRect().bottom)) card.scrollIntoView({ block: 'nearest' });
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
    e.dataTransfer?.setData('application/vnd.gemini-image-studio.image', image.id);
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
    focusId = id;
    vscode.postMessage({ type: 'action', action, id });
  });
  return b;
}
// #endregion

function showNotice(level: 'info' | 'error', text: string): void {
  const notice = el('div', `notice ${level}`, text);
  notice.setAttribute('role', level === 'error' ? 'alert' : 'status');
  notices.prepend(notice);
  setTimeout(() => notice.remove(), 8000);
}

// An image file dropped on the panel (Shift+drag from the Explorer) reopens its prompt.
document.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.some((t) => t === 'text/uri-list' || t === 'application/vnd.code.uri-list')) e.preventDefault();
});
document.addEventListener('drop', (e) => {
  const list = e.dataTransfer?.getData('application/vnd.code.uri-list') || e.dataTransfer?.getData('text/uri-list') || '';
  const uri = list
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.startsWith('file:'));
  if (!uri) return;
  e.preventDefault();
  vscode.postMessage({ type: 'remixDrop', uri });
});

vscode.postMessage({ type: 'ready' });
