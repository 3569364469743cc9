// Soak: 200 generations through the stand-in server, 8 at a time, with about 5% injected faults.
// Every success must be on disk intact (a strict PNG decode, and the very bytes the server sent),
// every failure a GeminiError, no temporary file left, every name unique, no existing file
// overwritten, and the heap back near where it started.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GeminiClient } from '../../src/gemini/client';
import { GeminiError } from '../../src/gemini/errors';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { forEachBounded, generateImages } from '../../src/generation/generateImages';
import { isTempFileName } from '../../src/workspace/imageStore';
import { startFakeGemini, type Behaviour, type FakeGemini } from '../support/fakeGemini';
import { decodePng } from '../support/fakeGemini/inspect';
import { captureLog, listFiles, tempDir } from '../support/tempWorkspace';
import { prng } from '../support/testHelpers';

const KEY = 'soak-key-Rb71';
const MODEL = 'gemini-nano-banana-2.1';
const GENERATIONS = 200;
const CONCURRENCY = 8;
const IMAGE: Behaviour = { kind: 'image', bytes: 64_000, text: '', chunkSize: 16 * 1024 };
const NAMES = ['harbour', 'lighthouse', '灯塔', 'a fox (red)'];
/** 10 faults among the first 200 answers (5%), two of each retryable kind, the rest final. */
const FAULTS: Behaviour[] = [
  { kind: 'unavailable', headers: { 'retry-after': '0.05' } },
  { kind: 'unavailable' },
  { kind: 'rateLimited', retryDelaySeconds: 0.05 },
  { kind: 'rateLimited', retryDelaySeconds: 0.1 },
  { kind: 'reset' },
  { kind: 'reset', afterBytes: 100 },
  { kind: 'truncated' },
  { kind: 'badBase64' },
  { kind: 'promptBlocked' },
  { kind: 'promptBlocked', blockReason: 'PROHIBITED_CONTENT' },
];
const FINAL_FAULT_KINDS = new Set(['truncated', 'badBase64', 'promptBlocked']);

let server: FakeGemini;
let dir: { path: string; cleanup(): void };

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY], recordBodies: false });
  dir = tempDir('gis-soak-');
});
after(async () => {
  await server.close();
  await closeDispatchers();
  dir.cleanup();
});

