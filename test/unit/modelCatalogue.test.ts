import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  automaticImageModel,
  automaticTextModel,
  estimateCost,
  formatDollars,
  imageModelSpec,
  isImageModelId,
} from '../../src/core/models';
import { buildImageRequest } from '../../src/gemini/request';

const TODAY = new Date('2026-12-08T12:00:00Z');

describe('each model offers what it takes', () => {
  test('3.1 Flash Image: 512 to 4K, 14 ratios, 14 references, minimal or high thinking', () => {
    const m = imageModelSpec('gemini-3.1-flash-image');
    assert.deepEqual(m.imageSizes, ['512', '1K', '2K', '4K']);
    assert.equal(m.aspectRatios.length, 14);
    assert.ok(m.aspectRatios.includes('1:8'));
    assert.equal(m.maxReferences, 14);
    assert.deepEqual(m.thinkingLevels, ['minimal', 'high']);
  });

  test('3 Pro Image: 1K to 4K, the 10 standard ratios, thinking not configurable', () => {
    const m = imageModelSpec('models/gemini-3-pro-image');
    assert.deepEqual(m.imageSizes, ['1K', '2K', '4K']);
    assert.equal(m.aspectRatios.length, 10);
    assert.ok(!m.aspectRatios.includes('1:4'));
    assert.deepEqual(m.thinkingLevels, []);
  });

  test('2.5 Flash Image gets no imageSize and at most 3 references', () => {
    const m = imageModelSpec('gemini-2.5-flash-image');
    assert.deepEqual(m.imageSizes, []);
    assert.equal(m.maxReferences, 3);
    const request = buildImageRequest({ prompt: 'p', model: 'gemini-2.5-flash-image', aspectRatio: '1:1', imageSize: '2K', thinkingLevel: 'high' });
    assert.deepEqual(request.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '1:1' } });
  });

  test('requests carry only what the model supports: thinkingLevel to Flash, not to Pro; 512 to Flash only', () => {
    const flash = buildImageRequest({ prompt: 'p', model: 'gemini-3.1-flash-image', aspectRatio: '8:1', imageSize: '512', thinkingLevel: 'high' });
    assert.deepEqual(flash.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '8:1', imageSize: '512' }, thinkingConfig: { thinkingLevel: 'high' } });
    const pro = buildImageRequest({ prompt: 'p', model: 'gemini-3-pro-image', aspectRatio: '8:1', imageSize: '512', thinkingLevel: 'high' });
    assert.deepEqual(pro.generationConfig, { responseModalities: ['TEXT', 'IMAGE'] });
    const lite = buildImageRequest({ prompt: 'p', model: 'gemini-3.1-flash-lite-image', aspectRatio: '1:4', imageSize: '1K', serviceTier: 'flex' });
    assert.deepEqual(lite, { contents: lite.contents, generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } }, 'Lite takes no imageSize, no 1:4 and no tier');
    const nanoFlex = buildImageRequest({ prompt: 'p', model: 'gemini-nano-banana-2.1', serviceTier: 'flex' });
    assert.equal(nanoFlex.serviceTier, 'flex');
    assert.equal(buildImageRequest({ prompt: 'p', model: 'gemini-nano-banana-2.1', serviceTier: 'standard' }).serviceTier, undefined, 'standard is the default: never sent');
    const nano = buildImageRequest({ prompt: 'p', model: 'gemini-nano-banana-2.1', imageSize: '4K', thinkingLevel: 'medium' });
    assert.deepEqual(nano.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { imageSize: '4K' }, thinkingConfig: { thinkingLevel: 'medium' } });
    const omitted = buildImageRequest({ prompt: 'p', model: 'gemini-nano-banana-2.1', imageSize: '4K', omit: new Set(['imageSize']) });
    assert.deepEqual(omitted.generationConfig, { responseModalities: ['TEXT', 'IMAGE'] });
  });

  test('an id the catalogue does not know gets permissive defaults', () => {
    const m = imageModelSpec('my-relay-image-alias');
    assert.deepEqual(m.imageSizes, ['1K', '2K', '4K']);
    assert.equal(m.aspectRatios.length, 14);
    assert.equal(m.maxReferences, 14);
    assert.ok(m.thinkingLevels.length >= 3);
  });
});

