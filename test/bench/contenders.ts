// The two ways of getting one generated image onto disk that the bench compares, plus the floor:
//   ours      GeminiClient + generateImages (streamed parse, temp file, commit), as the extension runs
//   baseline  the seed's Node example: global fetch, response.json(), Buffer.from(base64), writeFileSync
//   floor     the same request with undici, the reply read and dropped (server + transfer only)
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GeminiClient } from '../../src/gemini/client';
import { dispatcherFor, loadUndici } from '../../src/gemini/http';
import { apiUrl, authHeaders, buildImageRequest, generateContentPath } from '../../src/gemini/request';
import type { Endpoint, GenerateContentRequest } from '../../src/gemini/types';
import { generateImages } from '../../src/generation/generateImages';
import type { ServerInfo } from './protocol';

export const PROMPT = 'a lighthouse at dawn, photorealistic, golden light';

export interface Written {
  path: string;
  bytes: number;
}

export function imageRequest(model: string): GenerateContentRequest {
  return buildImageRequest({ prompt: PROMPT, model });
}

function endpointOf(server: ServerInfo): Endpoint {
  return { baseUrl: server.url, apiKey: server.key, authStyle: 'x-goog-api-key' };
}

export function oursClient(server: ServerInfo): GeminiClient {
  return new GeminiClient({ endpoint: endpointOf(server), maxRetries: 0, timeoutMs: 120_000 });
}

/** The extension's path: N parallel requests, each streamed into a temp file and committed. */
export async function ours(client: GeminiClient, server: ServerInfo, dir: string, name: string, count = 1): Promise<Written[]> {
  const result = await generateImages({
    client,
    model: server.model,
    request: imageRequest(server.model),
    count,
    targetPath: (ext) => join(dir, `${name}.${ext}`),
    tempDir: dir,
  });
  if (result.failures.length) throw result.failures[0];
  return result.images.map((i) => ({ path: i.path, bytes: i.byteLength }));
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
