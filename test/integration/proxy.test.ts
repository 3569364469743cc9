// The client reaching the stand-in server through a real forward proxy on 127.0.0.1, configured the
// way VS Code hands it over (http.proxy, http.noProxy) or given as the dispatcher (the environment's
// proxy variables: proxyEnvironment.test.ts). Every test counts what passed through the proxy.
//
// What undici 7 does, measured here: a ProxyAgent tunnels with CONNECT even for http:// targets
// (proxyTunnel defaults to true), keeping the tunnel alive for the next requests; absolute-URI
// forwarding only happens with proxyTunnel: false, which the extension does not use.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProxyAgent } from 'undici';
import { closeDispatchers } from '../../src/gemini/http';
import { assertOneImageThrough, basic, client, dir, generate, log, MODEL, proxy, server, useProxyStandIn } from '../support/proxyHarness';
import { listFiles } from '../support/tempWorkspace';
import { freePort, rejectsWith } from '../support/testHelpers';

useProxyStandIn();

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
    assert.equal(e.details.proxy, `127.0.0.1:${p.port}`, 'the proxy is named in a field the front end words, not in English text');
    assert.equal(e.details.bodyExcerpt, undefined);
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
