import assert from 'node:assert/strict';
import { test } from 'node:test';
import { automaticImageModel, catalogueImageModels, imageModelsFrom, listedModels, textModelsFrom } from '../../src/core/models';

// A GET /v1beta/models answer as Google gives it in December 2026 (shortened to the fields we read).
const TODAY_LINEUP = {
  models: [
    { name: 'models/gemini-3.5-flash-lite', displayName: 'Gemini 3.5 Flash-Lite', supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'], thinking: true },
    { name: 'models/gemini-3.1-flash-lite', displayName: 'Gemini 3.1 Flash-Lite', supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'], thinking: true },
    { name: 'models/gemini-3.8-flash', displayName: 'Gemini 3.8 Flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
    { name: 'models/gemini-embedding-001', displayName: 'Gemini Embedding 001', supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens'] },
    { name: 'models/gemini-3-pro-image', displayName: 'Nano Banana Pro', supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'] },
    { name: 'models/gemini-3.1-flash-image', displayName: 'Nano Banana 2', supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'] },
    { name: 'models/gemini-3.1-flash-lite-image', displayName: 'Nano Banana 2 Lite', supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'] },
    { name: 'models/gemini-nano-banana-2.1', displayName: 'Nano Banana 2.1', supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'] },
    { name: 'models/imagen-4.0-generate-001', displayName: 'Imagen 4', supportedGenerationMethods: ['predict'] },
    { name: 'models/veo-3.1-generate-preview', displayName: 'Veo 3.1', supportedGenerationMethods: ['predictLongRunning'] },
  ],
};

test("today's lineup: every image model, the one without \"image\" in its id first, Imagen and text models left out", () => {
  const models = imageModelsFrom(listedModels(TODAY_LINEUP));
  assert.deepEqual(
    models.map((m) => m.id),
    ['gemini-nano-banana-2.1', 'gemini-3.1-flash-image', 'gemini-3.1-flash-lite-image', 'gemini-3-pro-image'],
  );
  assert.equal(models[0].displayName, 'Nano Banana 2.1');
  assert.equal(automaticImageModel(models.map((m) => m.id), new Date('2026-12-01T00:00:00Z')), 'gemini-nano-banana-2.1');
});

test('text models of the same answer, for the prompt writer', () => {
  assert.deepEqual(textModelsFrom(listedModels(TODAY_LINEUP)).map((m) => m.id), ['gemini-3.5-flash-lite', 'gemini-3.1-flash-lite', 'gemini-3.8-flash']);
});

test('unknown image ids follow the known ones in the order listed; a relay list without methods counts', () => {
  const models = imageModelsFrom(listedModels({ models: [{ name: 'models/relay-image-x' }, { name: 'models/gemini-3-pro-image' }, { name: 'nano-banana-next' }, { name: 'models/x', supportedGenerationMethods: ['generateContent'] }] }));
  assert.deepEqual(models.map((m) => m.id), ['gemini-3-pro-image', 'relay-image-x', 'nano-banana-next']);
});

test('a useless answer lists nothing; the fallback is the catalogue without the retired ids', () => {
  assert.deepEqual(listedModels('<html>'), []);
  const ids = catalogueImageModels(new Date('2026-12-01T00:00:00Z')).map((m) => m.id);
  assert.deepEqual(ids, ['gemini-nano-banana-2.1', 'gemini-3.1-flash-image', 'gemini-3.1-flash-lite-image', 'gemini-3-pro-image', 'gemini-2.5-flash-image']);
});
