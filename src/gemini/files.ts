// The Files API: resumable upload (start, then upload+finalize), get, delete, and waiting for a
// file to leave PROCESSING. Everything goes through GeminiClient.requestJson (retries, timeout,
// redaction). Facts: shared/gemini-api.md, "Files API".
import { setTimeout as wait } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { GeminiClient } from './client';
import { GeminiError, isGeminiError, throwCancelled } from './errors';
import { apiUrl } from './request';
import type { Endpoint, GeminiFile } from './types';

export const UPLOAD_PATH = '/upload/v1beta/files';

const GOOGLE_HOST = 'generativelanguage.googleapis.com';
/** The statuses a relay answers for a route it does not have. */
const NO_ROUTE_STATUSES = new Set([404, 405, 501]);
const MAX_DISPLAY_NAME = 512;
const UPLOAD_RESTART_DELAY_MS = 1000;

export interface FileCallOptions {
  signal?: AbortSignal;
}

export interface WaitOptions extends FileCallOptions {
  /** GETs before giving up (default 30). */
  maxPolls?: number;
  /** Pause between GETs (default 1000 ms). */
  intervalMs?: number;
}

/** True for the error uploadFile throws when the server has no upload route (fall back to inline). */
export function isNoUploadRoute(e: unknown): e is GeminiError {
  return isGeminiError(e) && e.kind === 'noUploadRoute';
}

/**
 * Where one key's files live: the base URL (normalised, without credentials) and a hash of the
 * key, never the key itself. Files belong to the key's project, so caches and refine sessions are
 * scoped by this.
 */
export function endpointId(endpoint: Pick<Endpoint, 'baseUrl' | 'apiKey'>): string {
  const url = apiUrl({ baseUrl: endpoint.baseUrl, apiKey: '', authStyle: 'x-goog-api-key' }, '');
  const userinfo = url.username || url.password ? `${url.username}:${url.password}` : '';
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  const keyHash = createHash('sha256').update('gemini-image-studio/key\0').update(endpoint.apiKey).update('\0').update(userinfo).digest('hex').slice(0, 16);
  return `${base}#key:${keyHash}`;
}

/** The base URL part of an endpointId. */
export function baseUrlOf(id: string): string {
  const at = id.lastIndexOf('#key:');
  return at < 0 ? id : id.slice(0, at);
}

/**
 * Uploads bytes with the resumable protocol and returns the File resource (possibly PROCESSING:
 * see waitUntilActive). Throws a 'noUploadRoute' GeminiError
 * (isNoUploadRoute) when the server answers 404/405/501 on the upload route, or starts a session
 * without saying where its bytes go.
 */
export async function uploadFile(client: GeminiClient, bytes: Uint8Array, mimeType: string, displayName: string, options: FileCallOptions = {}): Promise<GeminiFile> {
  try {
    return await uploadOnce(client, bytes, mimeType, displayName, options);
  } catch (e) {
    // A session that failed mid-way (503, dropped connection) is not resumed: one fresh start.
    if (!isGeminiError(e) || !e.retryable || e.kind === 'noUploadRoute' || options.signal?.aborted) throw e;
    await wait(UPLOAD_RESTART_DELAY_MS, undefined, { signal: options.signal }).catch(throwCancelled);
    return uploadOnce(client, bytes, mimeType, displayName, options);
  }
}

async function uploadOnce(client: GeminiClient, bytes: Uint8Array, mimeType: string, displayName: string, options: FileCallOptions): Promise<GeminiFile> {
  const start = await client
    .requestJson(
      {
        method: 'POST',
        path: UPLOAD_PATH,
        headers: {
          'x-goog-upload-protocol': 'resumable',
          'x-goog-upload-command': 'start',
          'x-goog-upload-header-content-length': String(bytes.byteLength),
          'x-goog-upload-header-content-type': mimeType,
        },
        body: { file: { display_name: displayName.slice(0, MAX_DISPLAY_NAME) } },
        // A relay's JSON 501 would otherwise count as a server error worth retrying.
        retryable: (e) => !isMissingRoute(e) && e.retryable,
      },
      options,
    )
    .catch((e: unknown) => {
      throw isMissingRoute(e) ? noUploadRoute(e as GeminiError) : e;
    });
  const announced = start.headers['x-goog-upload-url'];
  if (!announced) {
    // A relay that forwards the start but not the session header: uploads cannot work through it.
    throw new GeminiError('noUploadRoute', 'The upload start answer has no x-goog-upload-url header.', { status: start.status });
  }
  const target = uploadTarget(client.endpoint.baseUrl, announced);
  const answer = await client
    .requestJson(
      {
        method: 'POST',
        path: target.url,
        headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '0', 'content-type': mimeType },
        body: bytes,
        auth: target.sameOrigin,
        // The session has taken bytes or not: repeating "offset 0" could be refused. The caller
        // starts over instead (a new session costs nothing).
        retryable: () => false,
      },
      options,
    )
    .catch((e: unknown) => {
      // The start went through but the session URL did not: a relay that forwards one route only.
      throw isMissingRoute(e) && !isGoogle(client.endpoint.baseUrl) ? noUploadRoute(e as GeminiError) : e;
    });
  const body = answer.body as { file?: unknown } | undefined;
  return readFile(body && typeof body === 'object' && 'file' in body ? body.file : body);
}

