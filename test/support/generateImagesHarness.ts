// The stand-in server, a fresh folder and a captured log for each test that generates against it
// (generateImages, the pipeline, destination folders), and run(): one generation of 'a lighthouse
// at dawn' into that folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import type { AuthStyle } from '../../src/gemini/types';
import { generateImages, type GenerateImagesInput } from '../../src/generation/generateImages';
import { startFakeGemini, type FakeGemini } from './fakeGemini';
import { captureLog, tempDir } from './tempWorkspace';

export const KEY = 'test-key-Zq81';
// Exported live bindings: the hooks replace them, and the tests read the current ones.
export let server: FakeGemini;
export let dir: { path: string; cleanup(): void };
export let log: ReturnType<typeof captureLog>;

/** One server for the test file; a fresh folder and log for each test. */
export function useStandIn(): void {
  before(async () => {
    server = await startFakeGemini({ apiKeys: [KEY] });
  });
  after(async () => {
    await server.close();
    await closeDispatchers();
  });
  beforeEach(() => {
    server.reset();
    dir?.cleanup();
    dir = tempDir();
    log = captureLog();
  });
}

export function client(options: Partial<ClientOptions> = {}, authStyle: AuthStyle = 'x-goog-api-key') {
  return new GeminiClient({ endpoint: { baseUrl: server.url, apiKey: KEY, authStyle }, maxRetries: 2, timeoutMs: 10_000, log, ...options });
}

export function run(overrides: Partial<GenerateImagesInput> = {}) {
  const prompt = 'a lighthouse at dawn';
  return generateImages({
    client: client(),
    model: 'gemini-nano-banana-2.1',
    request: buildImageRequest({ prompt, model: 'gemini-nano-banana-2.1', aspectRatio: '16:9' }),
    count: 1,
    targetPath: (ext) => join(dir.path, 'images', `a-lighthouse-at-dawn.${ext}`),
    tempDir: join(dir.path, 'images'),
    ...overrides,
  });
}

export function assertKeyNowhere(...texts: string[]) {
  for (const t of [...texts, ...log.lines]) assert.ok(!t.includes(KEY), `the key leaked into: ${t.slice(0, 200)}`);
}
