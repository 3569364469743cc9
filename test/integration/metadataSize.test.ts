// One truth for an image's size: Generate Image records the size asked for (`2K`) and the pixels
// apart, so a docs `size: 2K` comment on that image is current, not stale; files that kept the
// pixels as imageSize `2048x2048` still read, and are not flagged on a guess.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setPngMetadata } from '../../src/core/pngMetadata';
import { imageDimensions } from '../../src/core/imageType';
import { collectImages, imageState } from '../../src/docs/targets';
import { closeDispatchers } from '../../src/gemini/http';
import { generate } from '../../src/generation/pipeline';
import { readImageMetadata } from '../../src/workspace/metadataFiles';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { makeImage } from '../support/fakeGemini/images';
import { pipelineHarness } from '../support/pipelineHarness';
import { tempDir } from '../support/tempWorkspace';

const KEY = 'metadata-size-key-Q81';
let server: FakeGemini;
before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY] });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});

/** The state the docs give `image` linked from a document with the comment's `size:`. */
async function docsState(root: string, relPath: string, prompt: string, size: string) {
  const text = `<!-- gemini-image\nsize: ${size}\n-->\n![${prompt}](${relPath})\n`;
  const [image] = collectImages([{ path: join(root, 'guide.md'), text }], root);
  return (await imageState(image, root)).state;
}

describe('image size in the metadata', () => {
  test('Generate Image at 2K records imageSize 2K and the pixels; the docs see it as current', async () => {
    const dir = tempDir();
    try {
      const h = pipelineHarness({ baseUrl: server.url, apiKey: KEY, dir: dir.path, model: 'gemini-3-pro-image' });
      const outcome = await generate({ prompt: 'a lighthouse at dawn', options: { aspectRatio: '1:1', imageSize: '2K', count: 1 } }, h.deps);
      const file = outcome!.records[0].path;
      const pixels = imageDimensions(readFileSync(file));
      assert.deepEqual(pixels, { width: 2048, height: 2048 });
      const meta = await readImageMetadata(file);
      assert.equal(meta?.imageSize, '2K');
      assert.deepEqual([meta?.width, meta?.height], [2048, 2048]);
      const rel = file.slice(dir.path.length + 1).split('\\').join('/');
      assert.equal(await docsState(dir.path, rel, 'a lighthouse at dawn', '2K'), 'current');
      assert.equal(await docsState(dir.path, rel, 'a lighthouse at dawn', '4K'), 'stale');
    } finally {
      dir.cleanup();
    }
  });

  test('an older file with imageSize "2048x2048" reads as its pixels and is not stale for size: 2K', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'old.png');
      writeFileSync(file, setPngMetadata(makeImage({ mimeType: 'image/png', width: 2048, height: 2048, seed: 1 }).bytes, { version: 1, prompt: 'an old harbour', model: 'gemini-3-pro-image', imageSize: '2048x2048' }));
      const meta = await readImageMetadata(file);
      assert.deepEqual(meta, { version: 1, prompt: 'an old harbour', model: 'gemini-3-pro-image', width: 2048, height: 2048 });
      assert.equal(await docsState(dir.path, 'old.png', 'an old harbour', '2K'), 'current');
      assert.equal(await docsState(dir.path, 'old.png', 'a new harbour', '2K'), 'stale', 'the prompt still counts');
    } finally {
      dir.cleanup();
    }
  });
});