/** GET /v1beta/files/{id}. A gone or expired file is 'notFound' (404) or 'permission' (403). */
export async function getFile(client: GeminiClient, name: string, options: FileCallOptions = {}): Promise<GeminiFile> {
  const answer = await client.requestJson({ method: 'GET', path: `/v1beta/${fileName(name)}` }, options);
  return readFile(answer.body);
}

/** DELETE /v1beta/files/{id}. */
export async function deleteFile(client: GeminiClient, name: string, options: FileCallOptions = {}): Promise<void> {
  await client.requestJson({ method: 'DELETE', path: `/v1beta/${fileName(name)}` }, options);
}

/** Polls a PROCESSING file until ACTIVE (bounded). FAILED is a 'badResponse'; too long a 'timeout'. */
export async function waitUntilActive(client: GeminiClient, file: GeminiFile, options: WaitOptions = {}): Promise<GeminiFile> {
  const maxPolls = options.maxPolls ?? 30;
  const intervalMs = options.intervalMs ?? 1000;
  let current = file;
  for (let polls = 0; ; polls++) {
    if (current.state === 'FAILED') {
      const why = current.error?.message;
      throw new GeminiError('uploadFailed', `The server could not process the uploaded file ${current.name}${why ? `: ${why}` : '.'}`, why ? { fileError: why } : {});
    }
    if (current.state !== 'PROCESSING') return current;
    if (polls >= maxPolls) {
      throw new GeminiError('timeout', `The uploaded file ${current.name} was still processing after ${maxPolls} checks.`);
    }
    await wait(intervalMs, undefined, { signal: options.signal }).catch(throwCancelled);
    current = await getFile(client, current.name, options);
  }
}

function isGoogle(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === GOOGLE_HOST;
  } catch {
    return false;
  }
}

/**
 * Where the bytes go, and whether the key goes with them. Google's upload URL identifies the
 * session by itself (the documented curl sends no key on this step; the official SDK sends it
 * anyway): we send the key only to the origin the user configured, never to another host.
 * Relays often pass on an upload URL naming a host we cannot or must not reach (Google's own,
 * or their internal backend): for a non-Google base URL, a foreign origin is rebased onto the
 * base URL, keeping the path from `/upload/` on and the query (the session id).
 */
export function uploadTarget(baseUrl: string, announced: string): { url: URL; sameOrigin: boolean } {
  const base = apiUrl({ baseUrl, apiKey: '', authStyle: 'x-goog-api-key' }, '');
  let url: URL;
  try {
    url = new URL(announced, base);
  } catch {
    throw new GeminiError('noUploadRoute', 'The upload start answer has an invalid x-goog-upload-url.');
  }
  if (url.origin === base.origin || isGoogle(baseUrl)) return { url, sameOrigin: url.origin === base.origin };
  const prefix = base.pathname.replace(/\/+$/, '');
  const at = url.pathname.indexOf('/upload/');
  const rest = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : at >= 0 ? url.pathname.slice(at) : url.pathname;
  const rebased = new URL(base.toString());
  rebased.pathname = `${prefix}${rest}`;
  rebased.search = url.search;
  return { url: rebased, sameOrigin: true };
}

function isMissingRoute(e: unknown): boolean {
  return isGeminiError(e) && e.details.status !== undefined && NO_ROUTE_STATUSES.has(e.details.status);
}

function noUploadRoute(cause: GeminiError): GeminiError {
  return new GeminiError(
    'noUploadRoute',
    `The server has no Files API upload route (HTTP ${cause.details.status} on ${UPLOAD_PATH}).`,
    { status: cause.details.status, serverMessage: cause.details.serverMessage, bodyExcerpt: cause.details.bodyExcerpt },
    { cause },
  );
}

function fileName(name: string): string {
  const id = name.replace(/^files\//, '');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new GeminiError('badRequest', `Not a file name: ${name}`);
  return `files/${id}`;
}

const STATES = new Set(['STATE_UNSPECIFIED', 'PROCESSING', 'ACTIVE', 'FAILED']);

/** A File resource from an answer (camelCase or a relay's snake_case), checked. */
function readFile(value: unknown): GeminiFile {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const s = (...keys: string[]) => keys.map((k) => v[k]).find((x): x is string => typeof x === 'string');
  const name = s('name');
  const uri = s('uri');
  if (!name || !uri) throw new GeminiError('badResponse', 'The Files API answer has no file name or uri.');
  const file: GeminiFile = { name, uri, mimeType: s('mimeType', 'mime_type') ?? 'application/octet-stream' };
  const sizeBytes = v.sizeBytes ?? v.size_bytes;
  if (typeof sizeBytes === 'string' || typeof sizeBytes === 'number') file.sizeBytes = String(sizeBytes);
  const optional: [keyof GeminiFile, string, string][] = [
    ['createTime', 'createTime', 'create_time'],
    ['updateTime', 'updateTime', 'update_time'],
    ['expirationTime', 'expirationTime', 'expiration_time'],
    ['sha256Hash', 'sha256Hash', 'sha256_hash'],
    ['displayName', 'displayName', 'display_name'],
  ];
  for (const [field, camel, snake] of optional) {
    const x = s(camel, snake);
    if (x !== undefined) (file as unknown as Record<string, string>)[field] = x;
  }
  const state = s('state');
  if (state && STATES.has(state)) file.state = state as GeminiFile['state'];
  const error = v.error && typeof v.error === 'object' ? (v.error as Record<string, unknown>) : undefined;
  if (error) file.error = { ...(typeof error.code === 'number' ? { code: error.code } : {}), ...(typeof error.message === 'string' ? { message: error.message } : {}) };
  return file;
}
