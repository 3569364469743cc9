// The two ways of getting one generated image onto disk that the bench compares, plus the floor:
//   ours      the editor's pipeline (generate() in src/generation) with plain-Node ports, as the CLI
//             runs it: temp file, sha256, PNG prompt metadata, commit by link, gallery records and
//             the stored conversation, a fresh client per job; generateContent
//   stream    the same through streamGenerateContent?alt=sse, as the editor sends it
//   baseline  the seed's Node example: global fetch, response.json(), Buffer.from(base64), writeFileSync
//   floor     the same request with undici, the reply read and dropped (server + transfer only)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../src/gallery/conversationStore';
import { Gallery } from '../../src/gallery/gallery';
import { GalleryStore } from '../../src/gallery/galleryStore';
import { GeminiClient } from '../../src/gemini/client';
import { dispatcherFor, loadUndici } from '../../src/gemini/http';
import { apiUrl, authHeaders, buildImageRequest, generateContentPath } from '../../src/gemini/request';
import type { Endpoint, GenerateContentRequest } from '../../src/gemini/types';
import { generate } from '../../src/generation/pipeline';
import type { GenerationDeps, LinkedImage } from '../../src/generation/ports';
import { UploadCache } from '../../src/references/uploadCache';
import type { ServerInfo } from './protocol';

export const PROMPT = 'a lighthouse at dawn, photorealistic, golden light';

export interface Written {
  path: string;
  bytes: number;
}

/** What every contender asks for: the job ours runs, so all three send the same body. */
const JOB_OPTIONS = { aspectRatio: '1:1', imageSize: '1K' } as const;

export function imageRequest(model: string): GenerateContentRequest {
  return buildImageRequest({ prompt: PROMPT, model, ...JOB_OPTIONS });
}

function endpointOf(server: ServerInfo): Endpoint {
  return { baseUrl: server.url, apiKey: server.key, authStyle: 'x-goog-api-key' };
}

export function oursClient(server: ServerInfo): GeminiClient {
  return new GeminiClient({ endpoint: endpointOf(server), maxRetries: 0, timeoutMs: 120_000 });
}

/** Workspace storage as VS Code's Memento gives it to the extension: in memory, written back later. */
function memoryMemento(): ConstructorParameters<typeof GalleryStore>[0] {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as ConstructorParameters<typeof GalleryStore>[0];
}

/** The extension's state that outlives one generation: the gallery, the conversations, the upload cache. */
export interface Studio {
  server: ServerInfo;
  gallery: Gallery;
  conversations: ConversationStore;
  uploads: UploadCache;
  links: LinkedImage[][];
}

/** A folder for the conversations' files, gone when the process ends. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gis-bench-conversations-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function oursStudio(server: ServerInfo): Studio {
  let uploads: unknown;
  return {
    server,
    gallery: new Gallery(new GalleryStore(memoryMemento()), () => undefined),
    conversations: new ConversationStore(scratchDir()),
    uploads: new UploadCache({ get: () => uploads, set: async (v) => void (uploads = v) }),
    links: [],
  };
}

/**
 * The extension's path: one job of `count` images through generate(), each committed as
 * `dir/name.png`; with `streaming`, through streamGenerateContent?alt=sse (the gallery takes drafts).
 */
export async function ours(studio: Studio, dir: string, name: string, count = 1, streaming = false): Promise<Written[]> {
  const { server } = studio;
  const deps: GenerationDeps = {
    settings: { model: server.model, baseUrl: server.url, authStyle: 'x-goog-api-key', timeoutMs: 120_000, maxRetries: 0, referenceMode: 'auto', streaming },
    keys: { apiKey: async () => server.key },
    targets: { choose: async () => ({ targetPath: (ext) => join(dir, `${name}.${ext}`), tempDir: dir }) },
    progress: { run: (work) => work(() => undefined, new AbortController().signal) },
    gallery: studio.gallery,
    conversations: studio.conversations,
    uploads: studio.uploads,
    links: { insert: async (images) => void studio.links.push([...images]) },
    draftsDir: join(dir, '.drafts'),
    userAgent: 'gemini-image-studio/bench',
  };
  const outcome = await generate({ prompt: PROMPT, options: { ...JOB_OPTIONS, count } }, deps);
  if (!outcome) throw new Error('ours: the pipeline stopped before sending');
  if (outcome.failures.length) throw outcome.failures[0];
  return outcome.records.map((r) => ({ path: r.path, bytes: r.byteLength }));
}

interface SeedReply {
  candidates: { content: { parts: { inlineData?: { mimeType: string; data: string } }[] } }[];
}

/** The seed's Node example, verbatim apart from the URL, key and file name. */
export async function baseline(server: ServerInfo, dir: string, name: string): Promise<Written[]> {
  const response = await fetch(`${server.url}/v1beta/models/${server.model}:generateContent`, {
    method: 'POST',
    headers: {
      'x-goog-api-key': server.key,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(imageRequest(server.model)),
  });
  if (!response.ok) throw new Error(`baseline: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  const data = (await response.json()) as SeedReply;
  const written: Written[] = [];
  for (const part of data.candidates[0].content.parts) {
    if (part.inlineData) {
      const path = join(dir, `${name}-${written.length}.png`);
      writeFileSync(path, Buffer.from(part.inlineData.data, 'base64'));
      written.push({ path, bytes: statSync(path).size });
    }
  }
  if (written.length === 0) throw new Error('baseline: the reply held no image');
  return written;
}

/** The request with our HTTP stack, the body read and dropped: what no client can go below. */
export async function floor(server: ServerInfo): Promise<number> {
  const endpoint = endpointOf(server);
  const response = await loadUndici().request(apiUrl(endpoint, generateContentPath(server.model)), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(endpoint) },
    body: JSON.stringify(imageRequest(server.model)),
    dispatcher: dispatcherFor(),
  });
  let size = 0;
  for await (const chunk of response.body) size += (chunk as Buffer).byteLength;
  if (response.statusCode !== 200) throw new Error(`floor: HTTP ${response.statusCode}`);
  return size;
}
