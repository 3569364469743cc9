// Images the docs made are in the gallery like any other (issue 25, item 3): with their prompt,
// size, style and cost; a regenerate over the same file is the next version of the same card, with
// the new prompt, size and style, and the old record goes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { docsRecord } from '../../src/gallery/docsRecords';
import { Gallery, type GalleryView } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import type { GalleryRecord } from '../../src/shared/gallery';

function memento() {
  const values = new Map<string, unknown>();
  return { get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()] } as never;
}

const FILE = '/w/docs/images/lighthouse.png';

test('a docs image becomes a record with its prompt, options, style and cost', () => {
  const { record, replaces } = docsRecord(
    { path: FILE, byteLength: 1234, meta: { version: 1, prompt: 'Watercolor: a lighthouse', userPrompt: 'a lighthouse', style: 'Watercolor', model: 'gemini-3-pro-image', aspectRatio: '16:9', imageSize: '2K', createdAt: '2026-12-01T10:00:00.000Z' } },
    [],
  );
  assert.deepEqual(replaces, []);
  assert.equal(record.path, FILE);
  assert.equal(record.prompt, 'a lighthouse');
  assert.equal(record.sentPrompt, 'Watercolor: a lighthouse');
  assert.equal(record.styleName, 'Watercolor');
  assert.equal(record.aspectRatio, '16:9');
  assert.equal(record.imageSize, '2K');
  assert.equal(record.mimeType, 'image/png');
  assert.equal(record.createdAt, '2026-12-01T10:00:00.000Z');
  assert.equal(record.cost, 0.134);
  assert.equal(record.version, undefined);
  const batch = docsRecord({ path: FILE, byteLength: 1, batch: true, meta: { version: 1, prompt: 'p', model: 'gemini-3-pro-image', imageSize: '2K' } }, []);
  assert.equal(batch.record.cost, 0.067);
});

test('a regenerate over the same file is the next version of the same card, with the new prompt, size and style', async () => {
  const store = new GalleryStore(memento());
  const log: string[] = [];
  const gallery = new Gallery(store, () => undefined);
  const view: GalleryView = {
    showImages: async (r) => void log.push(`show ${r.map((x) => `${x.prompt} v${x.version ?? 1}`).join(',')}`),
    updateImage: async () => undefined,
    removeImages: async (ids) => void log.push(`remove ${ids.length}`),
    setPending: async () => undefined,
    setPrompt: async () => undefined,
    notice: async () => undefined,
    setHidden: async () => undefined,
    updatePending: async () => undefined,
  };
  gallery.attach(view);
  const other: GalleryRecord = { id: 'other', path: '/w/docs/images/boat.png', prompt: 'a boat', model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: '2026-12-01T09:00:00.000Z', texts: [] };
  await store.add([other]);

  const first = docsRecord({ path: FILE, byteLength: 10, meta: { version: 1, prompt: 'a lighthouse', model: 'gemini-3-pro-image', aspectRatio: '1:1', imageSize: '1K' } }, gallery.all());
  await gallery.record(first.record, first.replaces);
  const second = docsRecord(
    { path: FILE, byteLength: 20, meta: { version: 1, prompt: 'Watercolor: a lighthouse at dawn', userPrompt: 'a lighthouse at dawn', style: 'Watercolor', model: 'gemini-3-pro-image', aspectRatio: '16:9', imageSize: '2K' } },
    gallery.all(),
  );
  assert.deepEqual(second.replaces, [first.record.id]);
  await gallery.record(second.record, second.replaces);

  const forFile = gallery.all().filter((r) => r.path === FILE);
  assert.equal(forFile.length, 1, 'one card for the file');
  const [card] = forFile;
  assert.equal(card.prompt, 'a lighthouse at dawn');
  assert.equal(card.aspectRatio, '16:9');
  assert.equal(card.imageSize, '2K');
  assert.equal(card.styleName, 'Watercolor');
  assert.equal(card.byteLength, 20);
  assert.equal(card.version, 2);
  assert.equal(card.conversationId, first.record.id);
  assert.deepEqual(gallery.all().map((r) => r.id), [card.id, 'other'], 'newest first, the other image kept');
  assert.deepEqual(log, ['show a lighthouse v1', 'remove 1', 'show a lighthouse at dawn v2']);

  const third = docsRecord({ path: FILE, byteLength: 30, meta: { version: 1, prompt: 'a lighthouse at night', model: 'gemini-3-pro-image' } }, gallery.all());
  assert.equal(third.record.version, 3);
  assert.equal(third.record.conversationId, first.record.id);
});
