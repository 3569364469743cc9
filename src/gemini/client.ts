// One Gemini endpoint (base URL + key + auth style): generateContent with bounded, cancellable
// retries, the reply streamed through the parser into an image sink.
import { setTimeout as wait } from 'node:timers/promises';
import type * as Undici from 'undici';
import { GeminiError, isGeminiError, throwCancelled } from './errors';
import { errorFromResponse, excerptOf } from './errorResponse';
import { dispatcherFor, loadUndici, type ProxySettings } from './http';
import { apiUrl, assertSecureTransport, authHeaders, generateContentPath, loggableUrl, redact } from './request';
import { parseGenerateContentReply, type ImageSink, type ParseOptions, type ParsedReply } from './responseParser';
import type { Endpoint, GenerateContentRequest } from './types';
import { sendWithParameterFallback, stripRemembered, type UnsupportedParameterMemory } from './unsupportedParameters';
import { namingModel } from './modelErrors';
import type { ModelStatusBook } from './modelStatusBook';
import { fetchHostedImages } from './hostedImages';
import { isFileSystemError, redactError, toGeminiError } from './transportErrors';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ClientOptions {
  endpoint: Endpoint;
  proxy?: ProxySettings;
  /** Per attempt: no complete answer within this time is a timeout. */
  timeoutMs?: number;
  /** Further attempts after the first, for 429/500/503 and dropped connections. */
  maxRetries?: number;
  /** The longest wait between attempts we accept; a server asking for more ends the retries. */
  maxRetryDelayMs?: number;
  log?: Logger;
  /** For tests: a dispatcher to use instead of the shared one. */
  dispatcher?: Undici.Dispatcher;
  userAgent?: string;
  /** Parameters each model on this base URL was found not to take (a 400 naming one is retried once without it). */
  parameterMemory?: UnsupportedParameterMemory;
  /** The day for lifecycle questions (a 404's replacement); default: the clock. */
  now?: () => Date;
  /** Where each reply's modelStatus and each model 404 is kept for this endpoint. */
  statusBook?: ModelStatusBook;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called before each retry with the attempt number and the wait. */
  onRetry?: (attempt: number, delayMs: number, error: GeminiError) => void;
  /** How the reply is parsed (thought images kept for a refine, or dropped). */
  parse?: Omit<ParseOptions, 'signal'>;
}

/** A plain JSON call (Files API and the like) through the same retries, timeout and redaction. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** An API path joined to the base URL (`/v1beta/files/abc`), or an absolute URL (an upload session). */
  path: string | URL;
  /** Query parameters of an API path (never written into `path`, where `?` would be sent as %3F). */
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Bytes are sent as they are; anything else as JSON. */
  body?: unknown;
  /** Send the key (default true). An absolute URL only gets it when told, and only over a secure transport. */
  auth?: boolean;
  /** Which failures are tried again (default: error.retryable); return false for a step that cannot be repeated. */
  retryable?: (error: GeminiError) => boolean;
}

export interface JsonResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when the body was empty. */
  body: unknown;
}

const MAX_ERROR_BODY = 64 * 1024;
const MAX_JSON_BODY = 4 * 1024 * 1024;

export class GeminiClient {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  get endpoint(): Endpoint {
    return this.options.endpoint;
  }

  /** How a streamed call made elsewhere (a batch's results file) goes the same way as ours. */
  get transport(): { dispatcher: Undici.Dispatcher; userAgent?: string; timeoutMs: number; log?: Logger } {
    return { dispatcher: this.options.dispatcher ?? dispatcherFor(this.options.proxy), userAgent: this.options.userAgent, timeoutMs: this.timeoutMs, log: this.options.log };
  }

