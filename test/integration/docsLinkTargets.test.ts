// Where a docs fill may write: never outside the workspace. Links that climb out or are absolute
// are not collected; a folder that is a symbolic link out of the workspace is never written
// through, whether it was one when the plan was made or became one before the image arrived.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { DestinationError } from '../../src/core/destination';
import { fillNow, summaryCollector, type FillContext } from '../../src/docs/fillNow';
import { planFill, todo } from '../../src/docs/plan';
import { collectImages } from '../../src/docs/targets';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { listFiles, tempDir } from '../support/tempWorkspace';

const KEY = 'link-targets-key-7Rk';
const MODEL = 'gemini-3.1-flash-image';
let fake: FakeGemini;
before(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY] });
});
after(async () => {
  await fake.close();
  await closeDispatchers();
});

function setup() {
  const dir = tempDir('gis-links-');
  const root = path.join(dir.path, 'repo');
  const outside = path.join(dir.path, 'elsewhere');
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  mkdirSync(outside);
  const doc = path.join(root, 'docs', 'guide.md');
  return { dir, root, outside, doc };
}

async function fill(root: string, doc: string, beforeFill?: () => void) {
  const images = collectImages([{ path: doc, text: readFileSync(doc, 'utf8') }], root);
  const plan = await planFill(images, root, { model: MODEL });
  beforeFill?.();
  const client = new GeminiClient({ endpoint: { baseUrl: fake.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, timeoutMs: 10_000 });
  const collector = summaryCollector({ onEvent: () => undefined });
  const ctx: FillContext = { client, root, defaults: { model: MODEL }, trashRoot: path.join(root, '.trash'), onEvent: collector.onEvent };
  await fillNow(ctx, todo(plan));
  return { images, plan, summary: collector.summary };
}

test('climbing and absolute links are not collected; a symlinked folder out of the workspace is not ours', async () => {
  const { dir, root, outside, doc } = setup();
  try {
    symlinkSync(outside, path.join(root, 'docs', 'linked'), 'dir');
    writeFileSync(doc, ['![inside](images/inside.png)', '![hosts](../../../../etc/hosts.png)', '![abs](/etc/hosts.png)', '![through a link](linked/escape.png)', ''].join('\n\n'));
    fake.reset();
    const { images, plan, summary } = await fill(root, doc);
    assert.deepEqual(images.map((i) => i.relPath), ['docs/images/inside.png', 'docs/linked/escape.png']);
    assert.deepEqual(todo(plan).map((i) => i.relPath), ['docs/images/inside.png']);
    assert.equal(plan.notOurs, 1);
    assert.deepEqual(summary.written.map((i) => i.relPath), ['docs/images/inside.png']);
    assert.equal(fake.requests.filter((r) => r.path.endsWith(':generateContent')).length, 1, 'nothing was asked for the link out');
    assert.deepEqual(listFiles(outside), []);
  } finally {
    dir.cleanup();
  }
});

test('a folder that became a link out of the workspace after the plan is not written through', async () => {
  const { dir, root, outside, doc } = setup();
  try {
    writeFileSync(doc, '![late](late/figure.png)\n');
    fake.reset();
    const { plan, summary } = await fill(root, doc, () => symlinkSync(outside, path.join(root, 'docs', 'late'), 'dir'));
    assert.equal(todo(plan).length, 1, 'the folder did not exist when the plan was made');
    assert.equal(summary.written.length, 0);
    assert.equal(summary.failed.length, 1);
    assert.ok(summary.failed[0].error instanceof DestinationError, String(summary.failed[0].error));
    assert.deepEqual(listFiles(outside), [], 'nothing landed outside, not even a temp file');
    assert.equal(fake.requests.filter((r) => r.path.endsWith(':generateContent')).length, 0, 'nothing was asked for');
  } finally {
    dir.cleanup();
  }
});
