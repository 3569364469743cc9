// The CLI's fill against the stand-in: a docs tree of 30 missing images in both modes, with the
// bytes on disk equal to what the stand-in sent; an interrupted batch resumed without a second job.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readPngMetadata, removePngMetadata } from '../../src/core/pngMetadata';
import { batch, cliEnv, createCalls, docsWorkspace, fake, KEY, resultsByKey, runCli, startCli, useDocsStandIn } from '../support/docsTree';
import { listFiles } from '../support/tempWorkspace';

const MODEL = ['--model', 'gemini-3.1-flash-image', '--size', '512'];

useDocsStandIn();
const workspace = (count: number) => docsWorkspace('gis-docs-', count);

function assertNoKey(...texts: string[]) {
  for (const t of texts) assert.ok(!t.includes(KEY), 'the key appeared in the output');
}

test('Now: 30 missing images are written at their linked paths, bytes as the stand-in sent them', async () => {
  const ws = workspace(30);
  const run = await runCli(['fill', 'docs', '--mode', 'now', '--yes', ...MODEL], ws.root, cliEnv(fake, ws.cache));
  assert.equal(run.code, 0, run.stderr);
  assertNoKey(run.stdout, run.stderr);
  const sent = new Set(fake.sentImages.map((b) => b.toString('base64')));
  assert.equal(sent.size, 30);
  for (const [rel, prompt] of ws.images) {
    const bytes = readFileSync(path.join(ws.root, rel));
    assert.ok(sent.has(Buffer.from(removePngMetadata(bytes)).toString('base64')), `${rel} is not an image the stand-in sent`);
    assert.equal(readPngMetadata(bytes)?.prompt, prompt);
  }
  assert.equal(fake.requests.filter((r) => r.path.endsWith(':generateContent')).length, 30);
  assert.equal(run.stdout.split('\n').filter((l) => l.startsWith('written ')).length, 30, 'one line per image without a terminal');
  assert.deepEqual(
    listFiles(ws.root).filter((f) => !f.endsWith('.md')),
    [...ws.images.keys()].sort(),
  );
});

test('Batch: 30 missing images through one JSONL job; each file holds its key\'s bytes from the results file', async () => {
  const ws = workspace(30);
  const run = await runCli(['fill', 'docs', '--mode', 'batch', '--yes', '--json', ...MODEL], ws.root, cliEnv(fake, ws.cache));
  assert.equal(run.code, 0, run.stderr);
  assertNoKey(run.stdout, run.stderr);
  const report = JSON.parse(run.stdout) as { mode: string; written: string[]; failed: unknown[] };
  assert.equal(report.mode, 'batch');
  assert.equal(report.written.length, 30);
  assert.equal(createCalls(fake), 1);
  const create = fake.requests.find((r) => r.path.endsWith(':batchGenerateContent'))!;
  assert.match(String((create.body as { batch: { inputConfig: { fileName: string } } }).batch.inputConfig.fileName), /^files\//, 'input goes as a file');
  assert.equal(fake.requests.filter((r) => r.path.endsWith(':generateContent')).length, 0);
  const results = resultsByKey(fake);
  for (const [rel, prompt] of ws.images) {
    const bytes = readFileSync(path.join(ws.root, rel));
    assert.deepEqual(Buffer.from(removePngMetadata(bytes)), results.get(rel)?.[0], rel);
    assert.equal(readPngMetadata(bytes)?.prompt, prompt);
  }
  assert.deepEqual(listFiles(ws.root).filter((f) => !f.endsWith('.md')), [...ws.images.keys()].sort(), 'no temporary files left');
  assert.deepEqual(listFiles(path.join(ws.cache)).filter((f) => f.endsWith('jobs.json')).length, 1);
});

test('an interrupted batch run is resumed by the next fill, with no second create', async () => {
  const ws = workspace(12);
  batch.pendingPolls = 100_000;
  const first = startCli(['fill', 'docs', '--mode', 'batch', '--yes', ...MODEL], ws.root, cliEnv(fake, ws.cache));
  // A CLI start, upload and create take well under a second idle; a loaded CI machine gets a minute.
  const deadline = Date.now() + 60_000;
  while (createCalls(fake) === 0 || !fake.requests.some((r) => r.path.startsWith('/v1beta/batches/'))) {
    assert.ok(Date.now() < deadline, 'the job was never created and polled');
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGINT');
  const stopped = await first.done;
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /pending/i);
  assert.equal(listFiles(ws.root).filter((f) => f.endsWith('.png')).length, 0);

  batch.pendingPolls = 1;
  const second = await runCli(['fill', 'docs', '--mode', 'batch', '--yes', ...MODEL], ws.root, cliEnv(fake, ws.cache));
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /already in the pending job/);
  assert.equal(createCalls(fake), 1, 'resuming never creates a second job');
  const results = resultsByKey(fake);
  for (const rel of ws.images.keys()) assert.deepEqual(Buffer.from(removePngMetadata(readFileSync(path.join(ws.root, rel)))), results.get(rel)?.[0]);
});
