import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GeminiError } from '../../src/gemini/errors';
import { errorFromResponse, excerptOf, parseDuration } from '../../src/gemini/errorResponse';
import { apiUrl, assertSecureTransport, authHeaders, buildImageRequest, generateContentPath, loggableUrl, redact } from '../../src/gemini/request';

test('imageSize is not sent to 2.5 Flash (a relay may still serve it) but is to Gemini 3', () => {
  const flash = buildImageRequest({ prompt: 'p', model: 'gemini-2.5-flash-image', aspectRatio: '16:9', imageSize: '2K' });
  assert.deepEqual(flash.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } });
  const pro = buildImageRequest({ prompt: 'p', model: 'gemini-3-pro-image', aspectRatio: '1:1', imageSize: '4K' });
  assert.deepEqual(pro.generationConfig?.imageConfig, { aspectRatio: '1:1', imageSize: '4K' });
});

test('the request has only documented fields, text first', () => {
  const r = buildImageRequest({ prompt: 'a cat', model: 'm', references: [{ fileData: { mimeType: 'image/png', fileUri: 'u' } }] });
  assert.deepEqual(Object.keys(r).sort(), ['contents', 'generationConfig']);
  assert.deepEqual(r.contents, [{ role: 'user', parts: [{ text: 'a cat' }, { fileData: { mimeType: 'image/png', fileUri: 'u' } }] }]);
  assert.equal((r.generationConfig as Record<string, unknown>).candidateCount, undefined);
});

test('URLs: trailing slash and /v1beta are normalised; query auth puts the key only in the query', () => {
  const e = { baseUrl: 'https://relay.example/v1beta/', apiKey: 'k-123', authStyle: 'query' as const };
  const url = apiUrl(e, generateContentPath('gemini-nano-banana-2.1'));
  assert.equal(url.toString(), 'https://relay.example/v1beta/models/gemini-nano-banana-2.1:generateContent?key=k-123');
  assert.equal(loggableUrl(url), 'https://relay.example/v1beta/models/gemini-nano-banana-2.1:generateContent');
  assert.deepEqual(authHeaders(e), {});
  assert.deepEqual(authHeaders({ ...e, authStyle: 'bearer' }), { authorization: 'Bearer k-123' });
  assert.deepEqual(authHeaders({ ...e, authStyle: 'x-goog-api-key' }), { 'x-goog-api-key': 'k-123' });
});

test('a relay base URL with a path prefix keeps it', () => {
  const url = apiUrl({ baseUrl: 'https://relay.example/gemini', apiKey: 'k', authStyle: 'x-goog-api-key' }, '/v1beta/models');
  assert.equal(url.toString(), 'https://relay.example/gemini/v1beta/models');
});

test('plain http is refused except to loopback', () => {
  assert.throws(() => assertSecureTransport('http://relay.example'), (e: unknown) => e instanceof GeminiError && e.kind === 'insecureUrl');
  assert.doesNotThrow(() => assertSecureTransport('http://127.0.0.1:8080'));
  assert.doesNotThrow(() => assertSecureTransport('http://localhost:1'));
  assert.doesNotThrow(() => assertSecureTransport('http://[::1]:1'));
  assert.doesNotThrow(() => assertSecureTransport('https://relay.example'));
});

test('redact removes the key and its encoded form', () => {
  assert.equal(redact('a key=AIza/x+y b AIza%2Fx%2By', 'AIza/x+y'), 'a key=[REDACTED] b [REDACTED]');
});

test('Google error bodies become typed errors', () => {
  const rate = errorFromResponse(429, {}, JSON.stringify({ error: { code: 429, message: 'Quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '46s' }] } }));
  assert.equal(rate.kind, 'rateLimited');
  assert.equal(rate.details.retryAfterMs, 46_000);
  assert.equal(rate.retryable, true);
  const key = errorFromResponse(400, {}, JSON.stringify({ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }));
  assert.equal(key.kind, 'auth');
  assert.equal(key.retryable, false);
  assert.equal(errorFromResponse(404, {}, '{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}').kind, 'notFound');
  assert.equal(errorFromResponse(403, {}, '{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}').retryable, false);
  assert.equal(errorFromResponse(503, {}, '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}').retryable, true);
});

test('Retry-After header is honoured when the body has no RetryInfo', () => {
  assert.equal(errorFromResponse(429, { 'retry-after': '7' }, '{"error":{"code":429,"message":"slow down"}}').details.retryAfterMs, 7000);
});

test('HTML from a proxy is summarised', () => {
  const e = errorFromResponse(502, {}, '<html><head><title>502 Bad Gateway</title><style>x{}</style></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
  assert.equal(e.kind, 'proxy');
  assert.equal(e.details.bodyExcerpt, '502 Bad Gateway 502 Bad Gateway nginx');
  assert.equal(e.retryable, true);
  assert.ok(excerptOf('x'.repeat(1000)).length <= 201);
});

test('durations', () => {
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('soon'), undefined);
});
