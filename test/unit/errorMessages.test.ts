// The words a user reads for each failure (English source strings; the l10n test guards the rest).
// errorMessages.ts needs `vscode` only for l10n.t: the bench's stub module stands in for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { DestinationError } from '../../src/core/destination';
import { StudioError } from '../../src/core/studioError';
import { ConversationError } from '../../src/gemini/conversation';
import { GeminiError } from '../../src/gemini/errors';
import { errorFromResponse } from '../../src/gemini/errorResponse';
import { errorText } from '../../src/cli/report';

installVscodeStub(createVscodeStub({ commands: [], serializers: [], outputChannels: [] }));
// Loaded after the stub is in place.
const { describeError } = require('../../src/commands/errorMessages') as typeof import('../../src/commands/errorMessages');

const context = { model: 'gemini-9-imaginary', baseUrl: 'https://relay.example/v1beta', timeoutSeconds: 180 };

test('404: names the model, always offers Select Model, and the replacement when one is known', () => {
  const d = describeError(new GeminiError('notFound', 'HTTP 404', { status: 404, serverMessage: 'models/gemini-9-imaginary is not found' }), context);
  assert.match(d.text, /Model "gemini-9-imaginary" was not found \(models\/gemini-9-imaginary is not found\)\. Pick one the endpoint lists\./);
  assert.deepEqual(d.actions, ['selectModel', 'openSettings']);
  assert.equal(d.setting, 'geminiImage.model');
  const retired = describeError(new GeminiError('notFound', 'HTTP 404', { status: 404, model: 'gemini-3-pro-image-preview', replacement: 'gemini-3-pro-image', serverMessage: 'models/gemini-3-pro-image-preview is not found for API version v1beta' }), context);
  assert.match(retired.text, /Model "gemini-3-pro-image-preview" is not available at this endpoint .*Its replacement is gemini-3-pro-image\./);
  assert.deepEqual(retired.actions, ['useReplacement', 'selectModel']);
  assert.equal(retired.replacement, 'gemini-3-pro-image');
});

test('a refused key offers Set API Key; a block names its reason and quotes the model', () => {
  assert.deepEqual(describeError(new GeminiError('auth', 'x', { serverMessage: 'API key not valid.' }), context).actions, ['setApiKey']);
  const blocked = describeError(new GeminiError('blocked', 'x', { finishReason: 'IMAGE_SAFETY', modelText: 'I cannot draw that.' }), context);
  assert.equal(blocked.text, 'No image: the request was blocked (image safety filter). The model said: "I cannot draw that."');
  const none = describeError(new GeminiError('noImage', 'x', { finishReason: 'NO_IMAGE' }), context);
  assert.equal(none.text, 'The model returned no image (the model made no image). The endpoint answered HTTP 200 without an image; a relay may still have billed this request.');
  const google = describeError(new GeminiError('noImage', 'x', { finishReason: 'NO_IMAGE' }), { ...context, baseUrl: 'https://generativelanguage.googleapis.com' });
  assert.equal(google.text, 'The model returned no image (the model made no image).', 'no relay, no relay billing remark');
});

test('Google\'s 401 ACCESS_TOKEN_TYPE_UNSUPPORTED: a new key from AI Studio, with the button', () => {
  const body = JSON.stringify({
    error: {
      code: 401,
      message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      status: 'UNAUTHENTICATED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', domain: 'googleapis.com' }],
    },
  });
  const error = errorFromResponse(401, {}, body);
  assert.equal(error.kind, 'auth');
  assert.equal(error.details.reason, 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
  const d = describeError(error, context);
  assert.equal(d.text, 'Google no longer accepts this kind of API key. Create a new key in AI Studio, then set it here.');
  assert.deepEqual(d.actions, ['openAiStudio', 'setApiKey']);
  assert.equal(errorText(error), 'Google no longer accepts this kind of API key. Create a new key in AI Studio: https://aistudio.google.com/apikey (HTTP 401 ACCESS_TOKEN_TYPE_UNSUPPORTED)');
  // Any other 401 keeps the server's words.
  const other = errorFromResponse(401, {}, JSON.stringify({ error: { code: 401, message: 'Invalid token.', status: 'UNAUTHENTICATED' } }));
  assert.equal(describeError(other, context).text, 'The API key was refused: Invalid token.');
});

