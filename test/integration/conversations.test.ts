// The refine conversations: one file per reply under the extension's storage (never workspace
// state), moved there from earlier versions' workspace state, gone with the last record that uses
// them, and Refine never offered once one is gone.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConversationStore, LEGACY_KEY } from '../../src/gallery/conversationStore';
import { Gallery } from '../../src/gallery/gallery';
import { GalleryStore, MAX_RECORDS } from '../../src/gallery/galleryStore';
import { startConversation, type Conversation } from '../../src/gemini/conversation';
import { generate } from '../../src/generation/pipeline';
import type { GenerationJob } from '../../src/generation/ports';
import { conversationKey, type GalleryRecord } from '../../src/shared/gallery';
import { dir, KEY, server, useStandIn } from '../support/generateImagesHarness';
import { pipelineHarness } from '../support/pipelineHarness';
import { listFiles } from '../support/tempWorkspace';

useStandIn();

function memento(values = new Map<string, unknown>()) {
  return { values, get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void (v === undefined ? values.delete(k) : values.set(k, v)), keys: () => [...values.keys()] };
}

const job = (prompt: string, extra: Partial<GenerationJob> = {}): GenerationJob => ({ prompt, options: { aspectRatio: '1:1', imageSize: '1K', count: 1 }, ...extra });
const files = (folder: string) => (existsSync(folder) ? readdirSync(folder).sort() : []);
const conversation = (prompt: string): Conversation => startConversation({ endpoint: { baseUrl: 'https://x.example/v1beta', apiKey: 'k', authStyle: 'x-goog-api-key' }, model: 'gemini-3-pro-image', prompt });
const record = (id: string, replyId?: string): GalleryRecord => ({ id, replyId, path: `/w/${id}.png`, prompt: id, model: 'm', byteLength: 1, mimeType: 'image/png', createdAt: '2026-01-01T00:00:00.000Z', texts: [], refinable: true });

describe('refine conversations on disk', () => {
  test('a reply of two images stores its conversation once, in a file; either image refines from it', async () => {
    const folder = join(dir.path, 'storage', 'conversations');
    const store = new ConversationStore(folder);
    const sets: string[] = [];
    const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, model: 'gemini-3-pro-image' });
    h.deps.conversations = { get: (k) => store.get(k), set: (k, c) => (sets.push(k), store.set(k, c)) };
    server.enqueue({ kind: 'image', count: 2 });
    const first = await generate(job('two lighthouses'), h.deps);
    const [a, b] = first!.records;
    assert.equal(sets.length, 1, 'stored once for the reply');
    assert.equal(a.replyId, b.replyId);
    assert.deepEqual(files(folder), [`${a.replyId}.json`]);
    const refined = await generate(job('make the sky orange', { refineOf: b }), h.deps);
    assert.equal(refined!.records[0].version, 2);
    const turns = (server.requests.at(-1)!.body as { contents: { role: string }[] }).contents.map((c) => c.role);
    assert.deepEqual(turns, ['user', 'model', 'user']);
  });

  test('conversations an earlier version kept in workspace state move to files and still refine', async () => {
    const folder = join(dir.path, 'conversations');
    const state = memento(new Map([[LEGACY_KEY, { old1: conversation('a fox'), old2: conversation('a hare'), broken: { nonsense: true } }]]));
    const store = new ConversationStore(folder, state as never);
    assert.equal(await store.has('old1'), true, 'known before the move');
    assert.equal((await store.get('old1'))?.turns[0].role, 'user');
    assert.deepEqual(files(folder), ['old1.json', 'old2.json']);
    assert.equal(state.values.has(LEGACY_KEY), false, 'workspace state no longer holds them');
    assert.equal((await new ConversationStore(folder, state as never).get('old2'))?.model, 'gemini-3-pro-image');
    // A record made before replies had ids finds its conversation under its own id.
    assert.equal(conversationKey(record('old1')), 'old1');
  });

  test('a conversation goes with the last record that uses it, also when the cap pushes records out', async () => {
    const folder = join(dir.path, 'conversations');
    const conversations = new ConversationStore(folder);
    const store = new GalleryStore(memento() as never, (gone, kept) => conversations.release(gone, kept));
    await Promise.all(['r1', 'r2'].map((k) => conversations.set(k, conversation(k))));
    await store.add([record('a', 'r1'), record('b', 'r1'), record('c', 'r2')]);
    await store.remove('a');
    assert.deepEqual(files(folder), ['r1.json', 'r2.json'], 'b still uses r1');
    await store.remove('b');
    assert.deepEqual(files(folder), ['r2.json']);
    // MAX_RECORDS newer records push "c" out, and its conversation with it.
    await store.add(Array.from({ length: MAX_RECORDS }, (_, i) => record(`n${i}`)));
    assert.equal(store.get('c'), undefined);
    assert.deepEqual(files(folder), []);
  });

  test('draft images go with the last conversation that names them, never a workspace file', async () => {
    const drafts = join(dir.path, 'drafts');
    const conversations = new ConversationStore(join(dir.path, 'conversations'), undefined, drafts);
    const store = new GalleryStore(memento() as never, (gone, kept) => conversations.release(gone, kept));
    const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, model: 'gemini-3-pro-image' });
    h.deps.conversations = conversations;
    server.enqueue({ kind: 'image', thoughtImages: 1 }, { kind: 'image', thoughtImages: 1 });
    const [v1] = (await generate(job('a lighthouse'), h.deps))!.records;
    const [v2] = (await generate(job('make the sky orange', { refineOf: v1 }), h.deps))!.records;
    await store.add([v1, v2]);
    const draftFiles = () => listFiles(drafts).filter((f) => /\.(png|jpe?g|webp)$/.test(f));
    assert.equal(draftFiles().length, 2);
    await store.remove(v1.id);
    assert.equal(draftFiles().length, 2, 'v2 sends v1\'s drafts back too: kept');
    await store.remove(v2.id);
    assert.deepEqual(draftFiles(), []);
    assert.ok(existsSync(v1.path) && existsSync(v2.path), 'the images themselves are the user\'s');
  });

  test('Refine is not offered for a record whose conversation is gone', async () => {
    const conversations = new ConversationStore(join(dir.path, 'conversations'));
    await conversations.set('kept', conversation('kept'));
    const store = new GalleryStore(memento() as never);
    await store.add([record('x', 'kept'), record('y', 'lost')]);
    const gallery = new Gallery(store, () => undefined, conversations);
    const { shown } = await gallery.visible(async () => true);
    assert.deepEqual(shown.map((r) => [r.id, r.refinable]).sort(), [['x', true], ['y', false]]);
    assert.equal(await gallery.canRefine(store.get('y')!), false);
  });
});
