// Chaos: the CLI killed with SIGKILL at 20 random moments of a batch fill (before the create
// answers, after it, mid-download, mid-write), then run again. Every image must end up written
// once, from the one job made for it, with no partial file anywhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { removePngMetadata } from '../../src/core/pngMetadata';
import { cliEnv, createCalls, KEY, resultsByKey, runCli, startCli, writeDocsTree } from '../support/docsTree';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { listFiles, tempDir } from '../support/tempWorkspace';
import { prng } from '../support/testHelpers';

let fake: FakeGemini;
const dir = tempDir('gis-chaos-');
const ARGS = ['fill', 'docs', '--mode', 'batch', '--yes', '--model', 'gemini-3.1-flash-image', '--size', '512'];
const IMAGES = 3;

before(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY], batch: { createDelayMs: 80, pendingPolls: 1, runningPolls: 1, downloadChunkDelayMs: 5, downloadChunkSize: 8192, imageBytes: 40_000 } });
});
after(async () => {
  await fake.close();
  dir.cleanup();
});

function round(n: number) {
  const tree = writeDocsTree(path.join(dir.path, `ws-${n}`, 'repo'), IMAGES, ` round ${n}`);
  return { ...tree, env: cliEnv(fake, path.join(dir.path, `ws-${n}`, 'cache')) };
}

function assertFilled(ws: ReturnType<typeof round>, label: string) {
  const results = resultsByKey(fake);
  for (const rel of ws.images.keys()) {
    assert.equal(results.get(rel)?.length, 1, `${label}: ${rel} was in ${results.get(rel)?.length ?? 0} jobs' results`);
    assert.deepEqual(Buffer.from(removePngMetadata(readFileSync(path.join(ws.root, rel)))), results.get(rel)![0], `${label}: ${rel}`);
  }
  const files = listFiles(ws.root).filter((f) => !f.startsWith('.git'));
  assert.deepEqual(files.filter((f) => !f.endsWith('.md')), [...ws.images.keys()].sort(), `${label}: stray or partial files: ${files.join(', ')}`);
}

test('SIGKILL at 20 random moments of a batch fill, then a rerun: each image once, one job, no partial file', async () => {
  fake.reset();
  const reference = round(0);
  const t0 = Date.now();
  const clean = await runCli(ARGS, reference.root, reference.env);
  const duration = Date.now() - t0;
  assert.equal(clean.code, 0, clean.stderr);
  assertFilled(reference, 'reference run');

  const seed = Number(process.env.CHAOS_SEED) || Date.now() % 100_000;
  const random = prng(seed);
  const killedAfter: number[] = [];
  for (let n = 1; n <= 20; n++) {
    fake.reset();
    const ws = round(n);
    const delay = Math.floor(random() * duration);
    const run = startCli(ARGS, ws.root, ws.env);
    await new Promise((r) => setTimeout(r, delay));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    killedAfter.push(delay);
    const label = `seed ${seed}, round ${n}, killed after ${delay} ms (${killed.signal ?? `exit ${killed.code}`})`;
    const again = await runCli(ARGS, ws.root, ws.env);
    assert.equal(again.code, 0, `${label}: ${again.stderr}`);
    assert.equal(createCalls(fake), 1, `${label}: creates`);
    assertFilled(ws, label);
  }
  assert.ok(killedAfter.some((d) => d < duration / 3) && killedAfter.some((d) => d > (2 * duration) / 3), `kills spread over the run (${killedAfter.join(', ')} of ${duration} ms)`);
});