test('retries are counted, proxies summarised, timeouts and insecure URLs name their setting', () => {
  assert.match(describeError(new GeminiError('server', 'x', { status: 503, attempts: 4, serverMessage: 'The model is overloaded.' }), context).text, /HTTP 503\) after 4 attempt\(s\): The model is overloaded\./);
  assert.match(describeError(new GeminiError('proxy', 'x', { status: 502, bodyExcerpt: '502 Bad Gateway nginx' }), context).text, /HTTP 502 .*: 502 Bad Gateway nginx/);
  const timeout = describeError(new GeminiError('timeout', 'x'), context);
  assert.match(timeout.text, /180 seconds.*geminiImage\.timeoutSeconds/);
  assert.equal(timeout.setting, 'geminiImage.timeoutSeconds');
  const insecure = describeError(new GeminiError('insecureUrl', 'x'), context);
  assert.match(insecure.text, /plain http to relay\.example.*geminiImage\.baseUrl/);
});

test('bug 3: each failure that is not the reply says what it is', () => {
  // A GIF or unreadable reference is ours to report, not "The reply could not be read".
  assert.equal(describeError(new StudioError('notAnImage', 'x', { file: 'anim.gif' }), context).text, 'anim.gif is not a PNG, JPEG or WebP image.');
  assert.deepEqual(describeError(new StudioError('fileUnreadable', 'x', { file: 'gone.png' }), context), { text: 'Cannot read gone.png.', actions: ['showLog'] });
  // A describe (or prompt writer) with no text says so, not "returned no image".
  assert.equal(describeError(new GeminiError('noText', 'x', { finishReason: 'STOP' }), context).text, 'The model returned no text (STOP).');
  // A chat model that refused is not the Gemini API denying permission.
  const chat = describeError(new GeminiError('chatRefused', 'x', { serverMessage: 'The user did not consent.' }), context);
  assert.equal(chat.text, 'The chat model refused: The user did not consent.');
  assert.equal(chat.setting, 'geminiImage.promptWriter.chatModel');
});

test('only the server\'s text is quoted: the core\'s English messages stay in the log', () => {
  const english = 'Invalid JSON at byte 512: expected a value';
  for (const kind of ['badResponse', 'noImage', 'blocked', 'network', 'timeout', 'noText', 'uploadFailed', 'invalidBaseUrl'] as const) {
    assert.ok(!describeError(new GeminiError(kind, english), context).text.includes(english), kind);
  }
  assert.equal(describeError(new GeminiError('badResponse', english, { imageType: 'image/x-foo' }), context).text, 'The reply could not be read: its image is of an unknown type (image/x-foo).');
  assert.equal(describeError(new GeminiError('network', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', { networkCode: 'ECONNREFUSED' }), context).text, 'Could not reach relay.example: ECONNREFUSED. Check "geminiImage.baseUrl" and your proxy ("http.proxy").');
  assert.equal(describeError(new GeminiError('invalidBaseUrl', 'The base URL must be http(s), not ftp:'), context).setting, 'geminiImage.baseUrl');
  assert.equal(describeError(new ConversationError('modelChanged', 'model a, not b'), context).text, 'Cannot refine this image: it was made with another model.');
  assert.match(describeError(new DestinationError('outsideWorkspace', '/elsewhere/x.png'), context).text, /\/elsewhere\/x\.png is outside the workspace/);
  assert.deepEqual(describeError(new Error('undefined is not a function'), context), { text: 'Something went wrong. The log has the details.', actions: ['showLog'] });
});

test('an untrusted certificate names the host and http.proxyStrictSSL, and opens that setting', () => {
  const d = describeError(new GeminiError('certificate', 'x', { networkCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), context);
  assert.equal(d.text, 'The TLS certificate of relay.example is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT). If a relay or proxy uses its own certificate, turn off "http.proxyStrictSSL".');
  assert.deepEqual(d.actions, ['openSettings', 'showLog']);
  assert.equal(d.setting, 'http.proxyStrictSSL');
});

test('a relay\'s message that holds a markdown link is quoted as text, not as a link VS Code would render', () => {
  const d = describeError(new GeminiError('badRequest', 'x', { serverMessage: 'Quota gone. [Renew your key](https://phish.example/renew)' }), context);
  assert.ok(!/\]\(https:/.test(d.text), d.text);
  assert.equal(d.text.replace(/\u200B/g, ''), 'Gemini rejected the request: Quota gone. [Renew your key](https://phish.example/renew)');
});
