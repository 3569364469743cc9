// Plain-fetch calls to the stand-in Gemini server and readers for its answers, for the tests of
// the stand-in itself (test/integration/fakeGemini*.test.ts).
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { startFakeGemini, type FakeGemini } from './fakeGemini';

export const KEY = 'test-key';
export const IMAGE_MODEL = 'gemini-nano-banana-2.1';

/** The stand-in of this test file: started before its tests, reset before each, closed after. */
export let server: FakeGemini;

export function useFakeGemini(): void {
  before(async () => {
    server = await startFakeGemini({ apiKeys: [KEY, 'other-key'] });
  });
  after(() => server.close());
  beforeEach(() => server.reset());
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  ms: number;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function call(server: FakeGemini, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers['x-goog-api-key'] = opts.key ?? KEY;
  let body: string | Buffer | undefined;
  if (Buffer.isBuffer(opts.body)) body = opts.body;
  else if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = Date.now();
  const res = await fetch(`${server.url}${path}`, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: opts.signal });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON: the test looks at text
  }
  return { status: res.status, headers: res.headers, text, json, ms: Date.now() - started };
}

export function request(extra: Json = {}, config: Json = { responseModalities: ['TEXT', 'IMAGE'] }): Json {
  return { contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }], generationConfig: config, ...extra };
}

export function generate(server: FakeGemini, body: unknown = request(), model = IMAGE_MODEL, opts: CallOptions = {}): Promise<Answer> {
  return call(server, `/v1beta/models/${model}:generateContent`, { ...opts, body });
}

export function parts(answer: Answer): Json[] {
  return answer.json.candidates[0].content.parts as Json[];
}

export function imageParts(answer: Answer): Json[] {
  return parts(answer).filter((p) => p.inlineData && !p.thought);
}

export function imageBytes(part: Json): Buffer {
  return Buffer.from(part.inlineData.data as string, 'base64');
}

export function assertGoogleError(answer: Answer, code: number, status: string, message?: RegExp): void {
  assert.equal(answer.status, code, answer.text.slice(0, 500));
  assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(answer.json.error.code, code);
  assert.equal(answer.json.error.status, status);
  if (message) assert.match(answer.json.error.message, message);
}

/** A small valid PNG made here (not by the server), for reference images. */
export function tinyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
