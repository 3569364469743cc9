// Building generateContent requests, URLs and auth headers. Only documented fields are sent.
import type { AspectRatio, Content, Endpoint, GenerateContentRequest, GenerationConfig, ImageSize, Part } from './types';
import { GeminiError } from './errors';
import { imageModelSpec, type ServiceTier, type ThinkingLevel } from '../core/models';

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export { ASPECT_RATIOS, IMAGE_SIZES } from '../shared/choices';

/** Whether imageSize is sent to this model (2.5 Flash Image is 1K only and rejects it). */
export function supportsImageSize(model: string): boolean {
  return imageModelSpec(model).imageSizes.length > 0;
}

/** Request parameters a model may lack; a 400 naming one makes the client retry once without it. */
export type OptionalParameter = 'imageSize' | 'aspectRatio' | 'thinkingLevel' | 'serviceTier';

export interface ImageRequestInput {
  prompt: string;
  model: string;
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
  /** Reference images (inlineData or fileData parts), sent after the text. */
  references?: Part[];
  /** Earlier turns of a refine conversation, exactly as received. */
  history?: Content[];
  /** Undefined: the model's default (nothing sent). */
  thinkingLevel?: ThinkingLevel;
  /** Parameters this endpoint said the model does not take. */
  omit?: ReadonlySet<OptionalParameter>;
  /** Flex or Priority; standard (the default) is never sent. */
  serviceTier?: ServiceTier;
}

/** A generateContent request with only what this model supports (the catalogue's, or permissive for unknown ids). */
export function buildImageRequest(input: ImageRequestInput): GenerateContentRequest {
  const spec = imageModelSpec(input.model);
  const omit = input.omit ?? new Set<OptionalParameter>();
  const imageConfig: { aspectRatio?: AspectRatio; imageSize?: ImageSize } = {};
  if (input.aspectRatio && !omit.has('aspectRatio') && spec.aspectRatios.includes(input.aspectRatio)) imageConfig.aspectRatio = input.aspectRatio;
  if (input.imageSize && !omit.has('imageSize') && spec.imageSizes.includes(input.imageSize)) imageConfig.imageSize = input.imageSize;
  const generationConfig: GenerationConfig = { responseModalities: ['TEXT', 'IMAGE'] };
  if (Object.keys(imageConfig).length) generationConfig.imageConfig = imageConfig;
  if (input.thinkingLevel && !omit.has('thinkingLevel') && spec.thinkingLevels.includes(input.thinkingLevel)) {
    generationConfig.thinkingConfig = { thinkingLevel: input.thinkingLevel };
  }
  const userTurn: Content = { role: 'user', parts: [{ text: input.prompt }, ...(input.references ?? [])] };
  return withServiceTier({ contents: [...(input.history ?? []), userTurn], generationConfig }, input.model, input.serviceTier, omit);
}

/** The request with `serviceTier` at its root, only for a model that takes that tier. */
export function withServiceTier(request: GenerateContentRequest, model: string, tier: ServiceTier | undefined, omit?: ReadonlySet<OptionalParameter>): GenerateContentRequest {
  if (!tier || tier === 'standard' || omit?.has('serviceTier') || !imageModelSpec(model).serviceTiers.includes(tier)) return request;
  return { ...request, serviceTier: tier };
}

/** The request without a parameter (for the one retry after a 400 that names it); undefined when it was not sent. */
export function withoutParameter(request: GenerateContentRequest, parameter: OptionalParameter): GenerateContentRequest | undefined {
  if (parameter === 'serviceTier') {
    if (request.serviceTier === undefined) return undefined;
    const { serviceTier: _dropped, ...rest } = request;
    return rest;
  }
  const config = request.generationConfig;
  if (!config) return undefined;
  if (parameter === 'thinkingLevel') {
    if (config.thinkingConfig?.thinkingLevel === undefined) return undefined;
    const { thinkingLevel: _dropped, ...thinking } = config.thinkingConfig;
    const { thinkingConfig: _old, ...rest } = config;
    return { ...request, generationConfig: Object.keys(thinking).length ? { ...rest, thinkingConfig: thinking } : rest };
  }
  const image = config.imageConfig;
  if (!image || image[parameter] === undefined) return undefined;
  const { [parameter]: _dropped, ...kept } = image;
  const { imageConfig: _old, ...rest } = config;
  return { ...request, generationConfig: Object.keys(kept).length ? { ...rest, imageConfig: kept } : rest };
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

/**
 * The full URL for an API path such as `/v1beta/models/x:generateContent`, with query parameters
 * as real parameters: a `?` written into the path would be sent as `%3F`, part of the path.
 */
export function apiUrl(endpoint: Endpoint, apiPath: string, query: Record<string, string | number | undefined> = {}): URL {
  const base = normalizeBaseUrl(endpoint.baseUrl);
  const url = new URL(base.toString());
  const at = apiPath.indexOf('?');
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${at < 0 ? apiPath : apiPath.slice(0, at)}`;
  if (at >= 0) for (const [name, value] of new URLSearchParams(apiPath.slice(at + 1))) url.searchParams.append(name, value);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
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
