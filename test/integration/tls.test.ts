// TLS and redirects as users behind relays meet them: the stand-in served over HTTPS with a
// certificate openssl makes for this run, reached directly and through a CONNECT proxy that wants
// basic auth; and relays that answer with a redirect to another origin.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers, type ProxySettings } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import type { AuthStyle } from '../../src/gemini/types';
import { generateImages } from '../../src/generation/generateImages';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import type { ForwardProxy } from '../support/forwardProxy';
import { proxy as forwardProxy, useCleanProxyEnvironment } from '../support/proxyHarness';
import { selfSignedCertificate } from '../support/tlsCertificate';
import { captureLog, listFiles, tempDir } from '../support/tempWorkspace';
import { rejectsWith } from '../support/testHelpers';

const KEY = 'tls-test-key-Zr81x/q+';
const MODEL = 'gemini-nano-banana-2.1';

let certDir: { path: string; cleanup(): void };
let relay: FakeGemini;
let dir: { path: string; cleanup(): void };
let log: ReturnType<typeof captureLog>;

useCleanProxyEnvironment();
before(async () => {
  certDir = tempDir('gis-tls-cert-');
  relay = await startFakeGemini({ apiKeys: [KEY], tls: selfSignedCertificate(certDir.path) });
});
after(async () => {
  await relay.close();
  await closeDispatchers();
  certDir.cleanup();
});
beforeEach(() => {
  relay.reset();
  dir = tempDir('gis-tls-');
  log = captureLog();
});
afterEach(() => dir.cleanup());

function client(baseUrl: string, proxy: ProxySettings, options: Partial<ClientOptions> & { authStyle?: AuthStyle } = {}): GeminiClient {
  const { authStyle = 'x-goog-api-key', ...rest } = options;
  return new GeminiClient({ endpoint: { baseUrl, apiKey: KEY, authStyle }, proxy, maxRetries: 2, maxRetryDelayMs: 20, timeoutMs: 10_000, log, ...rest });
}

function generate(c: GeminiClient) {
  return generateImages({
    client: c,
    model: MODEL,
    request: buildImageRequest({ prompt: 'a lighthouse over TLS', model: MODEL }),
    count: 1,
    targetPath: (ext) => join(dir.path, 'images', `lighthouse.${ext}`),
    tempDir: join(dir.path, 'images'),
  });
}

function proxy(auth?: { user: string; pass: string }): Promise<ForwardProxy> {
  return forwardProxy({ auth });
}

