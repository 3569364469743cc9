// The prompt box: prompt, style, aspect ratio, size, count, the reference chips and Generate.
import { formatDollars } from '../src/shared/money';
import type { AspectRatio, ImageSize } from '../src/gemini/types';
import { el, host, saveState, showNotice, state, t } from './state';

export const composer = el('form', 'composer');
const referencesRow = el('div', 'references');

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

export function renderComposer(): void {
  if (!state.options || !state.choices) return;
  const c = state.choices;
  composer.replaceChildren();
  composer.setAttribute('aria-label', t('composer'));

  const prompt = el('textarea');
  prompt.id = 'prompt';
  prompt.rows = 3;
  prompt.placeholder = t('promptPlaceholder');
  prompt.setAttribute('aria-label', t('prompt'));
  prompt.value = state.draft;
  prompt.addEventListener('input', () => {
    state.draft = prompt.value;
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
    select('style', t('style'), state.options.styles.map((s) => s.id), c.styleId, (v) => (c.styleId = v), (v) => state.options?.styles.find((s) => s.id === v)?.name ?? v),
    select('aspectRatio', t('aspectRatio'), state.options.aspectRatios, c.aspectRatio, (v) => (c.aspectRatio = v as AspectRatio)),
  );
  const estimate = el('span', 'estimate');
  estimate.setAttribute('aria-live', 'polite');
  const showEstimate = () => {
    const prices = state.options?.pricePerImage ?? {};
    const price = prices[state.options?.supportsImageSize ? c.imageSize : '1K'] ?? prices['1K'];
    estimate.textContent = price === undefined ? '' : `${t('estimate')} ${formatDollars(price * c.count)}`;
  };
  if (state.options.supportsImageSize) {
    row.append(select('imageSize', t('imageSize'), state.options.imageSizes, c.imageSize, (v) => {
      c.imageSize = v as ImageSize;
      showEstimate();
    }));
  }
  row.append(select('count', t('count'), state.options.counts.map(String), String(c.count), (v) => {
    c.count = Number(v);
    showEstimate();
  }));
  showEstimate();

  const generate = el('button', 'primary', t('generate'));
  generate.id = 'generate';
  generate.type = 'submit';
  generate.title = t('generateHint');
  const actions = el('div', 'composer-actions');
  const addRef = el('button', 'secondary', t('addReference'));
  addRef.type = 'button';
  addRef.addEventListener('click', () => host.postMessage({ type: 'addReference' }));
  actions.append(addRef, el('span', 'model', state.options.model), estimate, generate);

  composer.append(prompt, row, referencesRow, actions);
  setGenerating(state.generating);
  renderReferences();
  composer.onsubmit = (e) => {
    e.preventDefault();
    submit();
  };
}

function submit(): void {
  // One press, one generation: the button stays off until the host says this one has ended.
  if (state.generating) return;
  const prompt = (document.getElementById('prompt') as HTMLTextAreaElement).value;
  if (!prompt.trim() || !state.choices) {
    showNotice('error', t('emptyPrompt'));
    return;
  }
  setGenerating(true);
  host.postMessage({ type: 'generate', prompt, choices: { ...state.choices } });
}

export function setGenerating(on: boolean): void {
  state.generating = on;
  const button = document.getElementById('generate') as HTMLButtonElement | null;
  if (!button) return;
  button.disabled = on;
  button.textContent = on ? t('generating') : t('generate');
  button.setAttribute('aria-busy', String(on));
}

export function renderReferences(): void {
  referencesRow.replaceChildren();
  if (!state.references.length) return;
  referencesRow.append(el('span', 'field-label', t('references')));
  for (const r of state.references) {
    const chip = el('span', 'chip');
    const img = el('img');
    img.src = r.src;
    img.alt = '';
    const remove = el('button', 'icon', '×');
    remove.type = 'button';
    remove.title = `${t('removeReference')} ${r.name}`;
    remove.setAttribute('aria-label', remove.title);
    remove.addEventListener('click', () => host.postMessage({ type: 'removeReference', id: r.id }));
    chip.append(img, el('span', undefined, r.name), remove);
    referencesRow.append(chip);
  }
}
