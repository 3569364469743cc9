// The client reaching the stand-in server through a real forward proxy on 127.0.0.1 that only the
// environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, upper or lower case), and http.proxy over it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closeDispatchers } from '../../src/gemini/http';
import { assertOneImageThrough, basic, client, generate, proxy, server, useProxyStandIn } from '../support/proxyHarness';
import { rejectsWith } from '../support/testHelpers';

useProxyStandIn();

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