describe('a relay with a self-signed certificate', () => {
  test('is refused by default: a certificate error that says how to trust it, not retried, nothing written', async () => {
    assert.match(relay.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const e = await rejectsWith(generate(client(relay.url, {})), 'certificate');
    assert.match(e.message, /SELF_SIGNED|UNABLE_TO_VERIFY/);
    assert.match(e.message, /NODE_EXTRA_CA_CERTS/);
    assert.doesNotMatch(e.message, /proxyStrictSSL/, 'the advice is to trust the certificate, not to stop checking');
    assert.equal(e.retryable, false);
    assert.equal(e.details.attempts, 1, 'a certificate does not get better on a retry');
    assert.equal(relay.requests.length, 0, 'no request reached the relay: the key was never sent');
    assert.deepEqual(listFiles(dir.path), []);
    assert.ok(!JSON.stringify([e.message, log.lines]).includes(KEY));
  });

  test('is accepted when the user turns http.proxyStrictSSL off; the key arrives as the header', async () => {
    const result = await generate(client(relay.url, { strictSSL: false }));
    assert.equal(result.images.length, 1);
    assert.deepEqual(listFiles(dir.path), ['images/lighthouse.png']);
    assert.equal(relay.requests.length, 1);
    assert.equal(relay.requests[0].headers['x-goog-api-key'], KEY);
  });

  test('strict (the default) is its own pooled connection: turning the setting back on refuses again', async () => {
    await generate(client(relay.url, { strictSSL: false }));
    await rejectsWith(generate(client(relay.url, { strictSSL: true })), 'certificate');
    assert.equal(relay.requests.length, 1);
  });
});

describe('an HTTPS relay behind an HTTP CONNECT proxy with basic auth', () => {
  test('works with strictSSL off: one tunnel, the proxy sees its credentials, never the key or the prompt', async () => {
    const p = await proxy({ user: 'corp-user', pass: 'corp-pass' });
    const c = client(relay.url, { proxyUrl: `http://corp-user:corp-pass@127.0.0.1:${p.port}`, strictSSL: false });
    const result = await generate(c);
    assert.equal(result.images.length, 1);
    assert.deepEqual(p.log, [`CONNECT 127.0.0.1:${relay.port}`]);
    assert.deepEqual(p.proxyAuthorizations, [`Basic ${Buffer.from('corp-user:corp-pass').toString('base64')}`]);
    assert.equal(relay.requests.length, 1);
    assert.equal(relay.requests[0].headers['x-goog-api-key'], KEY);
    assert.equal(relay.requests[0].headers['proxy-authorization'], undefined);
    assert.equal(p.sawInTunnels(KEY), false, 'inside the tunnel the key is encrypted');
    assert.equal(p.sawInTunnels('lighthouse over TLS'), false);
    assert.equal(p.sawInTunnels('generateContent'), false);
  });

  test('with strictSSL on, the certificate is refused through the tunnel too', async () => {
    const p = await proxy({ user: 'u', pass: 'p' });
    const e = await rejectsWith(generate(client(relay.url, { proxyUrl: `http://u:p@127.0.0.1:${p.port}` })), 'certificate');
    assert.match(e.message, /http\.systemCertificates/);
    assert.equal(p.connects, 1);
    assert.equal(relay.requests.length, 0);
  });

  test('a plain http:// relay on another host is refused before the proxy is even asked', async () => {
    const p = await proxy({ user: 'u', pass: 'p' });
    for (const authStyle of ['x-goog-api-key', 'bearer', 'query'] as const) {
      await rejectsWith(generate(client('http://relay.example', { proxyUrl: `http://u:p@127.0.0.1:${p.port}` }, { authStyle })), 'insecureUrl');
    }
    assert.equal(p.proxyAuthorizations.length, 0, 'nothing reached the proxy');
    assert.equal(p.connects + p.forwarded, 0);
  });
});

describe('redirects', () => {
  let other: Server;
  let otherSeen: { url: string; headers: Record<string, unknown> }[];
  let redirector: Server;
  let redirectorSeen: number;
  let status = 307;

  const listen = async (s: Server) => {
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    return (s.address() as AddressInfo).port;
  };

  before(async () => {
    otherSeen = [];
    other = createServer((req, res) => {
      otherSeen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const otherPort = await listen(other);
    // "localhost" and "127.0.0.1" are different origins: the relay points the client elsewhere.
    redirector = createServer((req, res) => {
      redirectorSeen++;
      res.writeHead(status, { location: `http://localhost:${otherPort}${req.url}`, 'content-type': 'text/plain' }).end('Moved.');
    });
    await listen(redirector);
  });
  after(async () => {
    await new Promise((r) => other.close(r));
    await new Promise((r) => redirector.close(r));
  });

  for (const code of [301, 302, 303, 307, 308]) {
    test(`a ${code} to another origin is not followed, in any auth style: the other server sees nothing`, async () => {
      status = code;
      redirectorSeen = 0;
      otherSeen.length = 0;
      const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      for (const authStyle of ['x-goog-api-key', 'bearer', 'query'] as const) {
        const c = client(base, {}, { authStyle });
        const e = await rejectsWith(generate(c), 'proxy');
        assert.equal(e.details.status, code);
        assert.equal(e.retryable, false);
        await rejectsWith(c.generateContent(MODEL, buildImageRequest({ prompt: 'x', model: MODEL }), memorySink()), 'proxy');
        await rejectsWith(c.requestJson({ method: 'GET', path: '/v1beta/files' }), 'proxy');
      }
      assert.equal(redirectorSeen, 9);
      assert.deepEqual(otherSeen, [], 'nothing, with or without the key, reached the redirect target');
      assert.deepEqual(listFiles(dir.path), []);
    });
  }
});