  /** generateContent, images to `sink` as they arrive; one retry without a parameter a 400 names; a 404 names the model's replacement. */
  async generateContent<H>(model: string, request: GenerateContentRequest, sink: ImageSink<H>, call: CallOptions = {}): Promise<ParsedReply<H>> {
    const { parameterMemory: memory, endpoint, log } = this.options;
    const first = memory ? stripRemembered(request, memory.omitted(endpoint.baseUrl, model)) : request;
    const send = (body: GenerateContentRequest) => this.withRetries(call, () => this.postOnce(generateContentPath(model), body, sink, call));
    const book = this.options.statusBook;
    const reply = await sendWithParameterFallback(first, send, async (parameter) => {
      log?.warn(`${model} does not take ${parameter} here: sending once more without it`);
      await memory?.remember(endpoint.baseUrl, model, parameter);
    }).catch(async (e: unknown) => {
      const named = namingModel(e, model, this.options.now?.() ?? new Date());
      if (isGeminiError(named) && named.kind === 'notFound' && book) await book.notFound(endpoint.baseUrl, model).catch(() => undefined);
      throw named;
    });
    if (book) {
      await book.heard(endpoint.baseUrl, model, reply.modelStatus).catch(() => undefined);
      await book.answered(endpoint.baseUrl, model).catch(() => undefined);
    }
    return reply;
  }

  /** One JSON call (Files API...), retried like generateContent unless `request.retryable` says otherwise. */
  requestJson(request: JsonRequest, call: Pick<CallOptions, 'signal' | 'onRetry'> = {}): Promise<JsonResponse> {
    return this.withRetries(call, () => this.jsonOnce(request, call.signal), request.retryable);
  }

