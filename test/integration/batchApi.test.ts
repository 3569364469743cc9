// The Batch API client against the stand-in: the wire shapes (Operation, BATCH_STATE_*, counts as
// strings, inline results doubled), list, cancel, delete, the results file streamed line by line,
// a create that is never retried, and the GET that times out for a large inline job.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { cancelBatch, createBatch, deleteBatch, findBatchByDisplayName, getBatch, isNoBatchRoute, listBatches, waitForBatch } from '../../src/gemini/batch';
import { forEachLine, openResultsFile } from '../../src/gemini/batchResults';
import { GeminiClient } from '../../src/gemini/client';
import { uploadFile } from '../../src/gemini/files';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink, parseBatchResultLine } from '../../src/gemini/responseParser';
import { startFakeGemini, type FakeBatchOptions, type FakeGemini } from '../support/fakeGemini';
import { rejectsWith } from '../support/testHelpers';

const KEY = 'batch-key-7Hq2';
const MODEL = 'gemini-3.1-flash-image';
let fake: FakeGemini;
const batch: FakeBatchOptions = {};

before(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY], batch });
});
after(async () => {
  await fake.close();
  await closeDispatchers();
});
beforeEach(() => {
  fake.reset();
  for (const k of Object.keys(batch)) delete batch[k as keyof FakeBatchOptions];
});

interface RawOperation {
  done: boolean;
  metadata: { '@type': string; batchStats: { requestCount: string }; output: { inlinedResponses: unknown } };
  response: { inlinedResponses: unknown };
}

const client = (timeoutMs = 10_000) => new GeminiClient({ endpoint: { baseUrl: fake.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, timeoutMs, maxRetries: 2 });
const requests = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, request: buildImageRequest({ prompt: `image ${i}`, model: MODEL, imageSize: '512' }) }));

test('an inline job: PENDING, RUNNING, SUCCEEDED over polls; counts as strings on the wire; results in response and metadata.output', async () => {
  batch.pendingPolls = 2;
  const c = client();
  const created = await createBatch(c, MODEL, 'inline test', { requests: requests(2) });
  assert.equal(created.state, 'BATCH_STATE_PENDING');
  assert.equal(created.stats.requestCount, 2);
  const states: string[] = [];
  const final = await waitForBatch(c, created.name, { initialDelayMs: 5, onUpdate: (j) => states.push(j.state) });
  assert.deepEqual(states, ['BATCH_STATE_PENDING', 'BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING', 'BATCH_STATE_SUCCEEDED']);
  assert.equal(final.stats.successfulRequestCount, 2);
  assert.deepEqual(final.inlinedResponses?.map((r) => r.key), ['k0', 'k1']);
  const raw = await fetch(`${fake.url}/v1beta/${created.name}`, { headers: { 'x-goog-api-key': KEY } }).then((r) => r.json() as Promise<RawOperation>);
  assert.equal(raw.metadata.batchStats.requestCount, '2');
  assert.equal(raw.metadata['@type'], 'type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch');
  assert.deepEqual(raw.response.inlinedResponses, raw.metadata.output.inlinedResponses);
  assert.equal(raw.done, true);
});

test('list finds a job by display name; cancel and delete', async () => {
  const c = client();
  const a = await createBatch(c, MODEL, 'first', { requests: requests(1) });
  const b = await createBatch(c, MODEL, 'second', { requests: requests(1) });
  assert.equal((await findBatchByDisplayName(c, 'first'))?.name, a.name);
  assert.equal((await listBatches(c, { pageSize: 1 })).jobs.length, 1);
  await cancelBatch(c, b.name);
  assert.equal((await getBatch(c, b.name)).state, 'BATCH_STATE_CANCELLED');
  await deleteBatch(c, b.name);
  await rejectsWith(getBatch(c, b.name), 'notFound');
});

