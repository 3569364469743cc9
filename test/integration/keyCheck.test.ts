// Set API Key checks a new key with one cheap call before saving it: against the stand-in (which
// answers models.list like Google) in every auth style, and against a relay without the route.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { keySource } from '../../src/core/keySource';
import { checkApiKey, saveDecision } from '../../src/gemini/keyCheck';
import type { AuthStyle } from '../../src/gemini/types';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { captureLog } from '../support/tempWorkspace';

const KEY = 'key-check-good-1';
let gemini: FakeGemini;
let relay: Server;
let relayUrl: string;

const clientFor = (baseUrl: string, apiKey: string, authStyle: AuthStyle = 'x-goog-api-key') =>
  new GeminiClient({ endpoint: { baseUrl, apiKey, authStyle }, maxRetries: 3, timeoutMs: 5_000, log: captureLog() });

before(async () => {
  gemini = await startFakeGemini({ apiKeys: [KEY], authStyles: ['x-goog-api-key', 'bearer', 'query'] });
  // A relay that only forwards generateContent: anything else is its own HTML 404 page.
  relay = createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end(`<html><body>Cannot ${req.method} ${req.url?.split('?')[0]}</body></html>`);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});
after(async () => {
  await gemini.close();
  await new Promise((resolve) => relay.close(resolve));
  await closeDispatchers();
});
beforeEach(() => gemini.reset());

describe('checking a key before it is saved', () => {
  for (const style of ['x-goog-api-key', 'bearer', 'query'] as AuthStyle[]) {
    test(`${style}: a good key works, with one GET of models.list and pageSize=1 as a real query parameter`, async () => {
      const check = await checkApiKey(clientFor(gemini.url, KEY, style));
      assert.equal(check.kind, 'works');
      assert.equal(saveDecision(check), 'save');
      assert.equal(gemini.requests.length, 1);
      const [seen] = gemini.requests;
      assert.equal(seen.method, 'GET');
      assert.equal(seen.path, '/v1beta/models');
      assert.equal(seen.query.pageSize, '1');
      assert.equal(seen.status, 200);
    });
  }

  test('a wrong key is refused, once (not retried), and is not saved', async () => {
    const check = await checkApiKey(clientFor(gemini.url, 'not-a-key'));
    assert.equal(check.kind, 'refused');
    assert.equal(saveDecision(check), 'askAgain');
    assert.equal(check.kind === 'refused' && check.error.kind, 'auth');
    assert.equal(gemini.requests.length, 1);
  });

  test('a relay without the route cannot check the key: the user may save it anyway', async () => {
    const check = await checkApiKey(clientFor(relayUrl, KEY));
    assert.equal(check.kind, 'unknown');
    assert.equal(saveDecision(check), 'offerSaveAnyway');
  });

  test('an unreachable server cannot check the key either', async () => {
    const check = await checkApiKey(clientFor('http://127.0.0.1:9', KEY));
    assert.equal(check.kind, 'unknown');
    assert.equal(check.kind === 'unknown' && check.error.kind, 'network');
  });

  test('which key is used: secret storage first, then GEMINI_API_KEY', () => {
    assert.equal(keySource('stored', 'env'), 'secretStorage');
    assert.equal(keySource(undefined, 'env'), 'environment');
    assert.equal(keySource('  ', ' env '), 'environment');
    assert.equal(keySource(undefined, ''), 'none');
  });
});
