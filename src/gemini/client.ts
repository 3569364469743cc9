// One Gemini endpoint (base URL + key + auth style): generateContent with bounded, cancellable
// retries, the reply streamed through the parser into an image sink.
import type * as Undici from 'undici';
import { GeminiError, isGeminiError } from './errors';
import { errorFromResponse } from './errorResponse';
import { dispatcherFor, loadUndici, type ProxySettings } from './http';
import { apiUrl, assertSecureTransport, authHeaders, generateContentPath, loggableUrl, redact } from './request';
import { parseGenerateContentReply, type ImageSink, type ParsedReply } from './responseParser';
import type { Endpoint, GenerateContentRequest } from './types';
import { sleep } from './sleep';

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
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called before each retry with the attempt number and the wait. */
  onRetry?: (attempt: number, delayMs: number, error: GeminiError) => void;
}

const MAX_ERROR_BODY = 64 * 1024;

export class GeminiClient {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 180_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  get endpoint(): Endpoint {
    return this.options.endpoint;
  }

  /** generateContent; the images go to `sink` as they arrive. */
  generateContent<H>(model: string, request: GenerateContentRequest, sink: ImageSink<H>, call: CallOptions = {}): Promise<ParsedReply<H>> {
    return this.withRetries(call, () => this.postOnce(generateContentPath(model), request, sink, call.signal));
  }

  private async withRetries<T>(call: CallOptions, attemptOnce: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(call.signal);
      try {
        return await attemptOnce();
      } catch (e) {
        const error = toGeminiError(e, call.signal);
        error.details.attempts = attempt + 1;
        const delay = this.retryDelay(error, attempt);
        if (delay === undefined) throw error;
        this.options.log?.warn(`${error.message}; retry ${attempt + 1}/${this.maxRetries} in ${delay} ms`);
        call.onRetry?.(attempt + 1, delay, error);
        await sleep(delay, call.signal);
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

  private async postOnce<H>(apiPath: string, body: unknown, sink: ImageSink<H>, signal?: AbortSignal): Promise<ParsedReply<H>> {
    const { endpoint, log } = this.options;
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
        const error = errorFromResponse(response.statusCode, response.headers, redact(text, endpoint.apiKey));
        log?.warn(`HTTP ${response.statusCode} after ${Date.now() - started} ms: ${error.message}`);
        throw error;
      }
      const reply = await parseGenerateContentReply(response.body, sink, { signal: combined });
      log?.info(`HTTP ${response.statusCode} in ${Date.now() - started} ms: ${reply.images.length} image(s), finishReason ${reply.finishReason ?? '-'}`);
      return reply;
    } catch (e) {
      if (timeout.aborted && !signal?.aborted) {
        throw new GeminiError('timeout', `No complete answer within ${Math.round(this.timeoutMs / 1000)} s.`, {}, { cause: e });
      }
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

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new GeminiError('cancelled', 'Cancelled.');
}

/** Anything thrown on the way becomes a GeminiError; the key is scrubbed from messages. */
export function toGeminiError(e: unknown, signal?: AbortSignal, apiKey?: string): GeminiError {
  if (signal?.aborted) return isGeminiError(e) && e.kind === 'cancelled' ? e : new GeminiError('cancelled', 'Cancelled.', {}, { cause: e });
  if (isGeminiError(e)) return e;
  const err = e as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const message = redact(String(err?.message ?? e), apiKey);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || err?.name === 'TimeoutError') {
    return new GeminiError('timeout', `Timed out: ${message}`);
  }
  return new GeminiError('network', `${code ? `${code}: ` : ''}${message}`, { serverMessage: code });
}
