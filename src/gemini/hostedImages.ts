// Relays that host the image and answer with its URL in a text part (a markdown image or a bare
// URL) instead of inlineData. The image is fetched like any untrusted download: https only (plain
// http only to this machine), never with the API key, no redirect to another host, size-capped,
// and kept only when its bytes are an image.
import type * as Undici from 'undici';
import { sniffImageFormat } from '../core/imageType';
import { MIME_TYPE } from '../core/imageType';
import { GeminiError } from './errors';
import { loadUndici } from './http';
import type { ImageSink } from './imageSink';
import type { ParsedReply } from './replyAssembly';
import { loggableUrl } from './request';

/** The Gemini API's inline limit per request: no hosted image may be larger. */
export const MAX_HOSTED_IMAGE_BYTES = 100 * 1024 * 1024;
const MAX_HOPS = 3;
const MAX_IMAGES = 8;

const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\(\s*<?(https?:\/\/[^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const BARE_URL = /(?:^|\s)(https?:\/\/[^\s<>"'()]+)(?=\s|$)/g;

/** The image URLs a reply's texts hold: markdown images first; bare URLs only when there is none. */
export function hostedImageUrls(texts: readonly string[]): string[] {
  const all = texts.join('\n');
  const marked = [...all.matchAll(MARKDOWN_IMAGE)].map((m) => m[1]);
  const urls = marked.length ? marked : [...all.matchAll(BARE_URL)].map((m) => m[1].replace(/[.,;:!?]+$/, ''));
  return [...new Set(urls)].slice(0, MAX_IMAGES);
}

function loopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether a hosted image may be fetched from this URL at all. */
export function hostedUrlAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback(url.hostname));
}

export interface HostedFetch {
  dispatcher: Undici.Dispatcher;
  timeoutMs: number;
  userAgent?: string;
  signal?: AbortSignal;
  log?: { warn(message: string): void };
}

/** Downloads the images a reply only links to into `sink`, and takes their links out of its texts. */
export async function fetchHostedImages<H>(reply: ParsedReply<H>, sink: ImageSink<H>, how: HostedFetch): Promise<void> {
  const urls = hostedImageUrls(reply.texts);
  for (const raw of urls) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const image = await fetchOne(url, sink, how).catch((e: unknown) => {
      how.log?.warn(`The reply links an image that could not be fetched (${loggableUrl(url)}): ${(e as Error).message}`);
      return undefined;
    });
    if (!image) continue;
    reply.images.push({ ...image, partIndex: -1 });
    reply.texts = reply.texts.map((t) => t.split(raw).join('').replace(/!\[[^\]\n]*\]\(\s*<?>?\s*\)/g, '').trim()).filter(Boolean);
  }
}

async function fetchOne<H>(start: URL, sink: ImageSink<H>, how: HostedFetch): Promise<{ handle: H; mimeType: string; byteLength: number } | undefined> {
  let url = start;
  const signal = how.signal ? AbortSignal.any([how.signal, AbortSignal.timeout(how.timeoutMs)]) : AbortSignal.timeout(how.timeoutMs);
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    if (!hostedUrlAllowed(url)) throw new GeminiError('insecureUrl', `Refusing to fetch ${url.protocol}//${url.host}: https only (plain http only to this machine).`);
    // No auth header, no key: only what any browser would send for an image.
    const response = await loadUndici().request(url, {
      method: 'GET',
      headers: { accept: 'image/*', ...(how.userAgent ? { 'user-agent': how.userAgent } : {}) },
      dispatcher: how.dispatcher,
      signal,
      headersTimeout: how.timeoutMs,
      bodyTimeout: how.timeoutMs,
    });
    if (response.statusCode >= 300 && response.statusCode < 400) {
      await response.body.dump();
      const location = response.headers.location;
      const next = typeof location === 'string' ? new URL(location, url) : undefined;
      if (!next || next.host !== start.host) throw new GeminiError('badResponse', `The image's host redirects to another host (${next?.host ?? 'nowhere'}); not followed.`);
      url = next;
      continue;
    }
    if (response.statusCode >= 300) {
      await response.body.dump();
      throw new GeminiError('badResponse', `HTTP ${response.statusCode} for the linked image.`, { status: response.statusCode });
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_HOSTED_IMAGE_BYTES) {
      response.body.destroy();
      throw new GeminiError('badResponse', `The linked image is larger than ${MAX_HOSTED_IMAGE_BYTES} bytes.`);
    }
    return await intoSink(response.body, sink);
  }
  throw new GeminiError('badResponse', `More than ${MAX_HOPS} redirects for the linked image.`);
}

async function intoSink<H>(body: AsyncIterable<Uint8Array> & { destroy(): void }, sink: ImageSink<H>): Promise<{ handle: H; mimeType: string; byteLength: number } | undefined> {
  const writer = sink.begin();
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > MAX_HOSTED_IMAGE_BYTES) {
        body.destroy();
        throw new GeminiError('badResponse', `The linked image is larger than ${MAX_HOSTED_IMAGE_BYTES} bytes.`);
      }
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
      await writer.write(Buffer.from(chunk));
    }
    const format = sniffImageFormat(head);
    if (!format || size === 0) {
      await writer.discard();
      return undefined;
    }
    const mimeType = MIME_TYPE[format];
    return { handle: await writer.finish(mimeType, { thought: false }), mimeType, byteLength: size };
  } catch (e) {
    await writer.discard();
    throw e;
  }
}