  private async withRetries<T>(call: CallOptions, attemptOnce: () => Promise<T>, retryable?: (error: GeminiError) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(call.signal);
      try {
        return await attemptOnce();
      } catch (e) {
        // The sink's own failures (a folder we cannot write) are not the server's: no retry.
        if (isFileSystemError(e) && !call.signal?.aborted) throw e;
        const error = toGeminiError(e, call.signal);
        error.details.attempts = attempt + 1;
        const delay = retryable && !retryable(error) ? undefined : this.retryDelay(error, attempt);
        if (delay === undefined) throw error;
        this.options.log?.warn(`${error.message}; retry ${attempt + 1}/${this.maxRetries} in ${delay} ms`);
        call.onRetry?.(attempt + 1, delay, error);
        await wait(delay, undefined, { signal: call.signal }).catch(throwCancelled);
      }
    }
  }

  private retryDelay(error: GeminiError, attempt: number): number | undefined {
    if (!error.retryable || attempt >= this.maxRetries) return undefined;
    const asked = error.details.retryAfterMs;
    if (asked !== undefined) return asked <= this.maxRetryDelayMs ? asked : undefined;
    const backoff = Math.min(1000 * 2 ** attempt, 16_000);
    return Math.round(backoff * (0.75 + Math.random() * 0.5));
  }

  private async postOnce<H>(apiPath: string, body: unknown, sink: ImageSink<H>, call: CallOptions): Promise<ParsedReply<H>> {
    const { endpoint, log } = this.options;
    const signal = call.signal;
    assertSecureTransport(endpoint.baseUrl);
    const url = apiUrl(endpoint, apiPath);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = Date.now();
    log?.info(`POST ${loggableUrl(url)}`);
    try {
      const response = await loadUndici().request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
          ...authHeaders(endpoint),
        },
        body: JSON.stringify(body),
        dispatcher: this.options.dispatcher ?? dispatcherFor(this.options.proxy),
        signal: combined,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      if (response.statusCode >= 300) {
        const text = await readBounded(response.body, MAX_ERROR_BODY);
        const error = redactError(errorFromResponse(response.statusCode, response.headers, text), endpoint.apiKey);
        log?.warn(`HTTP ${response.statusCode} after ${Date.now() - started} ms: ${error.message}`);
        throw error;
      }
      const reply = await parseGenerateContentReply(response.body, sink, { ...call.parse, signal: combined });
      // A relay may echo the key anywhere, even in the model's words.
      reply.texts = reply.texts.map((t) => redact(t, endpoint.apiKey));
      if (reply.images.length === 0 && reply.texts.length && wantsImage(body)) {
        await fetchHostedImages(reply, sink, { dispatcher: this.transport.dispatcher, timeoutMs: this.timeoutMs, userAgent: this.options.userAgent, signal, log });
      }
      log?.info(`HTTP ${response.statusCode} in ${Date.now() - started} ms: ${reply.images.length} image(s), finishReason ${reply.finishReason ?? '-'}`);
      return reply;
    } catch (e) {
      if (timeout.aborted && !signal?.aborted) {
        throw new GeminiError('timeout', `No complete answer within ${Math.round(this.timeoutMs / 1000)} s.`, {}, { cause: e });
      }
      if (isFileSystemError(e) && !signal?.aborted) throw e;
      throw toGeminiError(e, signal, endpoint.apiKey);
    }
  }

  private async jsonOnce(request: JsonRequest, signal: AbortSignal | undefined): Promise<JsonResponse> {
    const { endpoint, log } = this.options;
    const auth = request.auth !== false;
    let url: URL;
    if (typeof request.path === 'string') {
      assertSecureTransport(endpoint.baseUrl);
      url = apiUrl(auth ? endpoint : { ...endpoint, authStyle: 'x-goog-api-key' }, request.path, request.query);
    } else {
      url = new URL(request.path.toString());
      if (auth) {
        assertSecureTransport(url.toString());
        if (endpoint.authStyle === 'query') url.searchParams.set('key', endpoint.apiKey);
      }
    }
    const bytes = request.body instanceof Uint8Array ? request.body : undefined;
    const body = bytes ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = Date.now();
    log?.info(`${request.method} ${loggableUrl(url)}`);
    try {
      const response = await loadUndici().request(url, {
        method: request.method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': bytes ? 'application/octet-stream' : 'application/json' }),
          ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
          ...request.headers,
          ...(auth ? authHeaders(endpoint) : {}),
        },
        body,
        dispatcher: this.options.dispatcher ?? dispatcherFor(this.options.proxy),
        signal: combined,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      if (response.statusCode >= 300) {
        const text = await readBounded(response.body, MAX_ERROR_BODY);
        const error = redactError(errorFromResponse(response.statusCode, response.headers, text), endpoint.apiKey);
        log?.warn(`HTTP ${response.statusCode} after ${Date.now() - started} ms: ${error.message}`);
        throw error;
      }
      const text = await readBounded(response.body, MAX_JSON_BODY + 1);
      if (text.length > MAX_JSON_BODY) throw new GeminiError('badResponse', `The answer to ${request.method} ${loggableUrl(url)} is larger than ${MAX_JSON_BODY} bytes.`);
      let parsed: unknown;
      try {
        parsed = /\S/.test(text) ? JSON.parse(text) : undefined;
      } catch {
        throw new GeminiError('badResponse', `The answer to ${request.method} ${loggableUrl(url)} is not JSON.`, { status: response.statusCode, bodyExcerpt: excerptOf(redact(text, endpoint.apiKey)) });
      }
      log?.info(`HTTP ${response.statusCode} in ${Date.now() - started} ms`);
      return { status: response.statusCode, headers, body: parsed };
    } catch (e) {
      if (timeout.aborted && !signal?.aborted) {
        throw new GeminiError('timeout', `No complete answer within ${Math.round(this.timeoutMs / 1000)} s.`, {}, { cause: e });
      }
      if (isFileSystemError(e) && !signal?.aborted) throw e;
      throw toGeminiError(e, signal, endpoint.apiKey);
    }
  }
}

async function readBounded(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= max) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, max);
}

function wantsImage(body: unknown): boolean {
  return !!(body as GenerateContentRequest)?.generationConfig?.responseModalities?.includes('IMAGE');
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new GeminiError('cancelled', 'Cancelled.');
}
