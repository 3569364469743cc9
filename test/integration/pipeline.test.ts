// The whole generation pipeline against the stand-in server, with no VS Code: the jobs the
// palette, refine and edit send, failures, Cancel, and two generations overlapping.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { StudioError } from '../../src/core/studioError';
import { Gallery, type GalleryView } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import { GeminiError } from '../../src/gemini/errors';
import { generate } from '../../src/generation/pipeline';
import type { GenerationJob } from '../../src/generation/ports';
import type { PendingGeneration } from '../../src/shared/gallery';
import { dir, KEY, server, useStandIn } from '../support/generateImagesHarness';
import { makeImage } from '../support/fakeGemini/images';
import { pipelineHarness } from '../support/pipelineHarness';
import { captureLog, listFiles } from '../support/tempWorkspace';

useStandIn();

const job = (prompt: string, extra: Partial<GenerationJob> = {}): GenerationJob => ({ prompt, options: { aspectRatio: '16:9', imageSize: '1K', count: 1 }, ...extra });
const harness = (extra: Partial<Parameters<typeof pipelineHarness>[0]> = {}) => pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, ...extra });

describe('the pipeline, as the palette uses it', () => {
  test('images on disk, one record each, the pending card resolved with them, links and progress', async () => {
    const h = harness();
    const outcome = await generate(job('Flat illustration of a red fox', { userPrompt: 'a red fox', styleName: 'Flat', options: { aspectRatio: '16:9', imageSize: '1K', count: 2 } }), h.deps);
    assert.ok(outcome);
    assert.equal(outcome.records.length, 2);
    assert.deepEqual(listFiles(dir.path), ['images/a-red-fox-1.png', 'images/a-red-fox.png']);
    assert.equal(existsSync(join(dir.path, 'drafts')), false, 'no drafts folder for a reply without draft images');
    const [first] = outcome.records;
    assert.equal(first.prompt, 'a red fox');
    assert.equal(first.sentPrompt, 'Flat illustration of a red fox');
    assert.equal(first.styleName, 'Flat');
    assert.equal(first.refinable, true);
    assert.deepEqual(
      h.sink.events.map((e) => e.type),
      ['add', 'resolve'],
    );
    const [added, resolved] = h.sink.events;
    assert.deepEqual(added.type === 'add' && [added.prompt, added.count], ['a red fox', 2]);
    assert.equal(resolved.id, added.id);
    assert.deepEqual(resolved.type === 'resolve' && resolved.records, outcome.records);
    assert.deepEqual(h.links, [outcome.records.map((r) => ({ path: r.path, prompt: 'a red fox' }))]);
    assert.deepEqual(h.progress.map((p) => p.type), ['started', 'saved', 'saved']);
    assert.equal(server.requests.filter((r) => r.path.endsWith(':generateContent')).length, 2);
    assert.equal(h.conversations.size, 2);
  });

  test('a link that cannot be inserted (the editor closed) costs the link, never the records', async () => {
    const h = harness();
    h.deps.links = { insert: async () => Promise.reject(new Error('The editor is closed.')) };
    await assert.rejects(generate(job('a red fox', { options: { aspectRatio: '1:1', imageSize: '1K', count: 2 } }), h.deps), /editor is closed/);
    assert.deepEqual(h.sink.events.map((e) => e.type), ['add', 'resolve']);
    const resolved = h.sink.events[1];
    assert.deepEqual(resolved.type === 'resolve' && resolved.records.map((r) => r.path.slice(dir.path.length + 1)).sort(), listFiles(dir.path));
  });

  test('no key: nothing is sent, no card appears', async () => {
    const h = harness({ apiKey: undefined });
    assert.equal(await generate(job('a fox'), h.deps), undefined);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(h.sink.events, []);
  });
});

describe('edit and refine jobs', () => {
  test('an edit sends its references once asked; too many are asked about once, and a No sends nothing', async () => {
    const refs = Array.from({ length: 15 }, (_, i) => i + 1).map((n) => {
      const p = join(dir.path, `ref${n}.png`);
      writeFileSync(p, makeImage({ mimeType: 'image/png', width: 16, height: 16, seed: n }).bytes);
      return p;
    });
    const no = harness({ answer: false });
    assert.equal(await generate(job('combine them', { references: refs }), no.deps), undefined);
    assert.deepEqual(no.questions, [{ model: 'gemini-nano-banana-2.1', max: 14, count: 15 }]);
    assert.equal(server.requests.length, 0);

    const yes = harness({ answer: true });
    const outcome = await generate(job('combine them', { references: refs }), yes.deps);
    assert.equal(yes.questions.length, 1, 'asked once');
    const body = server.requests.at(-1)!.body as { contents: { parts: { inlineData?: { data: string } }[] }[] };
    const sent = body.contents[0].parts.filter((p) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data, 'base64'));
    assert.deepEqual(sent, refs.map((p) => readFileSync(p)));
    assert.deepEqual(outcome?.records[0].references, refs);
  });

  test('a refine continues the conversation: version 2, the source becomes v1', async () => {
    const h = harness({ model: 'gemini-3-pro-image' });
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const first = await generate(job('a lighthouse'), h.deps);
    const source = first!.records[0];
    const refined = await generate(job('make the sky orange', { refineOf: source }), h.deps);
    const record = refined!.records[0];
    assert.equal(record.version, 2);
    assert.equal(record.conversationId, source.id);
    const resolved = h.sink.events.at(-1)!;
    assert.deepEqual(resolved.type === 'resolve' && resolved.updated.map((u) => [u.id, u.version, u.conversationId]), [[source.id, 1, source.id]]);
    const turns = (server.requests.at(-1)!.body as { contents: { role: string }[] }).contents.map((c) => c.role);
    assert.deepEqual(turns, ['user', 'model', 'user']);
  });

  test('a refine of a 2K image is recorded and priced as 2K, whatever the settings\' size', async () => {
    const h = harness({ model: 'gemini-nano-banana-2.1' });
    const first = await generate(job('a lighthouse', { options: { aspectRatio: '16:9', imageSize: '2K', count: 1 } }), h.deps);
    const source = first!.records[0];
    // The panel's Refine passes the settings' size (1K here): the conversation's 2K is what is sent.
    const refined = await generate(job('make the sky orange', { refineOf: source }), h.deps);
    const sent = server.requests.at(-1)!.body as { generationConfig?: { imageConfig?: { imageSize?: string } } };
    assert.equal(sent.generationConfig?.imageConfig?.imageSize, '2K');
    assert.equal(refined!.records[0].cost, source.cost);
    assert.equal(refined!.records[0].cost, 0.0504);
  });
});

