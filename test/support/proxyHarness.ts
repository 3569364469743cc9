// The proxy tests' setup: one stand-in server, forward proxies on 127.0.0.1 started per test and
// closed after it, and the machine's proxy variables cleared for each test, then put back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers, type ProxySettings } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink } from '../../src/gemini/responseParser';
import { generateImages } from '../../src/generation/generateImages';
import { startFakeGemini, type FakeGemini } from './fakeGemini';
import { startForwardProxy, type ForwardProxy, type ForwardProxyOptions } from './forwardProxy';
import { captureLog, tempDir } from './tempWorkspace';

export const KEY = 'proxy-test-key-7Hq2';
export const MODEL = 'gemini-nano-banana-2.1';
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const savedEnv: Record<string, string | undefined> = {};
let proxies: ForwardProxy[] = [];

// Exported live bindings: the hooks replace them, and the tests read the current ones.
export let server: FakeGemini;
export let dir: { path: string; cleanup(): void };
export let log: ReturnType<typeof captureLog>;

/** Registers the hooks that give every test a clean proxy environment and a fresh folder. */
export function useProxyStandIn(): void {
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
