// The gallery's records survive whatever runs at once (a panel loading, two generations ending,
// a description arriving), and a missing file hides its record instead of deleting it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gallery } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import type { GalleryRecord } from '../../src/shared/gallery';

/** VS Code's workspace state: the value changes at once, the write to disk lands later. */
function memento(writeDelayMs = 0) {
  const values = new Map<string, unknown>();
  return {
    get: (k: string, d?: unknown) => (values.has(k) ? structuredClone(values.get(k)) : d),
    update: async (k: string, v: unknown) => {
      values.set(k, structuredClone(v));
      await new Promise((r) => setTimeout(r, writeDelayMs));
    },
    keys: () => [...values.keys()],
  } as never;
}

/** A storage whose reads see a write only once it has landed (the worst case for read-change-write). */
function slowStorage() {
  const values = new Map<string, unknown>();
  return {
    get: (k: string, d?: unknown) => (values.has(k) ? structuredClone(values.get(k)) : d),
    update: async (k: string, v: unknown) => {
      await new Promise((r) => setTimeout(r, 5));
      values.set(k, structuredClone(v));
    },
    keys: () => [...values.keys()],
  } as never;
}

const record = (id: string, path = `/nowhere/${id}.png`): GalleryRecord => ({ id, path, prompt: id, model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: '2026-01-01T00:00:00.000Z', texts: [] });

const slowExists = async (p: string): Promise<boolean> => {
  await new Promise((r) => setTimeout(r, 20));
  return stat(p).then(
    () => true,
    () => false,
  );
};

function folder(): { path: string; file(name: string): string; done(): void } {
  const path = mkdtempSync(join(tmpdir(), 'gallery-store-'));
  return {
    path,
    file: (name) => {
      const p = join(path, name);
      writeFileSync(p, 'png');
      return p;
    },
    done: () => rmSync(path, { recursive: true, force: true }),
  };
}

test('a generation or a describe that ends while the panel loads keeps its record', async () => {
  const dir = folder();
  try {
    const store = new GalleryStore(memento());
    await store.add([record('gone'), record('here', dir.file('here.png'))]);
    const gallery = new Gallery(store, () => undefined);
    // The panel's load checks every file while a generation ends and a description arrives.
    const loading = gallery.visible(slowExists);
    await gallery.resolvePending('p', [record('new', dir.file('new.png'))]);
    await gallery.update('here', { description: 'a lighthouse' });
    await loading;
    assert.deepEqual(store.all().map((r) => r.id).sort(), ['gone', 'here', 'new']);
    assert.equal(store.get('here')?.description, 'a lighthouse');
  } finally {
    dir.done();
  }
});

test('writes at once on a slow storage all land: adds, updates and removes', async () => {
  const store = new GalleryStore(slowStorage());
  await store.add([record('a'), record('b')]);
  await Promise.all([store.add([record('c')]), store.update('a', { description: 'x' }), store.add([record('d')]), store.remove('b'), store.update('c', { version: 2 })]);
  assert.deepEqual(store.all().map((r) => r.id).sort(), ['a', 'c', 'd']);
  assert.equal(store.get('a')?.description, 'x');
  assert.equal(store.get('c')?.version, 2);
});

test('a missing file hides its record; it shows again when the file is back; only the user forgets it', async () => {
  const dir = folder();
  try {
    const forgotten: string[][] = [];
    const store = new GalleryStore(memento(), async (gone) => void forgotten.push(gone.map((r) => r.id)));
    const path = join(dir.path, 'branch-only.png');
    await store.add([record('a', path), record('b', dir.file('b.png'))]);
    const gallery = new Gallery(store, () => undefined);
    // Another branch is checked out: the file is gone, the panel loads twice.
    assert.deepEqual(await gallery.visible(slowExists).then((v) => [v.shown.map((r) => r.id), v.hidden]), [['b'], 1]);
    assert.deepEqual((await gallery.visible(slowExists)).hidden, 1);
    assert.deepEqual(store.all().map((r) => r.id).sort(), ['a', 'b'], 'nothing forgotten by loading');
    // Back on the branch: the file is there again, and so is its card.
    writeFileSync(path, 'png');
    assert.deepEqual(await gallery.visible(slowExists).then((v) => [v.shown.map((r) => r.id).sort(), v.hidden]), [['a', 'b'], 0]);
    // Gone again, and this time the user asks to forget it: only it goes, with its conversation.
    rmSync(path);
    const log: string[] = [];
    gallery.attach({ setHidden: async (n: number) => void log.push(`hidden ${n}`) } as never);
    assert.equal(await gallery.forgetMissing(slowExists), 1);
    assert.deepEqual(store.all().map((r) => r.id), ['b']);
    assert.deepEqual(forgotten, [['a']]);
    assert.deepEqual(log, ['hidden 0']);
    assert.equal(await gallery.forgetMissing(slowExists), 0);
  } finally {
    dir.done();
  }
});

test('forgetting missing files keeps a record added while the files were checked', async () => {
  const dir = folder();
  try {
    const store = new GalleryStore(memento());
    await store.add([record('gone')]);
    const forgetting = store.forgetMissing(slowExists);
    await store.add([record('new', join(dir.path, 'not-yet-written.png'))]);
    assert.deepEqual((await forgetting).map((r) => r.id), ['gone']);
    assert.deepEqual(store.all().map((r) => r.id), ['new']);
  } finally {
    dir.done();
  }
});
