// An edit's PNG records the images it came from as their own field: the Description chunk stays the
// prompt, and the sources survive a write and a read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPngMetadata, readPngTextChunks, setPngMetadata, toImageMetadata } from '../../src/core/pngMetadata';
import { makeImage } from '../support/fakeGemini/images';

test('sources round-trip through the PNG, apart from Description', () => {
  const png = makeImage({ mimeType: 'image/png', width: 8, height: 8, seed: 1 }).bytes;
  const written = setPngMetadata(png, { version: 1, prompt: 'make the sky orange', sources: ['docs/images/harbour.png', 'docs/images/boat.png'] });
  assert.deepEqual(readPngMetadata(written)?.sources, ['docs/images/harbour.png', 'docs/images/boat.png']);
  assert.equal(readPngTextChunks(written).Description, 'make the sky orange');
});

test('sources that are not a list of strings are dropped', () => {
  assert.equal(toImageMetadata({ prompt: 'p', sources: 'a.png' })?.sources, undefined);
  assert.equal(toImageMetadata({ prompt: 'p', sources: [1] })?.sources, undefined);
  assert.equal(toImageMetadata({ prompt: 'p', sources: [] })?.sources, undefined);
});
