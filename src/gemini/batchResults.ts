// A batch's results file, streamed: `GET /download/v1beta/files/{id}:download?alt=media`, cut into
// lines as the bytes arrive, each line handed on as a stream of its own (a line is one image of
// several MB; the file can be gigabytes). Nothing here holds more than one network chunk.
import type { GeminiClient } from './client';
import { isFileSystemError, redactError, toGeminiError } from './transportErrors';
import { GeminiError } from './errors';
import { errorFromResponse } from './errorResponse';
import { loadUndici } from './http';
import { apiUrl, assertSecureTransport, authHeaders, loggableUrl } from './request';

/** The results file's bytes as they arrive. Throws a GeminiError for an HTTP error. */
export async function openResultsFile(client: GeminiClient, fileName: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
  const id = fileName.replace(/^files\//, '');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new GeminiError('badResponse', `Not a file name: ${fileName}`);
  const { endpoint } = client;
  const { dispatcher, userAgent, timeoutMs, log } = client.transport;
  assertSecureTransport(endpoint.baseUrl);
  const url = apiUrl(endpoint, `/download/v1beta/files/${id}:download`);
  url.searchParams.set('alt', 'media');
  log?.info(`GET ${loggableUrl(url)}`);
  try {
    const response = await loadUndici().request(url, {
      method: 'GET',
      headers: { ...(userAgent ? { 'user-agent': userAgent } : {}), ...authHeaders(endpoint) },
      dispatcher,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (response.statusCode >= 300) {
      const text = (await response.body.text()).slice(0, 64 * 1024);
      throw redactError(errorFromResponse(response.statusCode, response.headers, text), endpoint.apiKey);
    }
    return response.body;
  } catch (e) {
    if (isFileSystemError(e)) throw e;
    throw toGeminiError(e, signal, endpoint.apiKey);
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09;
}

/**
 * Calls `onLine` for each non-empty line of `body`, one after the other, with the line's bytes as
 * a stream (the newline left out). What a handler leaves unread of its line is skipped.
 */
export async function forEachLine(body: AsyncIterable<Uint8Array>, onLine: (line: AsyncIterable<Buffer>, index: number) => Promise<void>): Promise<void> {
  const source = body[Symbol.asyncIterator]();
  let rest: Buffer | undefined;
  let ended = false;
  const pull = async (): Promise<Buffer | undefined> => {
    if (rest?.length) {
      const b = rest;
      rest = undefined;
      return b;
    }
    if (ended) return undefined;
    const step = await source.next();
    if (step.done) {
      ended = true;
      return undefined;
    }
    const v = step.value;
    return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  };
  for (let index = 0; ; index++) {
    let chunk: Buffer | undefined;
    for (;;) {
      chunk = await pull();
      if (!chunk) return;
      let at = 0;
      while (at < chunk.length && isSpace(chunk[at])) at++;
      if (at < chunk.length) {
        chunk = chunk.subarray(at);
        break;
      }
    }
    rest = chunk;
    let lineDone = false;
    const takeLinePiece = async (): Promise<Buffer | undefined> => {
      if (lineDone) return undefined;
      const c = await pull();
      if (!c) {
        lineDone = true;
        return undefined;
      }
      const nl = c.indexOf(0x0a);
      if (nl < 0) return c;
      rest = c.subarray(nl + 1);
      lineDone = true;
      return c.subarray(0, nl);
    };
    const line: AsyncIterable<Buffer> = {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const piece = await takeLinePiece();
          if (piece === undefined) return;
          if (piece.length) yield piece;
        }
      },
    };
    await onLine(line, index);
    while (!lineDone) await takeLinePiece();
  }
}