/** A real collection when the runtime lets us ask for one; otherwise a few turns of the loop. */
function collector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** The JS heap, and the memory behind Buffers (where image bytes live). */
async function settledMemory(gc: (() => void) | undefined): Promise<{ heap: number; buffers: number }> {
  for (let i = 0; i < 5; i++) {
    gc?.();
    await nextTurn();
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test(`${GENERATIONS} generations, ${CONCURRENCY} at a time, with 5% faults: nothing lost, nothing left, nothing leaked`, { timeout: 120_000 }, async () => {
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
  const random = prng(seed);
  const context = `(seed ${seed}; replay with SOAK_SEED=${seed})`;
  const images = join(dir.path, 'images');
  mkdirSync(images, { recursive: true });
  // Files that were there before: they must come through untouched.
  const existing = new Map<string, string>();
  for (const name of NAMES) {
    const file = join(images, `${name}-2.png`);
    writeFileSync(file, `precious ${name}`);
    existing.set(file, `precious ${name}`);
  }

  const log = captureLog();
  const client = new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 1, timeoutMs: 20_000, log });
  const generate = (index: number, name = NAMES[index % NAMES.length]) =>
    generateImages({
      client,
      model: MODEL,
      request: buildImageRequest({ prompt: `soak ${index}`, model: MODEL }),
      count: 1,
      targetPath: (ext) => join(images, `${name}.${ext}`),
      tempDir: images,
    });

  // Warm up (JIT, pools, the server's encoders), then take the baseline.
  server.setDefault(IMAGE);
  await forEachBounded(CONCURRENCY, CONCURRENCY, async (i) => void (await generate(i, 'warm-up')));
  const warmFiles = new Set(listFiles(dir.path));
  server.reset();
  server.setDefault(IMAGE);
  const gc = collector();
  const baseline = await settledMemory(gc);

  // The faults land on random answers among the first 200; retries and the rest get the default image.
  const queue: Behaviour[] = Array.from({ length: GENERATIONS }, () => IMAGE);
  const slots = new Set<number>();
  while (slots.size < FAULTS.length) slots.add(Math.floor(random() * GENERATIONS));
  [...slots].forEach((slot, i) => (queue[slot] = FAULTS[i]));
  server.enqueue(...queue);

  const successes: { index: number; path: string; byteLength: number }[] = [];
  const failures: { index: number; error: unknown }[] = [];
  const started = Date.now();
  await forEachBounded(GENERATIONS, CONCURRENCY, async (index) => {
    try {
      const result = await generate(index);
      assert.equal(result.images.length, 1);
      successes.push({ index, path: result.images[0].path, byteLength: result.images[0].byteLength });
    } catch (error) {
      failures.push({ index, error });
    }
  });
  const elapsed = Date.now() - started;

  // Every generation is accounted for, each failure as a GeminiError of a kind the faults explain.
  assert.equal(successes.length + failures.length, GENERATIONS, context);
  for (const { index, error } of failures) {
    assert.ok(error instanceof GeminiError, `generation ${index} failed with ${error} ${context}`);
    assert.ok(['server', 'rateLimited', 'network', 'badResponse', 'blocked'].includes(error.kind), `${index}: ${error.kind} ${error.message} ${context}`);
  }
  const finalFaults = FAULTS.filter((f) => FINAL_FAULT_KINDS.has(f.kind)).length;
  // A final fault always fails its generation; a retryable one only when the retry meets another fault.
  assert.ok(failures.length >= finalFaults && failures.length <= FAULTS.length, `${failures.length} failures ${context}`);
  // Each final fault is served to exactly one request (the queue is used up), and ends that generation.
  const kinds = failures.map((f) => (f.error as GeminiError).kind);
  assert.equal(kinds.filter((k) => k === 'blocked').length, 2, context);
  assert.equal(kinds.filter((k) => k === 'badResponse').length, 2, context);
  const requests = server.requests.length;
  assert.ok(requests >= GENERATIONS && requests <= GENERATIONS + FAULTS.length, `${requests} requests ${context}`);

  // Every success is on disk, a valid PNG, byte for byte one the server sent, and no two share a file.
  const sent = new Set(server.sentImages.map(sha));
  const seenHashes = new Set<string>();
  const paths = new Set<string>();
  for (const s of successes) {
    assert.ok(!paths.has(s.path), `two generations got ${s.path} ${context}`);
    paths.add(s.path);
    const bytes = readFileSync(s.path);
    assert.equal(bytes.length, s.byteLength, s.path);
    assert.doesNotThrow(() => decodePng(bytes), `${s.path} does not decode`);
    const hash = sha(bytes);
    assert.ok(sent.has(hash), `${s.path} holds bytes the server never sent ${context}`);
    assert.ok(!seenHashes.has(hash), `one image saved twice: ${s.path} ${context}`);
    seenHashes.add(hash);
    assert.ok(NAMES.some((n) => basename(s.path).startsWith(n)), s.path);
  }

  // Nothing else in the folder: no temporary file, no partial image, the old files untouched.
  const files = listFiles(dir.path).filter((f) => !warmFiles.has(f));
  assert.deepEqual(
    files.filter((f) => isTempFileName(basename(f))),
    [],
    'temporary files left behind',
  );
  assert.equal(files.length, successes.length, `${files.length} files for ${successes.length} successes ${context}`);
  for (const [file, content] of existing) assert.equal(readFileSync(file, 'utf8'), content, `${file} was overwritten`);
  for (const f of files) assert.ok(statSync(join(dir.path, f)).size > 0, f);
  assert.ok(!log.lines.some((l) => l.includes(KEY)), 'the key is not in the log');

  // Memory: what the run held is released (the server's copies of the images too).
  server.reset();
  const settled = await settledMemory(gc);
  const mb = (n: number) => n / 1024 / 1024;
  const growthMb = mb(settled.heap - baseline.heap);
  const buffersMb = mb(settled.buffers - baseline.buffers);
  console.log(
    `soak: ${successes.length} saved, ${failures.length} failed (${kinds.join(', ')}), ${requests} requests, ${elapsed} ms, heap ${growthMb.toFixed(1)} MB, buffers ${buffersMb.toFixed(1)} MB (${gc ? 'after gc' : 'no gc available'}) ${context}`,
  );
  assert.ok(growthMb < (gc ? 20 : 50), `the heap grew by ${growthMb.toFixed(1)} MB ${context}`);
  assert.ok(buffersMb < (gc ? 20 : 50), `buffers grew by ${buffersMb.toFixed(1)} MB ${context}`);
});
