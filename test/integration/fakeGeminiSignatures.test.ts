// Multi-turn editing against the stand-in: a model turn comes back with its thought signatures
// exactly as issued, or the request is refused as the API does.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertGoogleError, generate, imageParts, request, server, tinyPng, useFakeGemini, type Json } from '../support/fakeGeminiCalls';

useFakeGemini();

describe('multi-turn editing: thought signatures', () => {
  async function firstTurn(model = 'gemini-3-pro-image'): Promise<Json[]> {
    const answer = await generate(server, request(), model);
    assert.equal(answer.status, 200);
    return [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }, answer.json.candidates[0].content];
  }

  function refine(history: Json[]): Json {
    return { contents: [...history, { role: 'user', parts: [{ text: 'now at night' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } };
  }

  test('the turns sent back exactly as received are accepted', async () => {
    const history = await firstTurn();
    const answer = await generate(server, refine(history), 'gemini-3-pro-image');
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(imageParts(answer).length, 1);
  });

  test('an altered, moved, missing or foreign signature is refused', async () => {
    const history = await firstTurn();
    const model = history[1];
    const imageIndex = model.parts.findIndex((p: Json) => p.inlineData);
    const sig: string = model.parts[imageIndex].thoughtSignature;
    const variants: [string, (m: Json) => void, RegExp][] = [
      ['altered', (m) => (m.parts[imageIndex].thoughtSignature = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)), /Corrupted thought signature/],
      ['missing', (m) => delete m.parts[imageIndex].thoughtSignature, /missing a thought_signature in content position 2, part position 2/],
      ['on other bytes', (m) => (m.parts[imageIndex].inlineData.data = tinyPng(4, 4).toString('base64')), /Corrupted thought signature/],
      ['moved to the text', (m) => {
        m.parts[0].thoughtSignature = sig;
        m.parts[imageIndex].thoughtSignature = sig;
      }, /Corrupted thought signature/],
      ['made up', (m) => (m.parts[imageIndex].thoughtSignature = Buffer.alloc(150, 7).toString('base64')), /Corrupted thought signature/],
    ];
    for (const [name, change, message] of variants) {
      const edited = structuredClone(history);
      change(edited[1]);
      assertGoogleError(await generate(server, refine(edited), 'gemini-3-pro-image'), 400, 'INVALID_ARGUMENT', message);
      assert.ok(name);
    }
    const otherModel = await generate(server, refine(history), 'gemini-3.1-flash-image');
    assertGoogleError(otherModel, 400, 'INVALID_ARGUMENT', /Corrupted thought signature/);
  });

  test('a model turn must come back whole: dropping the draft images is refused', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const history = await firstTurn();
    assert.equal(history[1].parts[0].thought, true);
    assert.equal((await generate(server, refine(history), 'gemini-3-pro-image')).status, 200);
    const withoutDrafts = structuredClone(history);
    withoutDrafts[1].parts = withoutDrafts[1].parts.filter((p: Json) => !p.thought);
    const answer = await generate(server, refine(withoutDrafts), 'gemini-3-pro-image');
    assertGoogleError(answer, 400, 'INVALID_ARGUMENT', /Content position 2 \(role model\) lacks parts of the response it came from: 1 of its 2/);
  });

  test('a reset server forgets the signatures it issued', async () => {
    const history = await firstTurn();
    server.reset();
    assertGoogleError(await generate(server, refine(history), 'gemini-3-pro-image'), 400, 'INVALID_ARGUMENT');
  });
});
