// Interactive generations streamed (streamGenerateContent?alt=sse) through the whole pipeline,
// against the stand-in: drafts and words reach the gallery before the final image exists, Cancel
// closes the stream and leaves nothing, and relays without the route get generateContent,
// remembered per base URL.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import { generate } from '../../src/generation/pipeline';
import type { GenerationJob, PendingDraftImage } from '../../src/generation/ports';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { dir, KEY, server, useStandIn } from '../support/generateImagesHarness';
import { pipelineHarness, RecordingSink } from '../support/pipelineHarness';
import { withoutTextChunks } from '../support/pngChunks';
import { captureLog, listFiles } from '../support/tempWorkspace';

useStandIn();

/** A gallery that also takes drafts and words, noting what was on disk when the first draft came. */
class PreviewSink extends RecordingSink {
  readonly drafts: (PendingDraftImage & { at: number; filesThen: string[] })[] = [];
  readonly texts: string[] = [];
  resolvedAt = 0;
  onDraft?: () => void;
  draftPending(_id: string, draft: PendingDraftImage): void {
    this.drafts.push({ ...draft, at: Date.now(), filesThen: listFiles(join(dir.path, 'images')) });
    this.onDraft?.();
  }
  textPending(_id: string, _index: number, text: string): void {
    this.texts.push(text);
  }
  override async resolvePending(...args: Parameters<RecordingSink['resolvePending']>): Promise<void> {
    this.resolvedAt = Date.now();
    return super.resolvePending(...args);
  }
}

const job: GenerationJob = { prompt: 'a lighthouse at dawn', options: { aspectRatio: '1:1', imageSize: '1K', count: 1 } };
const setup = (baseUrl = server.url, extra: { streaming?: boolean } = {}) => {
  const gallery = new PreviewSink();
  const log = captureLog();
  const h = pipelineHarness({ baseUrl, apiKey: KEY, dir: dir.path, gallery, log, model: 'gemini-3-pro-image' });
  if (extra.streaming !== undefined) h.deps.settings = { ...h.deps.settings, streaming: extra.streaming };
  return { h, gallery, log };
};
const verbs = (s: FakeGemini) => s.requests.filter((r) => r.model).map((r) => `${r.path.split(':')[1]}${r.query.alt ? `?alt=${r.query.alt}` : ''} ${r.status}`);

describe('streamed generations', () => {
  test('the draft and the words reach the gallery before the final image exists; the final image is the API’s', async () => {
    server.enqueue({ kind: 'image', mimeType: 'image/png', thoughtImages: 1, finalDelayMs: 1500, text: 'Here is your lighthouse at dawn.' });
    const { h, gallery } = setup();
    const outcome = await generate(job, h.deps);
    assert.ok(outcome);
    assert.deepEqual(verbs(server), ['streamGenerateContent?alt=sse 200']);
    assert.equal(gallery.drafts.length, 1);
    const [draft] = gallery.drafts;
    assert.ok(draft.bytes.equals(server.sentThoughtImages[0]), 'the draft shown is the draft sent');
    assert.equal(draft.mimeType, 'image/png');
    assert.deepEqual(draft.filesThen, [], 'nothing in the destination folder, not even a temporary file, while the draft is shown');
    const sent = server.requests[0].events!;
    assert.deepEqual(sent.map((e) => e.kind), ['draft', 'text', 'text', 'image']);
    assert.ok(draft.at < sent[3].sentAt!, 'the draft was shown before the final image left the server');
    assert.ok(gallery.resolvedAt >= sent[3].sentAt!, 'the card was resolved only when the final image came');
    assert.deepEqual(gallery.texts, ['Here is your lighthouse ', 'Here is your lighthouse at dawn.'], 'the words as they came');
    // The final image is written as before; the draft is no result and not in the workspace.
    assert.deepEqual(outcome.records.map((r) => r.path), [join(dir.path, 'images', 'a-lighthouse-at-dawn.png')]);
    assert.ok(withoutTextChunks(readFileSync(outcome.records[0].path)).equals(server.sentImages[0]));
    assert.deepEqual(listFiles(join(dir.path, 'images')), ['a-lighthouse-at-dawn.png']);
    assert.deepEqual(outcome.records[0].texts, ['Here is your lighthouse at dawn.']);
    // Kept privately for a refine, which sends the turn back with every part as received.
    assert.equal(listFiles(join(dir.path, 'drafts')).length, 1);
    assert.equal(outcome.records[0].refinable, true);
  });

  test('a refine of a streamed image sends its turn back, signatures intact, and streams again', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 }, { kind: 'image', thoughtImages: 1 });
    const { h, gallery } = setup();
    const first = await generate(job, h.deps);
    const second = await generate({ ...job, prompt: 'make it stormy', refineOf: first!.records[0] }, h.deps);
    assert.ok(second);
    assert.deepEqual(verbs(server), ['streamGenerateContent?alt=sse 200', 'streamGenerateContent?alt=sse 200']);
    assert.equal(gallery.drafts.length, 2);
    assert.ok(withoutTextChunks(readFileSync(second.records[0].path)).equals(server.sentImages[1]));
  });

  test('Cancel while the final image is awaited closes the stream at once and writes nothing', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1, finalDelayMs: 10_000 });
    const { h, gallery } = setup();
    let cancelledAt = 0;
    gallery.onDraft = () => {
      cancelledAt = Date.now();
      h.cancel();
    };
    await assert.rejects(generate(job, h.deps), (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    await server.idle(2000);
    const [request] = server.requests;
    assert.equal(request.aborted, true, 'the server saw the stream closed');
    assert.ok(request.endedAt! - cancelledAt < 1000, `closed ${request.endedAt! - cancelledAt} ms after Cancel`);
    assert.deepEqual(request.events?.map((e) => e.kind), ['draft', 'text', 'text'], 'the final image was never sent');
    assert.deepEqual(listFiles(dir.path), [], 'no image, no temporary file, no stored draft');
    assert.deepEqual(gallery.events.map((e) => e.type), ['add', 'fail']);
  });

  test('a key echoed in the model’s words never reaches the card or the record', async () => {
    server.enqueue({ kind: 'image', text: `A relay echoes ${KEY} in its words, split over two events.` });
    const { h, gallery, log } = setup();
    const outcome = await generate(job, h.deps);
    assert.ok(gallery.texts.length >= 2, JSON.stringify(gallery.texts));
    for (const text of [...gallery.texts, ...outcome!.records[0].texts, ...log.lines]) assert.ok(!text.includes(KEY), text);
    assert.match(gallery.texts.at(-1)!, /A relay echoes \[REDACTED\] in its words/);
  });

  test('with geminiImage.streaming off, generateContent is used and no draft is shown', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const { h, gallery } = setup(server.url, { streaming: false });
    assert.ok(await generate(job, h.deps));
    assert.deepEqual(verbs(server), ['generateContent 200']);
    assert.equal(gallery.drafts.length, 0);
  });
});

