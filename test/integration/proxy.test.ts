// The client reaching the stand-in server through a real forward proxy on 127.0.0.1, configured the
// way VS Code hands it over (http.proxy, http.noProxy) or through the environment. Every test
// counts what passed through the proxy.
//
// What undici 7 does, measured here: a ProxyAgent tunnels with CONNECT even for http:// targets
// (proxyTunnel defaults to true), keeping the tunnel alive for the next requests; absolute-URI
// forwarding only happens with proxyTunnel: false, which the extension does not use.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { ProxyAgent } from 'undici';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers, type ProxySettings } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import { generateImages } from '../../src/generation/generateImages';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { startForwardProxy, type ForwardProxy, type ForwardProxyOptions } from '../support/forwardProxy';
import { captureLog, listFiles, tempDir } from '../support/tempWorkspace';
import { freePort, rejectsWith } from '../support/testHelpers';

const KEY = 'proxy-test-key-7Hq2';
const MODEL = 'gemini-nano-banana-2.1';
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

let server: FakeGemini;
let proxies: ForwardProxy[] = [];
let dir: { path: string; cleanup(): void };
let log: ReturnType<typeof captureLog>;
const savedEnv: Record<string, string | undefined> = {};

before(async () => {
  for (const name of PROXY_ENV) savedEnv[name] = process.env[name];
  server = await startFakeGemini({ apiKeys: [KEY] });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => {
  // The machine's own proxy variables must not decide these tests.
  for (const name of PROXY_ENV) delete process.env[name];
  server.reset();
  dir = tempDir('gis-proxy-');
  log = captureLog();
});
afterEach(async () => {
  // Dispatchers are cached per settings and read the environment when built: start each test afresh.
  await closeDispatchers();
  await Promise.all(proxies.map((p) => p.close()));
  proxies = [];
  dir.cleanup();
  for (const name of PROXY_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

async function proxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const p = await startForwardProxy(options);
  proxies.push(p);
  return p;
}

function client(proxySettings: ProxySettings | undefined, options: Partial<ClientOptions> = {}): GeminiClient {
  return new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, proxy: proxySettings, maxRetries: 2, maxRetryDelayMs: 50, timeoutMs: 10_000, log, ...options });
}

function generate(c: GeminiClient, count = 1, signal?: AbortSignal) {
  return generateImages({
    client: c,
    model: MODEL,
    request: buildImageRequest({ prompt: 'a lighthouse behind a proxy', model: MODEL }),
    count,
    targetPath: (ext) => join(dir.path, 'images', `lighthouse.${ext}`),
    tempDir: join(dir.path, 'images'),
    signal,
  });
}

/** The image went through and is exactly what the server sent. */
async function assertOneImageThrough(c: GeminiClient): Promise<void> {
  const reply = await c.generateContent(MODEL, buildImageRequest({ prompt: 'a fox', model: MODEL }), memorySink());
  assert.equal(reply.images.length, 1);
  assert.deepEqual(reply.images[0].handle, server.sentImages.at(-1));
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('VS Code http.proxy', () => {
  test('http://127.0.0.1:PORT: every request goes through a CONNECT tunnel, kept alive', async () => {
    const p = await proxy();
    const result = await generate(client({ proxyUrl: p.url }), 3);
    assert.equal(result.images.length, 3);
    assert.equal(server.requests.length, 3);
    assert.equal(p.tunnelledRequests, 3, 'each request passed through the proxy');
    assert.equal(p.passedThrough, server.requests.length, 'nothing reached the server around the proxy');
    assert.ok(p.connects >= 1 && p.connects <= 3, `tunnels: ${p.connects}`);
    assert.equal(p.forwarded, 0, 'undici tunnels http targets too; no absolute-URI requests');
    assert.ok(p.log.every((line) => line === `CONNECT 127.0.0.1:${server.port}`), p.log.join('\n'));
    assert.deepEqual(listFiles(dir.path), ['images/lighthouse-1.png', 'images/lighthouse-2.png', 'images/lighthouse.png']);

    // A second call reuses the pooled tunnel.
    const before = p.connects;
    await assertOneImageThrough(client({ proxyUrl: p.url }));
    assert.equal(p.connects, before);
    assert.equal(p.tunnelledRequests, 4);
  });

  test('host:port without a scheme (as users type it in http.proxy) is taken as http://', async () => {
    const p = await proxy();
    await assertOneImageThrough(client({ proxyUrl: `127.0.0.1:${p.port}` }));
    assert.equal(p.connects, 1);
    assert.equal(p.passedThrough, 1);
    assert.equal(server.requests.length, 1);
  });

  test('basic auth in the proxy URL: the proxy sees the credentials, the server never does', async () => {
    const p = await proxy({ auth: { user: 'proxy-user', pass: 'pa:ss wörd' } });
    const c = client({ proxyUrl: `http://proxy-user:${encodeURIComponent('pa:ss wörd')}@127.0.0.1:${p.port}` });
    await assertOneImageThrough(c);
    assert.deepEqual(p.proxyAuthorizations, [basic('proxy-user', 'pa:ss wörd')]);
    assert.equal(p.refused, 0);
    assert.equal(p.passedThrough, 1);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers['proxy-authorization'], undefined);

    // Without the scheme too.
    await closeDispatchers();
    await assertOneImageThrough(client({ proxyUrl: `proxy-user:${encodeURIComponent('pa:ss wörd')}@127.0.0.1:${p.port}` }));
    assert.equal(p.passedThrough, 2);
    assert.ok(log.lines.every((line) => !line.includes('wörd') && !line.includes(encodeURIComponent('pa:ss wörd'))), 'the proxy password is never logged');
  });

  test('a proxy that wants credentials and gets none (or wrong ones): a clear proxy error, not retried', async () => {
    const p = await proxy({ auth: { user: 'u', pass: 'right' } });
    const missing = await rejectsWith(generate(client({ proxyUrl: p.url })), 'proxy');
    assert.equal(missing.details.status, 407);
    assert.match(missing.message, new RegExp(`proxy 127\\.0\\.0\\.1:${p.port} asks for credentials`, 'i'));
    assert.equal(missing.retryable, false);
    assert.equal(p.refused, 1, 'a 407 is not retried');

    const wrong = await rejectsWith(generate(client({ proxyUrl: `http://u:wrong-pass@127.0.0.1:${p.port}` })), 'proxy');
    assert.equal(wrong.details.status, 407);
    assert.ok(!JSON.stringify({ wrong, message: wrong.message, cause: String(wrong.cause) }).includes('wrong-pass'), 'the proxy password stays out of the error');
    assert.equal(p.proxyAuthorizations.at(-1), basic('u', 'wrong-pass'));
    assert.equal(p.passedThrough, 0);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('a refusing proxy: a proxy error that says the proxy refused, nothing sent on, nothing written', async () => {
    const p = await proxy({ refuse: true });
    const e = await rejectsWith(generate(client({ proxyUrl: p.url })), 'proxy');
    assert.equal(e.details.status, 403);
    assert.match(e.message, new RegExp(`proxy 127\\.0\\.0\\.1:${p.port} refused the connection`, 'i'));
    assert.match(e.details.bodyExcerpt ?? '', /refused/);
    assert.equal(e.retryable, false);
    assert.equal(p.refused, 1, 'a refusal is not retried');
    assert.equal(p.passedThrough, 0);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(listFiles(dir.path), []);
  });

  test('a proxy that is not running: a network error naming its address', async () => {
    const port = await freePort();
    const e = await rejectsWith(generate(client({ proxyUrl: `http://127.0.0.1:${port}` }, { maxRetries: 0 })), 'network');
    assert.match(e.message, new RegExp(`ECONNREFUSED.*127\\.0\\.0\\.1:${port}`));
    assert.equal(server.requests.length, 0);
  });

  test('http.noProxy naming 127.0.0.1 bypasses the proxy', async () => {
    const p = await proxy();
    await assertOneImageThrough(client({ proxyUrl: p.url, noProxy: ['127.0.0.1'] }));
    assert.equal(p.connects + p.forwarded, 0);
    assert.equal(p.passedThrough, 0);
    assert.equal(server.requests.length, 1);

    // An entry for another host does not.
    await assertOneImageThrough(client({ proxyUrl: p.url, noProxy: ['example.invalid', 'localhost:1'] }));
    assert.equal(p.passedThrough, 1);
    assert.equal(server.requests.length, 2);
  });

  test('the stream passes the proxy intact: a 3 MB image in small chunks, then a reset mid-body', async () => {
    const p = await proxy();
    server.enqueue({ kind: 'image', bytes: 3_000_000, chunkSize: 16 * 1024 });
    const c = client({ proxyUrl: p.url }, { maxRetries: 0 });
    const result = await generate(c);
    assert.equal(result.images[0].byteLength, server.sentImages[0].length);
    server.enqueue({ kind: 'reset' });
    await rejectsWith(generate(c), 'network');
    assert.equal(p.tunnelledRequests, 2);
    assert.deepEqual(listFiles(dir.path), ['images/lighthouse.png']);
  });

  test('cancel while the server thinks, behind the proxy: cancelled, and the abort reaches the server through the tunnel', async () => {
    const p = await proxy();
    server.enqueue({ kind: 'hang' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    await rejectsWith(generate(client({ proxyUrl: p.url }), 1, abort.signal), 'cancelled');
    await server.idle(3000);
    assert.equal(server.requests.at(-1)!.aborted, true);
    assert.equal(p.tunnelledRequests, 1);
  });
});

describe('the environment (no http.proxy set)', () => {
  test('HTTP_PROXY is used for the http stand-in', async () => {
    const p = await proxy();
    process.env.HTTP_PROXY = p.url;
    await assertOneImageThrough(client(undefined));
    assert.equal(p.connects, 1);
    assert.equal(p.passedThrough, 1);
    assert.equal(server.requests.length, 1);
  });

  test('lower-case http_proxy with credentials works too', async () => {
    const p = await proxy({ auth: { user: 'env-user', pass: 'env-pass' } });
    process.env.http_proxy = `http://env-user:env-pass@127.0.0.1:${p.port}`;
    await assertOneImageThrough(client({}));
    assert.deepEqual(p.proxyAuthorizations, [basic('env-user', 'env-pass')]);
    assert.equal(p.passedThrough, 1);
  });

  test('HTTPS_PROXY alone does not apply to an http:// base URL', async () => {
    const p = await proxy();
    process.env.HTTPS_PROXY = p.url;
    await assertOneImageThrough(client(undefined));
    assert.equal(p.passedThrough + p.connects, 0);
    assert.equal(server.requests.length, 1);
  });

  test('NO_PROXY naming 127.0.0.1 (or its port) bypasses HTTP_PROXY', async () => {
    const p = await proxy();
    process.env.HTTP_PROXY = p.url;
    process.env.NO_PROXY = 'example.invalid, 127.0.0.1';
    await assertOneImageThrough(client(undefined));
    assert.equal(p.passedThrough + p.connects, 0);

    await closeDispatchers();
    process.env.NO_PROXY = `127.0.0.1:${server.port}`;
    await assertOneImageThrough(client(undefined));
    assert.equal(p.passedThrough + p.connects, 0);
    assert.equal(server.requests.length, 2);
  });

  test('a refusing proxy from the environment is reported like a configured one', async () => {
    const p = await proxy({ refuse: true });
    process.env.HTTP_PROXY = p.url;
    const e = await rejectsWith(generate(client(undefined)), 'proxy');
    assert.equal(e.details.status, 403);
    assert.match(e.message, new RegExp(`proxy 127\\.0\\.0\\.1:${p.port} refused`, 'i'));
    assert.equal(p.refused, 1);
    assert.equal(server.requests.length, 0);
  });

  test('http.proxy wins over HTTP_PROXY', async () => {
    const configured = await proxy();
    const fromEnv = await proxy({ refuse: true });
    process.env.HTTP_PROXY = fromEnv.url;
    await assertOneImageThrough(client({ proxyUrl: configured.url }));
    assert.equal(configured.passedThrough, 1);
    assert.equal(fromEnv.proxyAuthorizations.length, 0, 'the environment proxy was never asked');
  });
});

describe('absolute-URI forwarding (a ProxyAgent with proxyTunnel: false, passed as the dispatcher)', () => {
  test('requests are forwarded as absolute URIs, with the credentials, to the right path', async () => {
    const p = await proxy({ auth: { user: 'fwd', pass: 'fwd-pass' } });
    const dispatcher = new ProxyAgent({ uri: `http://fwd:fwd-pass@127.0.0.1:${p.port}`, proxyTunnel: false });
    try {
      const c = client(undefined, { dispatcher });
      await assertOneImageThrough(c);
      await assertOneImageThrough(c);
      assert.equal(p.forwarded, 2);
      assert.equal(p.connects, 0);
      assert.equal(p.passedThrough, server.requests.length);
      assert.deepEqual(p.log, Array(2).fill(`POST ${server.url}/v1beta/models/${MODEL}:generateContent`));
      assert.deepEqual(p.proxyAuthorizations, [basic('fwd', 'fwd-pass'), basic('fwd', 'fwd-pass')]);
      assert.equal(p.forwardedHeaders[0]['proxy-authorization'], undefined, 'the proxy does not pass its credentials on');
    } finally {
      await dispatcher.close();
    }
  });

  test('a refusing forward proxy answers 403 with a page: a proxy error with its excerpt', async () => {
    const p = await proxy({ refuse: true });
    const dispatcher = new ProxyAgent({ uri: p.url, proxyTunnel: false });
    try {
      const e = await rejectsWith(generate(client(undefined, { dispatcher })), 'proxy');
      assert.equal(e.details.status, 403);
      assert.match(e.details.bodyExcerpt ?? '', /denied by the proxy/);
      assert.equal(p.refused, 1);
      assert.equal(server.requests.length, 0);
    } finally {
      await dispatcher.close();
    }
  });
});
