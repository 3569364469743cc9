// The bench's stand-in mode: each distinct image reply is built once and sent again as the same
// bytes, so a benchmark measures the client rather than the server making PNGs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';

const KEY = 'prebuilt-key-3x';
let server: FakeGemini;

before(async () => {
  server = await startFakeGemini({ apiKeys: [KEY], prebuiltReplies: true });
});
after(() => server.close());

async function generate(aspectRatio: string): Promise<string> {
  const response = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash-image:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'a fox' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio } } }),
  });
  assert.equal(response.status, 200);
  return response.text();
}

test('the same request gets the very same reply; another shape gets its own', async () => {
  const first = await generate('16:9');
  assert.equal(await generate('16:9'), first);
  const square = await generate('1:1');
  assert.notEqual(square, first);
  assert.equal(await generate('1:1'), square);
  assert.match(first, /"inlineData"/);
});