test('the results file is streamed line by line; a line whose key comes after its response still parses', async () => {
  const c = client();
  const created = await createBatch(c, MODEL, 'file', { requests: requests(3) });
  batch.failKeys = ['k1'];
  const job = await waitForBatch(c, created.name, { initialDelayMs: 5 });
  assert.ok(job.inlinedResponses, 'inline input gives inline output');
  // File output: a file-input job.
  const jsonl = Buffer.from(requests(3).map((r) => `${JSON.stringify({ key: r.key, request: r.request })}\n`).join(''));
  const file = await uploadFile(c, jsonl, 'application/jsonl', 'input');
  const fileJob = await waitForBatch(c, (await createBatch(c, MODEL, 'file', { fileName: file.name })).name, { initialDelayMs: 5 });
  assert.match(fileJob.responsesFile ?? '', /^files\//);
  const seen: { key?: string; images: number; error?: string }[] = [];
  batch.downloadChunkDelayMs = 1;
  batch.downloadChunkSize = 1000;
  await forEachLine(await openResultsFile(c, fileJob.responsesFile!), async (line) => {
    const parsed = await parseBatchResultLine(line, memorySink());
    seen.push({ key: parsed.key, images: parsed.reply?.images.length ?? 0, error: parsed.error?.message });
  });
  assert.deepEqual(seen.map((s) => [s.key, s.images, !!s.error]), [
    ['k0', 1, false],
    ['k1', 0, true],
    ['k2', 1, false],
  ]);
  const reordered = Buffer.from(`\n${JSON.stringify({ response: { candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: fake.sentImages[0].toString('base64') } }] }, finishReason: 'STOP' }] }, key: 'late' })}\n\n`);
  const lines: { key?: string; bytes?: Buffer }[] = [];
  const pieces = async function* () {
    yield reordered.subarray(0, 7);
    yield reordered.subarray(7);
  };
  await forEachLine(pieces(), async (line) => {
    const parsed = await parseBatchResultLine(line, memorySink());
    lines.push({ key: parsed.key, bytes: parsed.reply?.images[0].handle });
  });
  assert.deepEqual(lines, [{ key: 'late', bytes: fake.sentImages[0] }]);
});

test('a create is sent once, even when its answer never comes', async () => {
  batch.createDelayMs = 2000;
  await rejectsWith(createBatch(client(300), MODEL, 'slow', { requests: requests(1) }), 'timeout');
  assert.equal(fake.requests.filter((r) => r.path.endsWith(':batchGenerateContent')).length, 1);
  assert.ok(await findBatchByDisplayName(client(), 'slow'), 'the job exists and can be found by name');
});

test('a large inline job: the finished GET times out (504), as users of image batches hit', async () => {
  batch.inlineGetLimit = 2;
  batch.getTimeoutMs = 50;
  const c = client();
  const created = await createBatch(c, MODEL, 'big inline', { requests: requests(3) });
  const got504 = () => fake.requests.some((r) => r.path === `/v1beta/${created.name}` && r.status === 504);
  // Stopped once the stand-in has answered 504 (not after a fixed time, which a loaded machine may not reach).
  const stop = new AbortController();
  const watch = setInterval(() => got504() && stop.abort(), 10);
  try {
    const error = await rejectsWith(waitForBatch(c, created.name, { initialDelayMs: 5, maxDelayMs: 5, signal: AbortSignal.any([stop.signal, AbortSignal.timeout(30_000)]) }), 'cancelled');
    assert.ok(error);
  } finally {
    clearInterval(watch);
  }
  assert.ok(got504(), 'the stand-in answered 504 for the finished job');
});

test('a relay without the batch routes is recognised', async () => {
  batch.route = false;
  const e = await createBatch(client(), MODEL, 'x', { requests: requests(1) }).catch((err: unknown) => err);
  assert.ok(isNoBatchRoute(e));
  assert.ok(isNoBatchRoute(await listBatches(client()).catch((err: unknown) => err)));
});
