// Bench row "second edit with the same reference image: image bytes uploaded = 0" (the Files API
// cache). Two edits with the same reference image run against a stand-in server that keeps request
// bodies; the image bytes the client sent during the second (Files API upload bodies plus inline
// image data in generateContent) are counted. Target: 0. The seed-style baseline sends the image
// inline every time, so its figure is the image's size.
//
// ===================================== HOOK: WIRE THE CACHE HERE =====================================
// wiredAdapter() below runs ONE edit the way the extension does: the reference through the upload
// cache (src/references/), then generateImages. It is written against referencePart() and
// UploadCache as they were when the bench was written, loaded without compile-time types so the
// bench keeps building while that code changes; if their API moves, the row says so (it does not
// crash): re-wire edit() to the new API, or to the command that really makes edits.
// =====================================================================================================
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { GeminiClient } from '../../src/gemini/client';
import { buildImageRequest } from '../../src/gemini/request';
import type { Part } from '../../src/gemini/types';
import { generateImages } from '../../src/generation/generateImages';
import { startFakeGemini, type RecordedRequest } from '../support/fakeGemini';
import { makeImage } from '../support/fakeGemini/images';
import { oursClient } from './contenders';
import type { ReferenceResult, ReferenceTask, ServerInfo } from './protocol';

export interface ReferenceEditAdapter {
  edit(input: {
    server: ServerInfo;
    referencePath: string;
    workDir: string;
    /** Kept between the two edits (a cache instance, a client...). */
    state: Record<string, unknown>;
  }): Promise<void>;
}

type Loose = Record<string, unknown>;

/** The adapter for the cache as it is now, or why there is none. */
function wiredAdapter(): ReferenceEditAdapter | string {
  let partsModule: Loose;
  let cacheModule: Loose;
  try {
    // Plain requires inside try: the bench still builds and runs while the modules do not exist.
    partsModule = require('../../src/references/referenceParts') as Loose;
    cacheModule = require('../../src/references/uploadCache') as Loose;
  } catch (e) {
    return `no reference cache module to load (${(e as Error).message.split('\n')[0]})`;
  }
  const referencePart = partsModule.referencePart as ((image: Loose, options: Loose) => Promise<Part>) | undefined;
  const UploadCache = cacheModule.UploadCache as (new (store: Loose) => unknown) | undefined;
  if (typeof referencePart !== 'function' || typeof UploadCache !== 'function') {
    return 'src/references/ no longer exports referencePart() and UploadCache as this hook expects';
  }
  return {
    async edit({ server, referencePath, workDir, state }) {
      const client = (state.client ??= oursClient(server)) as GeminiClient;
      let stored: unknown;
      const cache = (state.cache ??= new UploadCache({ get: () => stored, set: async (value: unknown) => void (stored = value) }));
      const part = await referencePart({ bytes: readFileSync(referencePath), mimeType: 'image/png', name: 'reference.png' }, { client, cache, mode: 'auto' });
      const result = await generateImages({
        client,
        model: server.model,
        request: buildImageRequest({ prompt: 'the same scene, with a blue sky', model: server.model, references: [part] }),
        count: 1,
        targetPath: (ext) => join(workDir, `edit.${ext}`),
        tempDir: workDir,
      });
      if (result.failures.length) throw result.failures[0];
    },
  };
}

/** Compiled modules that look like the cache, to tell the lead the hook can be wired now. */
function candidateModules(root: string): string[] {
  const src = join(root, 'out', 'src');
  const found: string[] = [];
  const references = join(src, 'references');
  if (existsSync(references)) found.push(...readdirSync(references).filter((f) => f.endsWith('.js')).map((f) => join(references, f)));
  for (const dir of ['gemini', 'workspace', 'generation']) {
    const full = join(src, dir);
    if (!existsSync(full)) continue;
    found.push(...readdirSync(full).filter((f) => /^(files|fileCache|filesApi|upload|references?|referenceCache)\w*\.js$/i.test(f)).map((f) => join(full, f)));
  }
  return found.map((f) => relative(join(root, 'out'), f));
}

function base64Bytes(data: string): number {
  return Buffer.byteLength(data, 'base64');
}

/** Image bytes inside a generateContent body: every inlineData / inline_data data string. */
function inlineImageBytes(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + inlineImageBytes(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let sum = 0;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const inline = (key === 'inlineData' || key === 'inline_data') && v && typeof v === 'object' ? (v as { data?: unknown }) : undefined;
    if (inline && typeof inline.data === 'string') sum += base64Bytes(inline.data);
    else sum += inlineImageBytes(v);
  }
  return sum;
}

/** Image bytes a client sent in these requests: upload bodies and inline image data. */
export function uploadedImageBytes(requests: RecordedRequest[]): number {
  let sum = 0;
  for (const r of requests) {
    const command = String(r.headers['x-goog-upload-command'] ?? '').toLowerCase();
    if (r.path.startsWith('/upload/') && command.includes('upload')) sum += r.bodyBytes;
    else if (r.path.endsWith(':generateContent')) sum += inlineImageBytes(r.body);
  }
  return sum;
}

export async function measureReferenceReuse(task: ReferenceTask, workDir: string): Promise<ReferenceResult> {
  const adapter = wiredAdapter();
  if (typeof adapter === 'string') {
    const found = candidateModules(task.root);
    const where = found.length ? `; modules that look like it: ${found.join(', ')}` : '';
    return { kind: 'references', status: 'pending', note: `${adapter}${where}: wire the hook in test/bench/referenceReuse.ts` };
  }
  // A server of our own that keeps request bodies (the shared one runs lean).
  const server = await startFakeGemini({ apiKeys: [task.server.key] });
  const referencePath = join(workDir, 'reference.png');
  const image = makeImage({ mimeType: 'image/png', width: 1024, height: 1024, seed: 7, targetBytes: 1_500_000 }).bytes;
  writeFileSync(referencePath, image);
  try {
    const info: ServerInfo = { ...task.server, url: server.url };
    const state: Record<string, unknown> = {};
    await adapter.edit({ server: info, referencePath, workDir, state });
    const firstEditBytes = uploadedImageBytes(server.requests);
    const mark = server.requests.length;
    await adapter.edit({ server: info, referencePath, workDir, state });
    const secondEditBytes = uploadedImageBytes(server.requests.slice(mark));
    return { kind: 'references', status: 'measured', imageBytes: image.length, firstEditBytes, secondEditBytes };
  } catch (e) {
    return { kind: 'references', status: 'failed', note: `the edit through the hook failed: ${(e as Error)?.message ?? e}` };
  } finally {
    await server.close();
  }
}
