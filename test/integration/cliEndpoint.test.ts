// The command line asks the endpoint, as the editor does: on a relay whose lineup lacks Nano Banana
// 2.1 it uses a model the relay lists; a modelStatus retirement is printed once per run; Flex sends
// serviceTier, retries a shed request at the same tier and never falls back to standard unasked.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { cliEnv, KEY, runCli, writeDocsTree } from '../support/docsTree';
import { tempDir } from '../support/tempWorkspace';

let google: FakeGemini;
let relay: FakeGemini;
const dirs: { cleanup(): void }[] = [];

before(async () => {
  google = await startFakeGemini({ apiKeys: [KEY] });
  relay = await startFakeGemini({ apiKeys: [KEY], lineup: 'relay' });
});
after(async () => {
  await Promise.all([google.close(), relay.close()]);
  dirs.forEach((d) => d.cleanup());
});
beforeEach(() => {
  google.reset();
  relay.reset();
});

function workspace(fake: FakeGemini, count: number, extra: Record<string, string> = {}) {
  const dir = tempDir('gis-cli-endpoint-');
  dirs.push(dir);
  const tree = writeDocsTree(path.join(dir.path, 'repo'), count);
  return { ...tree, dir: dir.path, env: cliEnv(fake, path.join(dir.path, 'cache'), extra) };
}

const generations = (fake: FakeGemini) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(':generateContent'));

describe('the model, from the endpoint', () => {
  test('generate on a relay without gemini-nano-banana-2.1 uses a model it lists, and says which', async () => {
    const w = workspace(relay, 0);
    const out = path.join(w.dir, 'fox.png');
    const run = await runCli(['generate', 'a red fox', '--out', out], w.dir, w.env);
    assert.equal(run.code, 0, run.stderr);
    // Gemini 3 Pro answers JPEG: the file takes the type it has.
    assert.equal(run.stdout.trim(), out.replace(/\.png$/, '.jpg'));
    assert.ok(existsSync(run.stdout.trim()));
    assert.deepEqual(relay.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1beta/models', 'POST /v1beta/models/gemini-3-pro-image:generateContent']);
    assert.match(run.stderr, /Made with gemini-3-pro-image \(chosen from the endpoint's models list\); cost from usage \$0\.\d+/);
    // The list is kept a day in the cache folder: the next run does not ask again.
    await runCli(['generate', 'a grey fox', '--out', path.join(w.dir, 'grey.png')], w.dir, w.env);
    assert.equal(relay.requests.filter((r) => r.path === '/v1beta/models').length, 1);
  });

  test('fill on the same relay plans and makes the images with the listed model', async () => {
    const w = workspace(relay, 2);
    const run = await runCli(['fill', 'docs', '--yes', '--mode', 'now'], w.root, w.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Model: gemini-3-pro-image \(chosen from the endpoint's models list\)\./);
    assert.deepEqual([...new Set(generations(relay).map((r) => r.path))], ['/v1beta/models/gemini-3-pro-image:generateContent']);
  });

  test('GEMINI_IMAGE_MODEL=gemini-2.5-flash-image: generated with it, its retirement date printed once as a warning', async () => {
    const w = workspace(google, 3, { GEMINI_IMAGE_MODEL: 'gemini-2.5-flash-image' });
    const run = await runCli(['fill', 'docs', '--yes', '--mode', 'now'], w.root, w.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(google.requests.filter((r) => r.path === '/v1beta/models').length, 0, 'a model was given: no list asked');
    assert.equal(generations(google).length, 3);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    assert.deepEqual(warnings, ['warning: gemini-2.5-flash-image retires on 2027-03-15 (the endpoint\'s modelStatus: DEPRECATED); gemini-3.1-flash-lite-image replaces it.']);
    assert.doesNotMatch(run.stderr, /stopped/);
  });
});

describe('Flex', () => {
  test('--mode flex sends serviceTier flex, retries a shed request at the same tier, and reports the cost from usage', async () => {
    const w = workspace(google, 3, { GEMINI_IMAGE_MODEL: 'gemini-3.1-flash-image' });
    google.enqueue({ kind: 'rateLimited', retryDelaySeconds: 0.01 }, { kind: 'rateLimited', retryDelaySeconds: 0.01 });
    const run = await runCli(['fill', 'docs', '--yes', '--mode', 'flex', '--concurrency', '1'], w.root, w.env);
    assert.equal(run.code, 0, run.stderr);
    const sent = generations(google);
    assert.equal(sent.length, 5, 'two shed, three made');
    assert.ok(sent.every((r) => (r.body as { serviceTier?: string }).serviceTier === 'flex'), 'every try at the Flex tier');
    assert.match(run.stdout, /with Flex, .*Mode: flex\./);
    assert.match(run.stderr, /Cost: \$0\.\d+ from usage \(3 image\(s\)\)\./);
  });

  test('shed past the retries: reported as failed, never sent at the standard price', async () => {
    const w = workspace(google, 1, { GEMINI_IMAGE_MODEL: 'gemini-3.1-flash-image' });
    for (let i = 0; i < 7; i++) google.enqueue({ kind: 'rateLimited', retryDelaySeconds: 0.01 });
    const run = await runCli(['fill', 'docs', '--yes', '--mode', 'flex'], w.root, w.env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /0 written, 1 failed/);
    const sent = generations(google);
    assert.equal(sent.length, 7);
    assert.ok(sent.every((r) => (r.body as { serviceTier?: string }).serviceTier === 'flex'));
  });

  test('auto picks Flex for 5 images when the model takes it; Lite never gets a tier', async () => {
    const w = workspace(google, 5, { GEMINI_IMAGE_MODEL: 'gemini-nano-banana-2.1' });
    const run = await runCli(['fill', 'docs', '--yes'], w.root, w.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Mode: flex\./);
    assert.ok(generations(google).every((r) => (r.body as { serviceTier?: string }).serviceTier === 'flex'));
    google.reset();
    const lite = workspace(google, 5, { GEMINI_IMAGE_MODEL: 'gemini-3.1-flash-lite-image' });
    const liteRun = await runCli(['fill', 'docs', '--yes'], lite.root, lite.env);
    assert.equal(liteRun.code, 0, liteRun.stderr);
    assert.match(liteRun.stdout, /Mode: now\./);
    assert.ok(generations(google).every((r) => (r.body as { serviceTier?: string }).serviceTier === undefined));
  });
});
