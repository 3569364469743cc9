// Chaos: two generations, a describe and a panel reload at once, 50 times, against the stand-in
// server, with the gallery, its store (VS Code's workspace state: changed at once, written later)
// and the conversation files the editor uses. No record, description or conversation is lost.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConversationStore } from '../../src/gallery/conversationStore';
import { Gallery } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import { generate } from '../../src/generation/pipeline';
import { conversationKey, type GalleryRecord } from '../../src/shared/gallery';
import { closeDispatchers } from '../../src/gemini/http';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { pipelineHarness } from '../support/pipelineHarness';
import { tempDir } from '../support/tempWorkspace';

const KEY = 'test-key-Ch40';
let server: FakeGemini;
let dir: ReturnType<typeof tempDir>;

before(async () => {
  // The same reply bytes each time: the test measures the gallery, not the stand-in making PNGs.
  server = await startFakeGemini({ apiKeys: [KEY], prebuiltReplies: true, recordBodies: false, keepSentImages: false });
  dir = tempDir();
});
after(async () => {
  await server.close();
  await closeDispatchers();
  dir.cleanup();
});

const ROUNDS = 50;

function workspaceState() {
  const values = new Map<string, unknown>();
  return {
    get: (k: string, d?: unknown) => (values.has(k) ? structuredClone(values.get(k)) : d),
    update: async (k: string, v: unknown) => {
      values.set(k, structuredClone(v));
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    },
    keys: () => [...values.keys()],
  } as never;
}

const later = <T>(work: () => Promise<T>): Promise<T> => new Promise((resolve, reject) => setTimeout(() => work().then(resolve, reject), Math.random() * 30));

/** The panel's check of each file takes a while, as on a network share. */
const slowExists = async (p: string) => {
  await new Promise((r) => setTimeout(r, Math.random() * 10));
  return stat(p).then(
    () => true,
    () => false,
  );
};

test(`${ROUNDS} rounds of two generations, a describe and a panel reload at once lose nothing`, async () => {
  const conversations = new ConversationStore(join(dir.path, 'storage', 'conversations'));
  const store = new GalleryStore(workspaceState(), (gone, kept) => conversations.release(gone, kept));
  const gallery = new Gallery(store, () => undefined, conversations);
  const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, gallery });
  h.deps.conversations = conversations;
  // A record whose file is on another branch: a reload must neither show nor forget it.
  const elsewhere = join(dir.path, 'elsewhere.png');
  await store.add([{ path: elsewhere, prompt: 'on another branch', model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: new Date().toISOString(), texts: [] }]);
  const seed = join(dir.path, 'seed.png');
  writeFileSync(seed, 'png');
  const [described] = await store.add([{ path: seed, prompt: 'described', model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: new Date().toISOString(), texts: [] }]);

  const made: GalleryRecord[] = [];
  const descriptions: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // An image deleted behind the gallery's back: each reload finds a missing file.
    await store.add([{ path: join(dir.path, `deleted-${round}.png`), prompt: `deleted ${round}`, model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: new Date().toISOString(), texts: [] }]);
    const [one, two, , shown] = await Promise.all([
      generate({ prompt: `first ${round}`, options: { aspectRatio: '1:1', imageSize: '1K', count: 1 } }, h.deps),
      later(() => generate({ prompt: `second ${round}`, options: { aspectRatio: '1:1', imageSize: '1K', count: 2 } }, h.deps)),
      later(async () => {
        const text = `description ${round}`;
        descriptions.push(text);
        await gallery.update(described.id, { description: text });
      }),
      later(() => gallery.visible(slowExists)),
    ]);
    made.push(...one!.records, ...two!.records);
    assert.ok(!shown.shown.some((r) => r.path === elsewhere), 'a missing file stays hidden');
  }

  const kept = new Map(store.all().map((r) => [r.id, r]));
  assert.equal(made.length, ROUNDS * 3);
  const lost = made.filter((r) => !kept.has(r.id)).map((r) => r.prompt);
  assert.deepEqual(lost, [], 'every generated image has its record');
  assert.equal(kept.size, made.length + 2 + ROUNDS);
  assert.ok([...kept.values()].some((r) => r.path === elsewhere), 'the record of a missing file is still there');
  assert.equal(kept.get(described.id)?.description, descriptions.at(-1));
  for (const r of made) assert.ok(await conversations.has(conversationKey(r)), `the conversation of ${r.prompt}`);
  const final = await gallery.visible(slowExists);
  assert.deepEqual([final.shown.length, final.hidden], [made.length + 1, ROUNDS + 1]);
});
