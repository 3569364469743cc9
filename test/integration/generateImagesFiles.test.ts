// What generateImages leaves on disk, against the stand-in Gemini server: exactly the bytes the
// server sent, names never overwritten, metadata in the PNG or a sidecar, stale temp files swept.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DestinationError } from '../../src/core/destination';
import { assertKeyNowhere, dir, KEY, run, server, useStandIn } from '../support/generateImagesHarness';
import { itxt, withoutTextChunks } from '../support/pngChunks';
import { listFiles } from '../support/tempWorkspace';

useStandIn();

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('generateImages against the stand-in server', () => {
  test('one image: the file holds exactly the bytes the server sent, and the request is as documented', async () => {
    const result = await run();
    assert.equal(result.images.length, 1);
    const image = result.images[0];
    assert.equal(image.path, join(dir.path, 'images', 'a-lighthouse-at-dawn.png'));
    assert.deepEqual(readFileSync(image.path), server.sentImages[0]);
    assert.deepEqual([image.width, image.height], [1344, 768]);
    assert.deepEqual(result.texts, ['Here is your image.']);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);

    const seen = server.requests.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.path, '/v1beta/models/gemini-nano-banana-2.1:generateContent');
    assert.equal(seen.headers['x-goog-api-key'], KEY);
    assert.deepEqual(seen.query, {});
    assert.deepEqual(seen.body, {
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    assertKeyNowhere();
  });

  test('N images are N parallel requests, never candidateCount, named -1, -2', async () => {
    const result = await run({ count: 3 });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn-1.png', 'images/a-lighthouse-at-dawn-2.png', 'images/a-lighthouse-at-dawn.png']);
    assert.deepEqual(new Set(result.images.map((i) => sha(readFileSync(i.path)))), new Set(server.sentImages.map(sha)));
    for (const r of server.requests) assert.equal((r.body as { generationConfig: Record<string, unknown> }).generationConfig.candidateCount, undefined);
  });

  test('an existing file is never overwritten', async () => {
    mkdirSync(join(dir.path, 'images'));
    writeFileSync(join(dir.path, 'images', 'a-lighthouse-at-dawn.png'), 'precious');
    const result = await run();
    assert.equal(readFileSync(join(dir.path, 'images', 'a-lighthouse-at-dawn.png'), 'utf8'), 'precious');
    assert.equal(result.images[0].path, join(dir.path, 'images', 'a-lighthouse-at-dawn-1.png'));
  });

  test('two generations racing for one name both keep their image', async () => {
    const [a, b] = await Promise.all([run(), run()]);
    assert.notEqual(a.images[0].path, b.images[0].path);
    assert.equal(listFiles(dir.path).length, 2);
  });

  test('JPEG replies are saved as .jpg, and snake_case / data-URL / draft images are handled', async () => {
    server.enqueue({ kind: 'image', mimeType: 'image/jpeg' }, { kind: 'image', dataUrlInText: true }, { kind: 'image', thoughtImages: 2 }, { kind: 'image', keyOrder: 'dataFirst', escapeSlashes: true });
    const jpeg = await run();
    assert.match(jpeg.images[0].path, /\.jpg$/);
    const dataUrl = await run();
    const drafts = await run();
    const escaped = await run();
    const finals = server.sentImages;
    assert.deepEqual(readFileSync(jpeg.images[0].path), finals[0]);
    assert.deepEqual(readFileSync(dataUrl.images[0].path), finals[1]);
    assert.deepEqual(readFileSync(drafts.images[0].path), finals[2]);
    assert.deepEqual(readFileSync(escaped.images[0].path), finals[3]);
    assert.equal(drafts.images.length, 1, 'draft images are not saved');
    assert.equal(listFiles(dir.path).length, 4);
  });

  test('metadata goes into the PNG before it gets its name; the hash is of the bytes the model sent', async () => {
    const result = await run({ metadataFor: (image) => ({ version: 1, prompt: '一座灯塔 🌅', model: 'm', imageSize: '1K', width: image.width, height: image.height }) });
    const image = result.images[0];
    const saved = readFileSync(image.path);
    assert.deepEqual(withoutTextChunks(saved), server.sentImages[0]);
    assert.equal(image.sha256, sha(server.sentImages[0]));
    assert.equal(itxt(saved).Description, '一座灯塔 🌅');
    assert.match(itxt(saved).GeminiImageStudio, /"imageSize":"1K".*"width":1344,"height":768/);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);
  });

  test('JPEG metadata goes to a sidecar; the image bytes stay as sent', async () => {
    server.enqueue({ kind: 'image', mimeType: 'image/jpeg' });
    const result = await run({ metadataFor: () => ({ version: 1, prompt: 'p' }) });
    assert.deepEqual(readFileSync(result.images[0].path), server.sentImages[0]);
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.jpg', 'images/a-lighthouse-at-dawn.jpg.json']);
  });

  test('a very large reply (a ~30 MB image, ~40 MB of JSON) is saved intact', async () => {
    server.enqueue({ kind: 'image', bytes: 30_000_000 });
    const result = await run();
    const saved = readFileSync(result.images[0].path);
    assert.ok(saved.length > 25_000_000, `only ${saved.length} bytes`);
    assert.equal(sha(saved), sha(server.sentImages[0]));
    assert.deepEqual(listFiles(dir.path), ['images/a-lighthouse-at-dawn.png']);
  });

  test('a destination that cannot be written is a DestinationError naming it, with nothing left', async () => {
    writeFileSync(join(dir.path, 'images'), 'a file where the folder should be');
    let caught: unknown;
    await run().catch((e) => (caught = e));
    assert.ok(caught instanceof DestinationError, String(caught));
    assert.equal(caught.reason, 'notWritable');
    assert.match(caught.detail, /images/);
    assert.deepEqual(listFiles(dir.path), ['images']);
    assert.equal(readFileSync(join(dir.path, 'images'), 'utf8'), 'a file where the folder should be');
  });

  test('issue 20 #22: every numbered name taken is a typed DestinationError naming the file, not an unreadable reply', async () => {
    mkdirSync(join(dir.path, 'images'));
    for (let n = 0; n < 1000; n++) writeFileSync(join(dir.path, 'images', n ? `a-lighthouse-at-dawn-${n}.png` : 'a-lighthouse-at-dawn.png'), 'taken');
    let caught: unknown;
    await run().catch((e) => (caught = e));
    assert.ok(caught instanceof DestinationError, String(caught));
    assert.equal(caught.reason, 'noFreeName');
    assert.equal(caught.detail, join(dir.path, 'images', 'a-lighthouse-at-dawn.png'));
    assert.equal(listFiles(dir.path).length, 1000, 'nothing overwritten, no temporary file left');
  });

  test('temporary files left by a window that closed mid-generation are swept, recent ones kept', async () => {
    mkdirSync(join(dir.path, 'images'));
    const stale = join(dir.path, 'images', '.gemini-image-0123456789ab.part');
    const fresh = join(dir.path, 'images', '.gemini-image-ba9876543210.part');
    writeFileSync(stale, 'half an image');
    writeFileSync(fresh, 'another window is writing this');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, old, old);
    await run();
    assert.deepEqual(listFiles(dir.path), ['images/.gemini-image-ba9876543210.part', 'images/a-lighthouse-at-dawn.png']);
  });
});
