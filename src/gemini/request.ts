// Building generateContent requests, URLs and auth headers. Only documented fields are sent.
import type { AspectRatio, Content, Endpoint, GenerateContentRequest, ImageSize, Part } from './types';
import { GeminiError } from './errors';

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
export const DEFAULT_MODEL = 'gemini-2.5-flash-image';

export { ASPECT_RATIOS, IMAGE_SIZES } from '../shared/choices';

/** 2.5 Flash Image is 1K only and rejects imageSize; the Gemini 3 image models take it. */
export function supportsImageSize(model: string): boolean {
  return !/gemini-2\.[05]/.test(model);
}

export interface ImageRequestInput {
  prompt: string;
  model: string;
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
  /** Reference images (inlineData or fileData parts), sent after the text. */
  references?: Part[];
  /** Earlier turns of a refine conversation, exactly as received. */
  history?: Content[];
}

export function buildImageRequest(input: ImageRequestInput): GenerateContentRequest {
  const imageConfig: { aspectRatio?: AspectRatio; imageSize?: ImageSize } = {};
  if (input.aspectRatio) imageConfig.aspectRatio = input.aspectRatio;
  if (input.imageSize && supportsImageSize(input.model)) imageConfig.imageSize = input.imageSize;
  const userTurn: Content = { role: 'user', parts: [{ text: input.prompt }, ...(input.references ?? [])] };
  return {
    contents: [...(input.history ?? []), userTurn],
    generationConfig: {
      responseModalities: ['TEXT', 'IMAGE'],
      ...(Object.keys(imageConfig).length ? { imageConfig } : {}),
    },
  };
}

/** An image question (describe, alt text): text out, no image modality. */
export function buildUnderstandingRequest(question: string, image: Part): GenerateContentRequest {
  return { contents: [{ role: 'user', parts: [{ text: question }, image] }] };
}

function normalizeBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new GeminiError('invalidBaseUrl', `The base URL "${baseUrl}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new GeminiError('invalidBaseUrl', `The base URL must be http(s), not ${url.protocol}`);
  }
  // Users paste `https://relay/v1beta` or a trailing slash; the API paths add their own.
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1beta$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The key never travels in clear text, except to this machine (local relays, tests). */
export function assertSecureTransport(baseUrl: string): void {
  const url = normalizeBaseUrl(baseUrl);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new GeminiError('insecureUrl', `Refusing to send the API key over plain http to ${url.host}.`);
  }
}

/** The full URL for an API path such as `/v1beta/models/x:generateContent`. */
export function apiUrl(endpoint: Endpoint, apiPath: string): URL {
  const base = normalizeBaseUrl(endpoint.baseUrl);
  const url = new URL(base.toString());
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${apiPath}`;
  if (endpoint.authStyle === 'query') url.searchParams.set('key', endpoint.apiKey);
  return url;
}

export function generateContentPath(model: string): string {
  return `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:generateContent`;
}

export function authHeaders(endpoint: Endpoint): Record<string, string> {
  switch (endpoint.authStyle) {
    case 'bearer':
      return { authorization: `Bearer ${endpoint.apiKey}` };
    case 'query':
      return {};
    default:
      return { 'x-goog-api-key': endpoint.apiKey };
  }
}

/** A URL as it may be logged: no query (where a relay's key would be). */
export function loggableUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Removes every occurrence of the key (and its URL-encoded form) from a text. */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey || apiKey.length < 4) return text;
  return text.split(apiKey).join('[REDACTED]').split(encodeURIComponent(apiKey)).join('[REDACTED]');
}
