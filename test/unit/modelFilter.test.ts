import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageModelsFrom } from '../../src/core/modelFilter';

test('keeps image generateContent models, drops Imagen, embeddings and text models; adds known ones', () => {
  const models = imageModelsFrom({
    models: [
      { name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent'] },
      { name: 'models/gemini-9-image-preview', displayName: 'Nine', supportedGenerationMethods: ['generateContent', 'countTokens'] },
      { name: 'models/imagen-4.0-generate-001', supportedGenerationMethods: ['predict'] },
      { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
      { name: 'models/gemini-2.5-flash-image', supportedGenerationMethods: ['generateContent'] },
    ],
  });
  assert.deepEqual(models.map((m) => m.id), ['gemini-9-image-preview', 'gemini-2.5-flash-image', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview']);
  assert.equal(models[0].displayName, 'Nine');
});

test('a useless answer still offers the known models', () => {
  assert.equal(imageModelsFrom('<html>').length, 3);
});
