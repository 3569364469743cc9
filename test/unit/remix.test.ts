// Remix carries every option an image's metadata records, not just the prompt and aspect ratio.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remixFromMetadata, sizeClassOf } from '../../src/core/remix';

const options = {
  aspectRatios: ['1:1', '16:9', '9:16'],
  imageSizes: ['1K', '2K', '4K'],
  styles: [
    { id: 'watercolor', names: ['水彩', 'Watercolor'] },
    { id: 'my-brand', names: ['Brand'] },
  ],
  noStyleId: 'none',
};

test('the prompt as typed, the aspect ratio, the size, the style and the model come back', () => {
  const remix = remixFromMetadata(
    { version: 1, prompt: 'A fox, in soft watercolor washes', userPrompt: 'A fox', model: 'gemini-3-pro-image', aspectRatio: '16:9', imageSize: '2K', style: 'Watercolor' },
    options,
  );
  assert.deepEqual(remix, { prompt: 'A fox', choices: { aspectRatio: '16:9', imageSize: '2K', styleId: 'watercolor' }, model: 'gemini-3-pro-image' });
});

test('a style recorded under its localized name is found too; no style means None', () => {
  assert.equal(remixFromMetadata({ version: 1, prompt: 'p', style: '水彩' }, options).choices.styleId, 'watercolor');
  assert.equal(remixFromMetadata({ version: 1, prompt: 'p' }, options).choices.styleId, 'none');
});

test('a style that no longer exists is reported, not silently dropped', () => {
  const remix = remixFromMetadata({ version: 1, prompt: 'p', style: 'Old brand' }, options);
  assert.equal(remix.missingStyle, 'Old brand');
  assert.equal(remix.choices.styleId, undefined);
});

test('a size recorded as pixels maps back to its class', () => {
  assert.equal(sizeClassOf('1024x1024', options.imageSizes), '1K');
  assert.equal(sizeClassOf('2048x1152', options.imageSizes), '2K');
  assert.equal(sizeClassOf('4096x4096', options.imageSizes), '4K');
  assert.equal(sizeClassOf('4K', options.imageSizes), '4K');
  assert.equal(sizeClassOf('big', options.imageSizes), undefined);
  assert.equal(remixFromMetadata({ version: 1, prompt: 'p', aspectRatio: '5:4', imageSize: '1408x1152' }, options).choices.aspectRatio, undefined);
});
