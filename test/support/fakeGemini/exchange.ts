// One request/answer pair: the recorded request, the parsed body, and abort-aware sending.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Delivery } from './behaviours';
import type { ErrorAnswer } from './errors';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed body when it was JSON. */
  body?: unknown;
  bodyBytes: number;
  startedAt: number;
  endedAt?: number;
  /** The client went away before the answer was complete. */
  aborted: boolean;
  status?: number;
  /** generateContent only: the model in the path and the behaviour that answered. */
  model?: string;
  behaviour?: string;
  /** streamGenerateContent: each event as it was written, and when it was handed to the socket. */
  events?: { kind: 'draft' | 'image' | 'text' | 'other'; bytes: number; sentAt?: number }[];
}

export class Exchange {
  readonly url: URL;
  /** Aborted when the connection closes before the answer is complete, or the server closes. */
  readonly signal: AbortSignal;
  body: Buffer = Buffer.alloc(0);
  /** Set when the server itself ends the connection (reset, close): not the client's abort. */
  closedByServer = false;
  private readonly controller = new AbortController();
  private parsed?: { value?: unknown; error?: string };

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    base: string,
    readonly record: RecordedRequest | undefined,
  ) {
    this.url = new URL(req.url ?? '/', base);
    this.signal = this.controller.signal;
    res.on('close', () => {
      if (this.record) {
        this.record.endedAt = Date.now();
        if (!res.writableFinished && !this.closedByServer) this.record.aborted = true;
      }
      this.controller.abort();
    });
  }

  /** Reads the whole body; false if the client went away first. */
  readBody(): Promise<boolean> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      this.req.on('data', (c: Buffer) => chunks.push(c));
      this.req.on('end', () => {
        this.body = Buffer.concat(chunks);
        if (this.record) this.record.bodyBytes = this.body.length;
        resolve(true);
      });
      this.req.on('error', () => resolve(false));
      this.signal.addEventListener('abort', () => resolve(false), { once: true });
    });
  }

  /** The body parsed as JSON, or undefined with the parser's complaint. */
  json(): { value?: unknown; error?: string } {
    if (this.parsed) return this.parsed;
    if (this.body.length === 0) return (this.parsed = {});
    try {
      this.parsed = { value: JSON.parse(this.body.toString('utf8')) };
    } catch (e) {
      this.parsed = { error: (e as Error).message };
    }
    return this.parsed;
  }

  /** Waits `ms`; false if the exchange was aborted meanwhile (the timer is cleared either way). */
  sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  head(status: number, headers: Record<string, string | number>): void {
    if (this.record) this.record.status = status;
    this.res.writeHead(status, headers);
  }

  /** Sends a whole answer, honouring the delivery options (pieces, pauses). */
  async send(status: number, body: string | Buffer, contentType: string, delivery: Delivery = {}, headers: Record<string, string> = {}): Promise<void> {
    if (this.signal.aborted) return;
    let text = body;
    if (delivery.escapeSlashes && typeof text === 'string') text = text.replace(/\//g, '\\/');
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.head(status, { 'content-type': contentType, 'content-length': bytes.length, ...headers, ...delivery.headers });
    if (!delivery.chunkDelayMs) {
      this.res.end(bytes);
      return;
    }
    const size = delivery.chunkSize ?? 64 * 1024;
    for (let at = 0; at < bytes.length; at += size) {
      if (at > 0 && !(await this.sleep(delivery.chunkDelayMs))) return;
      this.res.write(bytes.subarray(at, at + size));
    }
    this.res.end();
  }

  sendError(answer: ErrorAnswer, delivery?: Delivery): Promise<void> {
    return this.send(answer.status, answer.body, answer.contentType, delivery, answer.headers);
  }

  /** The server ends the connection itself (a reset, or the server closing). */
  destroy(): void {
    this.closedByServer = true;
    this.res.destroy();
    this.req.socket.destroy();
  }
}
