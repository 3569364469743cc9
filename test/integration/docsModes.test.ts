// The CLI's fill and check when things go wrong or change: an expired job, per-request errors, a
// relay without the Batch API, a stale image regenerated with the old one kept, check's exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readPngMetadata, removePngMetadata } from '../../src/core/pngMetadata';
import { batch, createCalls, docsWorkspace, fake, runCli, useDocsStandIn } from '../support/docsTree';
import { makeImage } from '../support/fakeGemini/images';
import { listFiles } from '../support/tempWorkspace';

const FILL = ['fill', 'docs', '--yes', '--model', 'gemini-3.1-flash-image', '--size', '512'];

useDocsStandIn();
const workspace = (count: number) => docsWorkspace('gis-modes-', count);

const pngs = (root: string) => listFiles(root).filter((f) => f.endsWith('.png'));

test('an expired job reports each image, forgets the job, and the next fill submits a new one', async () => {
  const ws = workspace(4);
  batch.outcome = 'EXPIRED';
  const run = await runCli([...FILL, '--mode', 'batch'], ws.root, ws.env);
  assert.equal(run.code, 1);
  for (const rel of ws.images.keys()) assert.match(run.stdout, new RegExp(`failed  ${rel}: The batch job batches/\\w+ expired`));
  assert.deepEqual(pngs(ws.root), []);
  const jobs = JSON.parse(readFileSync(listFiles(ws.cache).map((f) => path.join(ws.cache, f)).find((f) => f.endsWith('jobs.json'))!, 'utf8')) as { jobs: unknown[] };
  assert.deepEqual(jobs.jobs, []);
  batch.outcome = 'SUCCEEDED';
  const again = await runCli([...FILL, '--mode', 'batch'], ws.root, ws.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(createCalls(fake), 2);
  assert.equal(pngs(ws.root).length, 4);
});

test('per-request errors fail those images only', async () => {
  const ws = workspace(5);
  const keys = [...ws.images.keys()];
  batch.failKeys = [keys[1], keys[3]];
  const run = await runCli([...FILL, '--mode', 'batch', '--json'], ws.root, ws.env);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout) as { written: string[]; failed: { path: string; error: string }[] };
  assert.deepEqual(report.failed.map((f) => f.path).sort(), [keys[1], keys[3]].sort());
  assert.match(report.failed[0].error, /invalid argument.*HTTP 400/i);
  assert.deepEqual(report.written.sort(), [keys[0], keys[2], keys[4]].sort());
  assert.deepEqual(pngs(ws.root), [keys[0], keys[2], keys[4]].sort());
});

test('jobs are split to a bounded size', async () => {
  const ws = workspace(5);
  const run = await runCli([...FILL, '--mode', 'batch'], ws.root, { ...ws.env, GEMINI_IMAGE_BATCH_SIZE: '2' });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(createCalls(fake), 3);
  assert.equal(pngs(ws.root).length, 5);
});

test('a relay without the Batch API gets interactive mode, and is told once', async () => {
  const ws = workspace(3);
  batch.route = false;
  const run = await runCli([...FILL, '--mode', 'batch'], ws.root, ws.env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr.match(/no Batch API/g)?.length, 1);
  assert.equal(createCalls(fake), 0);
  assert.equal(fake.requests.filter((r) => r.path.endsWith(':generateContent')).length, 3);
  assert.equal(pngs(ws.root).length, 3);
});

test('auto picks Now below the threshold and Batch from it on', async () => {
  const ws = workspace(3);
  const small = await runCli([...FILL, '--json', '--batch-threshold', '4'], ws.root, ws.env);
  assert.equal((JSON.parse(small.stdout) as { mode: string }).mode, 'now');
  const big = workspace(4);
  const run = await runCli([...FILL, '--json', '--batch-threshold', '4'], big.root, big.env);
  assert.equal((JSON.parse(run.stdout) as { mode: string }).mode, 'batch');
});