describe('relays without streaming', () => {
  const relays: FakeGemini[] = [];
  const relay = async (streamRoute: 404 | 405 | 'reply') => {
    const s = await startFakeGemini({ apiKeys: [KEY], streamRoute });
    relays.push(s);
    return s;
  };
  after(() => Promise.all(relays.map((s) => s.close())));

  for (const route of [404, 405] as const) {
    test(`a ${route} on the streaming route: generateContent, remembered for that base URL and said once`, async () => {
      const missing = await relay(route);
      const { h, log } = setup(missing.url);
      const first = await generate(job, h.deps);
      const second = await generate(job, h.deps);
      assert.deepEqual(verbs(missing), [`streamGenerateContent?alt=sse ${route}`, 'generateContent 200', 'generateContent 200']);
      assert.ok(withoutTextChunks(readFileSync(second!.records[0].path)).equals(missing.sentImages[1]));
      assert.ok(first);
      assert.equal(log.lines.filter((l) => l.includes('does not stream')).length, 1, log.lines.join('\n'));
      // Another base URL is not affected.
      server.enqueue({ kind: 'image' });
      const other = setup(server.url);
      await generate(job, other.h.deps);
      assert.deepEqual(verbs(server), ['streamGenerateContent?alt=sse 200']);
    });
  }

  test('a relay that answers the streaming route with plain JSON: generateContent from then on', async () => {
    const plain = await relay('reply');
    const { h, log } = setup(plain.url);
    const outcome = await generate(job, h.deps);
    await generate(job, h.deps);
    assert.deepEqual(verbs(plain), ['streamGenerateContent?alt=sse 200', 'generateContent 200', 'generateContent 200']);
    assert.ok(withoutTextChunks(readFileSync(outcome!.records[0].path)).equals(plain.sentImages[1]));
    assert.ok(log.lines.some((l) => l.includes('does not stream (answered application/json)')), log.lines.join('\n'));
    assert.ok(!log.lines.join('\n').includes(KEY));
  });

  test('an unknown model answers 404 on both routes: the error is the model’s, and streaming is not forgotten', async () => {
    const { h } = setup(server.url);
    h.deps.settings = { ...h.deps.settings, model: 'gemini-no-such-image' };
    await assert.rejects(generate(job, h.deps), (e: unknown) => e instanceof GeminiError && e.kind === 'notFound');
    server.reset();
    const again = setup(server.url);
    await generate(job, again.h.deps);
    assert.deepEqual(verbs(server), ['streamGenerateContent?alt=sse 200']);
  });
});
