// The panel's front-end: a prompt box with its options on top, the gallery below. It renders what
// the host sends and turns every click into a typed message; it never touches files itself.
import { fitChoices } from '../src/shared/choices';
import type { ToWebview } from '../src/shared/protocol';
import { composer, renderComposer, renderReferences, setGenerating } from './composer';
import { gallery, renderGallery, renderPending, renderToolbar, toolbar } from './gallery';
import { host, notices, saveState, showNotice, state } from './state';

const app = document.getElementById('app') as HTMLElement;

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      state.strings = message.strings;
      state.images = message.images;
      state.pending = message.pending;
      state.references = message.references;
      state.options = message.options;
      state.choices = fitChoices({ ...message.options.current }, message.options);
      // The panel opens at its top, the prompt box and the newest card in view; only an image the
      // host names (just made) is marked and scrolled to.
      state.focusId = message.focus;
      state.hidden = message.hidden;
      state.generating = false;
      renderAll();
      break;
    case 'hidden':
      state.hidden = message.count;
      renderToolbar();
      break;
    case 'generateDone':
      setGenerating(false);
      break;
    case 'imagesAdded':
      state.images = [...message.images, ...state.images.filter((i) => !message.images.some((m) => m.id === i.id))];
      state.focusId = message.focus ?? state.focusId;
      renderGallery(!!message.focus);
      break;
    case 'imagesRemoved':
      state.images = state.images.filter((i) => !message.ids.includes(i.id));
      renderGallery();
      break;
    case 'imageUpdated':
      state.images = state.images.map((i) => (i.id === message.image.id ? message.image : i));
      renderGallery();
      break;
    case 'pending':
      state.pending = message.pending;
      renderGallery();
      break;
    case 'pendingUpdated':
      renderPending(message.pending);
      break;
    case 'references':
      state.references = message.references;
      renderReferences();
      break;
    case 'options':
      state.options = message.options;
      // Another model may lack the choice shown so far: keep what it takes, replace what it lacks.
      state.choices = fitChoices({ ...message.options.current, ...state.choices }, message.options);
      renderComposer();
      break;
    case 'prompt':
      state.draft = message.prompt;
      if (state.choices && message.choices && state.options) state.choices = fitChoices({ ...state.choices, ...message.choices }, state.options);
      renderComposer();
      (document.getElementById('prompt') as HTMLTextAreaElement | null)?.focus();
      saveState();
      break;
    case 'notice':
      showNotice(message.level, message.text);
      break;
  }
});

function renderAll(): void {
  app.replaceChildren(composer, notices, toolbar, gallery);
  renderComposer();
  renderToolbar();
  renderGallery(!!state.focusId);
  if (!state.focusId) window.scrollTo(0, 0);
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
  host.postMessage({ type: 'remixDrop', uri });
});

host.postMessage({ type: 'ready' });