describe('which ids are image models', () => {
  test('the catalogue, then "image" or "nano-banana" in the id, never "imagen"', () => {
    for (const id of ['gemini-nano-banana-2.1', 'gemini-3-pro-image', 'models/gemini-3.1-flash-lite-image', 'gemini-9-image', 'nano-banana-3', 'gemini-nano-banana-3-preview']) {
      assert.equal(isImageModelId(id), true, id);
    }
    for (const id of ['imagen-4.0-generate-001', 'gemini-3.5-flash-lite', 'gemini-embedding-001', 'gemini-3.8-flash']) {
      assert.equal(isImageModelId(id), false, id);
    }
  });
});

describe('the automatic choice', () => {
  test('from a models.list answer: the first healthy one in the order of preference that it lists', () => {
    assert.equal(automaticImageModel(['gemini-3-pro-image', 'gemini-3.1-flash-image', 'gemini-nano-banana-2.1'], TODAY), 'gemini-nano-banana-2.1');
    // 3.1 Flash Image is deprecated: it goes down the order, below the live Pro.
    assert.equal(automaticImageModel(['models/gemini-3-pro-image', 'models/gemini-3.1-flash-image'], TODAY), 'gemini-3-pro-image');
    // A relay that lists only a deprecated id: it is what works there.
    assert.equal(automaticImageModel(['gemini-2.5-flash-image', 'gemini-3.5-flash-lite'], TODAY), 'gemini-2.5-flash-image');
    // A lineup newer than the catalogue.
    assert.equal(automaticImageModel(['gemini-3.5-flash-lite', 'gemini-nano-banana-3'], TODAY), 'gemini-nano-banana-3');
  });

  test('without a list: the first healthy GA model, on any day', () => {
    assert.equal(automaticImageModel(undefined, TODAY), 'gemini-nano-banana-2.1');
    assert.equal(automaticImageModel([], new Date('2026-07-01T00:00:00Z')), 'gemini-nano-banana-2.1');
    assert.equal(automaticTextModel(undefined, TODAY), 'gemini-3.5-flash-lite');
    assert.equal(automaticTextModel(['gemini-2.5-flash', 'gemini-3.1-flash-lite'], TODAY), 'gemini-3.1-flash-lite');
    assert.equal(automaticTextModel(['gemini-3.7-flash', 'gemini-3.8-flash'], TODAY), 'gemini-3.8-flash');
  });
});

describe('cost', () => {
  test('per image by size, half in batch; overrides for relays win', () => {
    assert.equal(estimateCost({ model: 'gemini-3-pro-image', imageSize: '4K', images: 4 }), 0.96);
    assert.equal(estimateCost({ model: 'gemini-3-pro-image', imageSize: '4K', images: 4, batch: true }), 0.48);
    assert.equal(estimateCost({ model: 'gemini-3.1-flash-image', imageSize: '512', images: 1 }), 0.045);
    assert.equal(estimateCost({ model: 'gemini-2.5-flash-image', images: 2 }), 0.078);
    assert.equal(estimateCost({ model: 'gemini-nano-banana-2.1', imageSize: '4K', images: 1 }), 0.113);
    assert.equal(estimateCost({ model: 'gemini-3.1-flash-lite-image', images: 1 }), 0.0336);
    assert.equal(estimateCost({ model: 'gemini-3-pro-image', imageSize: '1K', images: 2, tier: 'flex' }), 0.134);
    assert.equal(estimateCost({ model: 'relay-model', images: 1 }), undefined);
    assert.equal(estimateCost({ model: 'relay-model', images: 3, overrides: { 'relay-model': 0.02 } }), 0.06);
    assert.equal(estimateCost({ model: 'gemini-3-pro-image', imageSize: '2K', images: 1, overrides: { 'gemini-3-pro-image': { '2K': 0.1 } } }), 0.1);
  });

  test('formatted without float noise', () => {
    assert.equal(formatDollars(0.96), '$0.96');
    assert.equal(formatDollars(0.0336), '$0.0336');
    assert.equal(formatDollars(12.5), '$12.50');
  });
});