describe('failures and Cancel', () => {
  test('a GIF or unreadable reference is our own typed failure, not the reply; the card goes', async () => {
    const gif = join(dir.path, 'anim.gif');
    writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    const h = harness();
    await assert.rejects(generate(job('edit', { references: [gif] }), h.deps), (e: unknown) => e instanceof StudioError && e.code === 'notAnImage' && e.details.file === 'anim.gif');
    await assert.rejects(generate(job('edit', { references: [join(dir.path, 'missing.png')] }), h.deps), (e: unknown) => e instanceof StudioError && e.code === 'fileUnreadable' && e.details.file === 'missing.png');
    assert.deepEqual(h.sink.events.map((e) => e.type), ['add', 'fail', 'add', 'fail']);
    assert.equal(server.requests.length, 0);
  });

  test('a server error reaches the caller typed, and the pending card is failed', async () => {
    const h = harness();
    server.enqueue({ kind: 'permission' });
    await assert.rejects(generate(job('a fox'), h.deps), (e: unknown) => e instanceof GeminiError && e.kind === 'permission');
    assert.deepEqual(h.sink.events.map((e) => e.type), ['add', 'fail']);
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('a proxy\'s 502 is retried as a proxy\'s answer, not as "Gemini is busy"', async () => {
    const h = harness();
    h.deps.settings = { ...h.deps.settings, maxRetries: 1 };
    server.enqueue({ kind: 'proxyHtml', status: 502 });
    await generate(job('a fox'), h.deps);
    const retry = h.progress.find((p) => p.type === 'retry');
    assert.deepEqual(retry && retry.type === 'retry' && [retry.reason, retry.status], ['proxy', 502]);
  });

  test('Cancel aborts the request; nothing is left on disk', async () => {
    const h = harness();
    server.enqueue({ kind: 'image', delayMs: 5_000 });
    const running = generate(job('a slow fox'), h.deps);
    setTimeout(() => h.cancel(), 200);
    await assert.rejects(running, (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    await server.idle();
    assert.deepEqual(h.sink.events.map((e) => e.type), ['add', 'fail']);
    assert.deepEqual(listFiles(dir.path).filter((f) => !f.startsWith('drafts/')), []);
  });
});

describe('overlapping generations', () => {
  test('each keeps its pending card until its own images arrive', async () => {
    const memento = new Map<string, unknown>();
    const store = new GalleryStore({ get: (k: string, d?: unknown) => (memento.has(k) ? memento.get(k) : d), update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()] } as never);
    const shown: PendingGeneration[][] = [];
    const view: GalleryView = {
      setPending: async (p) => void shown.push(p.map((x) => ({ ...x }))),
      updatePending: async () => undefined,
      showImages: async () => undefined,
      updateImage: async () => undefined,
      removeImages: async () => undefined,
      setPrompt: async () => undefined,
      notice: async () => undefined,
      setHidden: async () => undefined,
    };
    const gallery = new Gallery(store, () => undefined);
    gallery.attach(view);
    const h = harness({ gallery, log: captureLog() });
    server.enqueue({ kind: 'image', delayMs: 1_500 }, { kind: 'image', delayMs: 300 });
    const slow = generate(job('the slow one'), h.deps);
    await new Promise((r) => setTimeout(r, 100));
    const fast = generate(job('the fast one'), h.deps);
    await fast;
    // The fast one is done; the slow one's card must still be there.
    assert.deepEqual(gallery.pending().map((p) => p.prompt), ['the slow one']);
    assert.deepEqual(shown.at(-1)!.map((p) => p.prompt), ['the slow one']);
    assert.ok(shown.some((list) => list.length === 2), 'both cards were shown at once');
    await slow;
    assert.deepEqual(shown.at(-1), []);
    assert.deepEqual(store.all().map((r) => r.prompt).sort(), ['the fast one', 'the slow one']);
  });
});
