// The words for each finishReason and blockReason of Google's enum, and finishMessage around them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { GeminiError } from '../../src/gemini/errors';

installVscodeStub(createVscodeStub({ commands: [], serializers: [], outputChannels: [] }));
const { reasonText } = require('../../src/commands/finishReasons') as typeof import('../../src/commands/finishReasons');
const { describeError } = require('../../src/commands/errorMessages') as typeof import('../../src/commands/errorMessages');
const { progressText } = require('../../src/commands/editorPorts') as typeof import('../../src/commands/editorPorts');

const FINISH_REASONS = [
  'STOP', 'MAX_TOKENS', 'SAFETY', 'RECITATION', 'LANGUAGE', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'MALFORMED_FUNCTION_CALL',
  'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_OTHER', 'NO_IMAGE', 'IMAGE_RECITATION', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS',
  'MISSING_THOUGHT_SIGNATURE', 'MALFORMED_RESPONSE',
];
const BLOCK_REASONS = ['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY'];
const context = { model: 'gemini-nano-banana-2.1', baseUrl: 'https://generativelanguage.googleapis.com', timeoutSeconds: 180 };

test('every reason of the enum but STOP has its own words, none is shown raw', () => {
  const texts = new Map<string, string>();
  for (const reason of [...FINISH_REASONS, ...BLOCK_REASONS].filter((r) => r !== 'STOP')) {
    const text = reasonText(reason);
    assert.notEqual(text, reason, reason);
    assert.ok(!/[A-Z]{3,}_/.test(text), `${reason}: ${text}`);
    texts.set(reason, text);
  }
  // The image variants say something of their own.
  assert.notEqual(texts.get('IMAGE_PROHIBITED_CONTENT'), texts.get('PROHIBITED_CONTENT'));
  assert.notEqual(texts.get('IMAGE_RECITATION'), texts.get('RECITATION'));
  assert.equal(reasonText('LANGUAGE'), 'the prompt is in a language the model does not support');
  assert.equal(reasonText('IMAGE_OTHER'), 'the image was stopped for another reason');
  assert.equal(reasonText(undefined), 'no reason given');
});

test('a reason nobody knows yet is shown by its name, as Google sent it', () => {
  assert.equal(reasonText('IMAGE_TOO_BRIGHT'), 'IMAGE_TOO_BRIGHT');
  const d = describeError(new GeminiError('noImage', 'x', { finishReason: 'IMAGE_TOO_BRIGHT' }), context);
  assert.equal(d.text, 'The model returned no image (IMAGE_TOO_BRIGHT).');
});

test("finishMessage is quoted inside the user's words", () => {
  const d = describeError(new GeminiError('blocked', 'x', { finishReason: 'IMAGE_SAFETY', finishMessage: 'Unable to show the generated image.  The image was filtered out.' }), context);
  assert.equal(d.text, 'No image: the request was blocked (image safety filter). Google says: "Unable to show the generated image. The image was filtered out."');
  const prompt = describeError(new GeminiError('blocked', 'x', { blockReason: 'BLOCKLIST' }), context);
  assert.equal(prompt.text, 'No image: the request was blocked (blocked terms).');
  const imageSafety = describeError(new GeminiError('blocked', 'x', { blockReason: 'IMAGE_SAFETY' }), context);
  assert.equal(imageSafety.text, 'No image: the request was blocked (image safety filter).');
});

test('MISSING_THOUGHT_SIGNATURE says so and offers a new conversation from the image; MALFORMED_RESPONSE asks to retry', () => {
  const d = describeError(new GeminiError('noImage', 'x', { finishReason: 'MISSING_THOUGHT_SIGNATURE' }), context);
  assert.match(d.text, /lost a thought signature; start a new conversation from the image/);
  assert.deepEqual(d.actions, ['startOver']);
  assert.match(describeError(new GeminiError('noImage', 'x', { finishReason: 'MALFORMED_RESPONSE' }), context).text, /malformed answer; try again/);
});

test("a FAILED upload shows File.error's message", () => {
  const d = describeError(new GeminiError('uploadFailed', 'x', { fileError: 'The image data is not supported.' }), context);
  assert.equal(d.text, 'Gemini could not process an uploaded reference image: The image data is not supported.');
});

test('a text-only answer (STOP, no image) says so in words, not by the enum name', () => {
  const d = describeError(new GeminiError('noImage', 'x', { finishReason: 'STOP', modelText: 'Here is a poem instead.' }), context);
  assert.doesNotMatch(d.text, /STOP/);
  assert.match(d.text, /^The model answered with text only, no image\./);
});

test('a retry says who answered: a proxy\'s 502 is not "Gemini is busy"', () => {
  assert.equal(progressText({ type: 'retry', attempt: 1, delayMs: 1500, reason: 'proxy', status: 502 }), 'HTTP 502 from the server or a proxy in between; retry 1 in 2 s…');
  assert.equal(progressText({ type: 'retry', attempt: 2, delayMs: 1000, reason: 'server', status: 503 }), 'Gemini is busy; retry 2 in 1 s…');
  assert.equal(progressText({ type: 'retry', attempt: 1, delayMs: 1000, reason: 'network' }), 'The connection failed; retry 1 in 1 s…');
});
