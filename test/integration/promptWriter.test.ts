// "Write Image Prompt from Selection" against the stand-in server: a Gemini text model gets the
// section (bounded), with no IMAGE modality; its answer comes back cleaned; and the prompt the user
// then keeps is exactly what the image request carries.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { sectionAt } from '../../src/core/markdownSection';
import { applyStyle, BUILTIN_STYLES } from '../../src/core/styles';
import type { GeminiClient } from '../../src/gemini/client';
import { GeminiError } from '../../src/gemini/errors';
import { writeImagePrompt } from '../../src/gemini/promptWriter';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink, requireImages } from '../../src/gemini/responseParser';
import type { GenerateContentRequest } from '../../src/gemini/types';
import { client as standInClient, KEY, log, server, useStandIn } from '../support/generateImagesHarness';

const TEXT_MODEL = 'gemini-3.5-flash-lite';
const IMAGE_MODEL = 'gemini-nano-banana-2.1';

const DOC = [
  '# Caching guide',
  '',
  '## 缓存失效',
  '写入时删除缓存，读取时回填。Entries expire after five minutes.',
  '',
  '```ts',
  '# not a heading',
  '```',
  '',
  '## Monitoring',
  'Watch the hit rate.',
].join('\n');

let client: GeminiClient;

useStandIn();
beforeEach(() => {
  client = standInClient({ maxRetries: 0 });
});

function generateRequests(): { path: string; body: GenerateContentRequest }[] {
  return server.requests.filter((r) => r.path.endsWith(':generateContent')).map((r) => ({ path: r.path, body: r.body as GenerateContentRequest }));
}

function sentText(body: GenerateContentRequest): string {
  return body.contents.flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n');
}

describe('writeImagePrompt against the stand-in server', () => {
  test('the section under the cursor is sent to the text model without IMAGE; the answer comes back cleaned', async () => {
    server.enqueue({ kind: 'textOnly', text: 'Prompt: "A whiteboard with a cache diagram, arrows between a database and a glowing memory box"' });
    const section = sectionAt(DOC, 3);
    assert.equal(section.heading, '缓存失效');

    const result = await writeImagePrompt(client, TEXT_MODEL, section.text, { maxChars: 4000 });

    assert.deepEqual(result, { prompt: 'A whiteboard with a cache diagram, arrows between a database and a glowing memory box', truncated: false });
    const [seen] = generateRequests();
    assert.equal(seen.path, `/v1beta/models/${TEXT_MODEL}:generateContent`);
    assert.ok(sentText(seen.body).includes('写入时删除缓存，读取时回填。Entries expire after five minutes.'));
    assert.ok(!sentText(seen.body).includes('Watch the hit rate'), 'only the section, not the next one');
    assert.ok(!JSON.stringify(seen.body).includes('IMAGE'));
    assert.equal(seen.body.generationConfig?.responseModalities?.includes('IMAGE') ?? false, false);
  });

  test('a huge section is bounded before it is sent', async () => {
    const huge = `# Big\n\n${`${'This paragraph repeats to make a very long section. '.repeat(400)}\n\n`.repeat(50)}# Next\n`;
    assert.ok(sectionAt(huge, 3).text.length > 1_000_000);
    const result = await writeImagePrompt(client, TEXT_MODEL, sectionAt(huge, 3).text, { maxChars: 6000 });
    assert.equal(result.truncated, true);
    const [seen] = generateRequests();
    const text = sentText(seen.body);
    assert.ok(text.length < 6000 + 3000, `sent ${text.length} characters`);
    assert.ok(server.requests[0].bodyBytes < 12_000, `request body ${server.requests[0].bodyBytes} bytes`);
  });

  test('the prompt the user keeps is the one the image request carries', async () => {
    server.enqueue({ kind: 'textOnly', text: '```\nA glowing memory box beside a database, arrows showing reads and writes\n```' });
    const style = BUILTIN_STYLES.find((s) => s.id === 'flat-illustration');
    const written = await writeImagePrompt(client, TEXT_MODEL, sectionAt(DOC, 3).text, { style });
    assert.ok(sentText(generateRequests()[0].body).includes('"Flat illustration"'));

    // The input box shows the styled prompt; the user edits it; that exact text is generated.
    const shown = applyStyle(style, written.prompt).finalPrompt;
    assert.ok(shown.startsWith('A flat vector illustration of A glowing memory box beside a database'));
    const edited = `${shown} Use teal and orange.`;
    const reply = requireImages(await client.generateContent(IMAGE_MODEL, buildImageRequest({ prompt: edited, model: IMAGE_MODEL, aspectRatio: '16:9' }), memorySink()));
    assert.equal(reply.images.length, 1);
    const imageRequest = generateRequests()[1];
    assert.equal(imageRequest.path, `/v1beta/models/${IMAGE_MODEL}:generateContent`);
    assert.equal(imageRequest.body.contents[0].parts[0].text, edited);
    assert.deepEqual(imageRequest.body.generationConfig?.responseModalities, ['TEXT', 'IMAGE']);
  });

  test('an empty answer is a clear error, and the key never reaches the log', async () => {
    server.enqueue({ kind: 'textOnly', text: '   ' });
    await assert.rejects(writeImagePrompt(client, TEXT_MODEL, 'Some text.'), (e: unknown) => e instanceof GeminiError && e.kind === 'noText' && e.details.serverMessage === undefined);
    assert.ok(log.lines.every((l) => !l.includes(KEY)));
  });

  test('the text model can be any id the server knows; an unknown one is notFound', async () => {
    server.enqueue({ kind: 'textOnly', text: 'A lighthouse' });
    assert.equal((await writeImagePrompt(client, 'gemini-3.1-flash-lite', 'Lighthouses.')).prompt, 'A lighthouse');
    await assert.rejects(writeImagePrompt(client, 'gemini-0-nope', 'x'), (e: unknown) => e instanceof GeminiError && e.kind === 'notFound');
  });

  test('cancellable while the model thinks', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = writeImagePrompt(client, TEXT_MODEL, 'Some text.', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(pending, (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    await server.idle();
  });
});

describe('the stand-in as a prompt writer', () => {
  test('answers with a plausible prompt about the text it was given, so the demo shows the feature working', async () => {
    const text = 'A chalkboard menu leaning against a wooden barrel outside a café. The cat sleeps.';
    const written = await writeImagePrompt(client, TEXT_MODEL, text);
    assert.match(written.prompt, /^An editorial illustration of a chalkboard menu leaning against a wooden barrel outside a café: /);
    assert.ok(!/document|stand-in|describe/i.test(written.prompt), written.prompt);
  });
});