test('a changed prompt makes its image stale; fill replaces it and keeps the old one in the trash', async () => {
  const ws = workspace(3);
  assert.equal((await runCli([...FILL, '--mode', 'now'], ws.root, ws.env)).code, 0);
  const [rel] = [...ws.images.keys()];
  const target = path.join(ws.root, rel);
  const old = readFileSync(target);
  const page = path.join(ws.root, 'docs', 'page-0.md');
  writeFileSync(page, readFileSync(page, 'utf8').replace(ws.images.get(rel)!, 'a brand new prompt'));
  // An image without our metadata is never flagged nor touched.
  const foreign = path.join(ws.root, 'docs', 'images', 'foreign.png');
  writeFileSync(foreign, makeImage({ mimeType: 'image/png', width: 64, height: 64, seed: 7 }).bytes);
  writeFileSync(page, `${readFileSync(page, 'utf8')}\n![some other prompt](images/foreign.png)\n`);
  const foreignBytes = readFileSync(foreign);

  const check = await runCli(['check', 'docs'], ws.root, ws.env);
  assert.equal(check.code, 1);
  assert.match(check.stdout, new RegExp(`^stale   ${rel}`, 'm'));
  assert.doesNotMatch(check.stdout, /foreign/);

  const run = await runCli([...FILL, '--mode', 'now'], ws.root, ws.env);
  assert.equal(run.code, 0, run.stderr);
  const backup = /replaced .* \(old one kept in (.*)\)/.exec(run.stdout)?.[1];
  assert.ok(backup && existsSync(backup), run.stdout);
  assert.deepEqual(readFileSync(backup), old);
  assert.equal(readPngMetadata(readFileSync(target))?.prompt, 'a brand new prompt');
  assert.deepEqual(Buffer.from(removePngMetadata(readFileSync(target))), fake.sentImages.at(-1));
  assert.deepEqual(readFileSync(foreign), foreignBytes);
  assert.equal((await runCli(['check', 'docs'], ws.root, ws.env)).code, 0);
});

test("check's exit codes: 1 with missing images, 0 when all are there, 2 for usage errors", async () => {
  const ws = workspace(2);
  const missing = await runCli(['check', 'docs', '--json'], ws.root, ws.env);
  assert.equal(missing.code, 1);
  assert.equal((JSON.parse(missing.stdout) as { missing: unknown[] }).missing.length, 2);
  assert.equal(fake.requests.length, 0, 'check never calls the API');
  await runCli([...FILL, '--mode', 'now'], ws.root, ws.env);
  const ok = await runCli(['check', 'docs'], ws.root, ws.env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal((await runCli(['check'], ws.root, ws.env)).code, 2);
  assert.equal((await runCli(['check', 'docs', '--nope'], ws.root, ws.env)).code, 2);
  assert.equal((await runCli(['fill', 'docs', '--mode', 'later'], ws.root, ws.env)).code, 2);
  const noKey = await runCli(['fill', 'docs', '--yes'], ws.root, { ...ws.env, GEMINI_API_KEY: '' });
  assert.equal(noKey.code, 0, 'nothing to do needs no key');
});

test('fill without --yes and without a terminal refuses (exit 2); --dry-run shows the plan and costs', async () => {
  const ws = workspace(2);
  const refused = await runCli(['fill', 'docs', '--mode', 'now', '--model', 'gemini-3.1-flash-image', '--size', '512'], ws.root, ws.env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  const dry = await runCli(['fill', 'docs', '--dry-run', '--model', 'gemini-3.1-flash-image', '--size', '2K'], ws.root, ws.env);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /2 missing, 0 stale/);
  assert.match(dry.stdout, /Estimated cost: \$0\.20 now, \$0\.10 with Flex, \$0\.10 in a batch/);
  assert.equal(fake.requests.length, 0);
});

test('generate writes one image at --out, never over an existing file', async () => {
  const ws = workspace(0);
  const first = await runCli(['generate', 'a red kite', '--out', 'kite.png', '--model', 'gemini-3.1-flash-image', '--size', '512'], ws.root, ws.env);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), path.join(ws.root, 'kite.png'));
  const second = await runCli(['generate', 'a red kite', '--out', 'kite.png', '--model', 'gemini-3.1-flash-image'], ws.root, ws.env);
  assert.equal(second.stdout.trim(), path.join(ws.root, 'kite-1.png'));
  assert.equal(readPngMetadata(readFileSync(path.join(ws.root, 'kite.png')))?.prompt, 'a red kite');
  const bad = await runCli(['generate', 'x', '--out', 'k.png'], ws.root, { ...ws.env, GEMINI_API_KEY: 'wrong-key-value-1234' });
  assert.equal(bad.code, 1);
  assert.ok(!bad.stderr.includes('wrong-key-value-1234'));
});
