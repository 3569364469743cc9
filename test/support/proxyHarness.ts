// The proxy tests' setup: one stand-in server, forward proxies on 127.0.0.1 started per test and
// closed after it, and the machine's proxy variables cleared for each test, then put back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, before, beforeEach } from 'node:test';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers, type ProxySettings } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import { generateImages } from '../../src/generation/generateImages';
import { dir, KEY, log, server, useStandIn } from './generateImagesHarness';
import { startForwardProxy, type ForwardProxy, type ForwardProxyOptions } from './forwardProxy';

export const MODEL = 'gemini-nano-banana-2.1';
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const savedEnv: Record<string, string | undefined> = {};
let proxies: ForwardProxy[] = [];

// The generation tests' stand-in, folder and log (live bindings).
export { dir, KEY, log, server } from './generateImagesHarness';

/**
 * The machine's own proxy variables must not decide these tests: cleared before each, put back
 * after it. Dispatchers are cached per settings and read the environment when built, and proxies
 * are per test: both go after each test.
 */
export function useCleanProxyEnvironment(): void {
  before(() => {
    for (const name of PROXY_ENV) savedEnv[name] = process.env[name];
  });
  beforeEach(() => {
    for (const name of PROXY_ENV) delete process.env[name];
  });
  afterEach(async () => {
    await closeDispatchers();
    await Promise.all(proxies.map((p) => p.close()));
    proxies = [];
    for (const name of PROXY_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });
}

/** Registers the hooks that give every test a clean proxy environment, the stand-in and a fresh folder. */
export function useProxyStandIn(): void {
  useCleanProxyEnvironment();
  useStandIn();
}

export async function proxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const p = await startForwardProxy(options);
  proxies.push(p);
  return p;
}

export function client(proxySettings: ProxySettings | undefined, options: Partial<ClientOptions> = {}): GeminiClient {
  return new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle: 'x-goog-api-key' }, proxy: proxySettings, maxRetries: 2, maxRetryDelayMs: 50, timeoutMs: 10_000, log, ...options });
}

export function generate(c: GeminiClient, count = 1, signal?: AbortSignal) {
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
export async function assertOneImageThrough(c: GeminiClient): Promise<void> {
  const reply = await c.generateContent(MODEL, buildImageRequest({ prompt: 'a fox', model: MODEL }), memorySink());
  assert.equal(reply.images.length, 1);
  assert.deepEqual(reply.images[0].handle, server.sentImages.at(-1));
}

export const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
