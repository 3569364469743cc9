// The host's gallery: what the pipeline and the commands tell it reaches the view the panel
// registered (and nothing breaks without one); a refine's result changes only what it changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gallery, type GalleryView } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import type { GalleryRecord } from '../../src/shared/gallery';

function memento() {
  const values = new Map<string, unknown>();
  return { get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()] } as never;
}

const record = (id: string, extra: Partial<GalleryRecord> = {}): GalleryRecord => ({ id, path: `/w/${id}.png`, prompt: id, model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: '2026-01-01T00:00:00.000Z', texts: [], ...extra });

function recordingView(log: string[]): GalleryView {
  return {
    showImages: async (r) => void log.push(`show ${r.map((x) => x.id).join(',')}`),
    updateImage: async (r) => void log.push(`update ${r.id} v${r.version} ${r.description ?? ''}`.trim()),
    removeImages: async (ids) => void log.push(`remove ${ids.join(',')}`),
    setPending: async (p) => void log.push(`pending [${p.map((x) => x.prompt).join(',')}]`),
    updatePending: async (p) => void log.push(`draft ${p.prompt} ${(p.drafts ?? []).map((d) => `${d.index}:${d.src.slice(0, 22)}`).join(',')} ${p.text ?? ''}`.trim()),
    setPrompt: async (prompt) => void log.push(`prompt ${prompt}`),
    notice: async (level, text) => void log.push(`${level} ${text}`),
    setHidden: async (count) => void log.push(`hidden ${count}`),
  };
}

test('a refine result marks its source v1 without undoing a description added meanwhile', async () => {
  const store = new GalleryStore(memento());
  await store.add([record('a')]);
  const log: string[] = [];
  const revealed: (string | undefined)[] = [];
  const gallery = new Gallery(store, (focus) => void revealed.push(focus));
  gallery.attach(recordingView(log));
  gallery.addPending('p1', { prompt: 'make it orange', count: 1 });
  // The job started with the old snapshot of "a"; the user described it while it ran.
  const snapshot = store.get('a')!;
  await gallery.update('a', { description: 'a lighthouse' });
  await gallery.resolvePending('p1', [record('b', { conversationId: 'a', version: 2 })], [{ ...snapshot, conversationId: 'a', version: 1 }]);
  assert.deepEqual(store.get('a'), { ...snapshot, description: 'a lighthouse', conversationId: 'a', version: 1 });
  // The view opens as the generation starts (its pending card shows), then on the result.
  assert.deepEqual(revealed, [undefined, 'b']);
  assert.deepEqual(log, ['pending [make it orange]', 'update a vundefined a lighthouse', 'pending []', 'show b', 'update a v1 a lighthouse']);
});

test('without a view nothing fails; once detached, the panel hears nothing more', async () => {
  const store = new GalleryStore(memento());
  const gallery = new Gallery(store, () => undefined);
  gallery.addPending('p', { prompt: 'x', count: 2 });
  await gallery.resolvePending('p', [record('c')]);
  await gallery.notice('error', 'nobody listens');
  const log: string[] = [];
  const attached = gallery.attach(recordingView(log));
  await gallery.remove('c');
  attached.dispose();
  await gallery.setPrompt('later');
  assert.deepEqual(log, ['remove c']);
  assert.deepEqual(store.all(), []);
  assert.deepEqual(gallery.pending(), []);
});
