// A folder is created only when an image arrives: the check before a request creates nothing, and
// a request that fails (a bad key) leaves no empty images/ folder behind.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DestinationError } from '../../src/core/destination';
import { GeminiClient } from '../../src/gemini/client';
import { buildImageRequest } from '../../src/gemini/request';
import { generateImages } from '../../src/generation/generateImages';
import { checkWritableFolder } from '../../src/workspace/writableFolder';
import { dir, KEY, server, useStandIn } from '../support/generateImagesHarness';
import { captureLog, listFiles } from '../support/tempWorkspace';

useStandIn();

function generate(apiKey: string, folder: string) {
  const client = new GeminiClient({ endpoint: { baseUrl: server.url, apiKey, authStyle: 'x-goog-api-key' }, maxRetries: 0, timeoutMs: 10_000, log: captureLog() });
  return generateImages({
    client,
    model: 'gemini-3.1-flash-image',
    request: buildImageRequest({ prompt: 'a lighthouse', model: 'gemini-3.1-flash-image' }),
    count: 1,
    targetPath: (ext) => join(folder, `a-lighthouse.${ext}`),
    tempDir: folder,
  });
}

describe('the images folder', () => {
  test('checking a folder that does not exist yet creates nothing', async () => {
    const folder = join(dir.path, 'docs', 'images');
    await checkWritableFolder(folder);
    assert.equal(existsSync(join(dir.path, 'docs')), false);
  });

  test('a file where a folder should be is reported before anything is sent', async () => {
    writeFileSync(join(dir.path, 'docs'), 'not a folder');
    await assert.rejects(checkWritableFolder(join(dir.path, 'docs', 'images')), (e) => e instanceof DestinationError && e.reason === 'notWritable');
  });

  test('a request refused for its key leaves no empty folder behind', async () => {
    const folder = join(dir.path, 'images');
    await checkWritableFolder(folder);
    await assert.rejects(generate('wrong-key', folder));
    assert.equal(existsSync(folder), false, 'an empty images/ folder was left');
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('the folder appears with the first image', async () => {
    mkdirSync(join(dir.path, 'docs'));
    const folder = join(dir.path, 'docs', 'images');
    await checkWritableFolder(folder);
    const result = await generate(KEY, folder);
    assert.equal(result.images.length, 1);
    assert.deepEqual(listFiles(join(dir.path, 'docs')), ['images/a-lighthouse.png']);
  });
});
