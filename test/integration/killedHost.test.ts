// What a killed extension host leaves behind: a hidden temporary file, never a partial image under
// its final name. The next generation into that folder removes it at once when its writer, on this
// machine, is no longer running, without the hour's wait that protects other windows' files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { generateImages } from '../../src/generation/generateImages';
import { isTempFileName } from '../../src/workspace/imageStore';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { listFiles, tempDir } from '../support/tempWorkspace';

const KEY = 'killed-host-key-Yu2';
const MODEL = 'gemini-nano-banana-2.1';
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

let server: FakeGemini;
let dir: { path: string; cleanup(): void };

before(async () => (server = await startFakeGemini({ apiKeys: [KEY] })));
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => (dir = tempDir('gis-killed-')));
afterEach(() => dir.cleanup());

function run() {
  return generateImages({
    client: new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, maxRetries: 0 }),
    model: MODEL,
    request: buildImageRequest({ prompt: 'after the crash', model: MODEL }),
    count: 1,
    targetPath: (ext) => join(dir.path, 'images', `after.${ext}`),
    tempDir: join(dir.path, 'images'),
  });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

test('a fresh temporary file of a writer that is gone is swept; a live writer\'s and another machine\'s are kept', async () => {
  mkdirSync(join(dir.path, 'images'));
  const dead = await deadPid();
  const orphan = `.gemini-image-${HOST}-${dead}-0123456789ab.part`;
  const live = `.gemini-image-${HOST}-${process.ppid}-0123456789ab.part`;
  const elsewhere = `.gemini-image-${HOST === 'abcdef' ? '123456' : 'abcdef'}-${dead}-0123456789ab.part`;
  for (const name of [orphan, live, elsewhere]) writeFileSync(join(dir.path, 'images', name), 'the first megabytes of a 12 MB image');
  await run();
  assert.deepEqual(listFiles(dir.path), [`images/${elsewhere}`, `images/${live}`, 'images/after.png'].sort());
});

test('a writer killed mid-image leaves only a temporary file named after its pid, swept by the next generation', async () => {
  // The child streams a 12 MB image from the stand-in into the folder and is killed mid-body.
  server.enqueue({ kind: 'image', bytes: 12_000_000, chunkSize: 64 * 1024, chunkDelayMs: 20 });
  const script = `
    const { GeminiClient } = require(${JSON.stringify(require.resolve('../../src/gemini/client'))});
    const { buildImageRequest } = require(${JSON.stringify(require.resolve('../../src/gemini/request'))});
    const { generateImages } = require(${JSON.stringify(require.resolve('../../src/generation/generateImages'))});
    const path = require('node:path');
    const dir = ${JSON.stringify(join(dir.path, 'images'))};
    generateImages({
      client: new GeminiClient({ endpoint: { baseUrl: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(KEY)}, authStyle: 'x-goog-api-key' }, maxRetries: 0 }),
      model: ${JSON.stringify(MODEL)},
      request: buildImageRequest({ prompt: 'x', model: ${JSON.stringify(MODEL)} }),
      count: 1,
      targetPath: (ext) => path.join(dir, 'after.' + ext),
      tempDir: dir,
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const images = join(dir.path, 'images');
  const deadline = Date.now() + 15_000;
  while (!listFiles(images).some(isTempFileName) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 150));
  child.kill('SIGKILL');
  await once(child, 'exit');
  const left = listFiles(images);
  assert.equal(left.length, 1, left.join(', '));
  assert.ok(isTempFileName(left[0]) && left[0].includes(`-${child.pid}-`), left[0]);
  await server.idle(5000).catch(() => undefined);

  await run();
  assert.deepEqual(listFiles(dir.path), ['images/after.png']);
});
