// The Files API: resumable upload (start, then upload/finalize), get, list, delete, and the
// lookup generateContent does for fileData parts.
import { createHash, randomBytes } from 'node:crypto';
import { badRequest, fileNoAccess, googleError, invalidPayload, JSON_TYPE, nginxPage, notFound, type ErrorAnswer } from './errors';
import type { Exchange } from './exchange';
import { PayloadReader } from './payload';
import { sniffImage } from './sniff';
import type { FakeFile, ServerState } from './state';

const TWO_GB = 2 * 1024 * 1024 * 1024;
const LIFETIME_MS = 48 * 3600 * 1000;
const UPLOAD_PATH = '/upload/v1beta/files';

function fileId(): string {
  return Array.from(randomBytes(12), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}

export function fileResource(f: FakeFile): Record<string, unknown> {
  return {
    name: f.name,
    ...(f.displayName !== undefined ? { displayName: f.displayName } : {}),
    mimeType: f.mimeType,
    sizeBytes: f.sizeBytes,
    createTime: f.createTime,
    updateTime: f.updateTime,
    expirationTime: f.expirationTime,
    sha256Hash: f.sha256Hash,
    uri: f.uri,
    state: f.state,
    source: f.source,
    // File.error (google.rpc.Status): why processing failed.
    ...(f.state === 'FAILED' ? { error: { code: 3, message: 'The file could not be processed: the image data is not supported.' } } : {}),
  };
}

function header(ex: Exchange, name: string): string | undefined {
  const v = ex.req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function sendJson(ex: Exchange, status: number, value: unknown, headers: Record<string, string> = {}): Promise<void> {
  return ex.send(status, JSON.stringify(value, null, 2), JSON_TYPE, {}, headers);
}

/** A file the key may see: the error otherwise (unknown and expired: 404, someone else's: 403). */
function ownFile(state: ServerState, id: string, key: string): { file: FakeFile } | { error: ErrorAnswer } {
  const file = state.files.get(`files/${id}`);
  if (!file || file.expired) return { error: notFound(`File files/${id} not found.`) };
  if (file.ownerKey !== key) return { error: fileNoAccess(id) };
  return { file };
}

export function isUploadPath(path: string): boolean {
  return path === UPLOAD_PATH || path.startsWith(`${UPLOAD_PATH}/`);
}

/** /upload/v1beta/files: `key` is undefined for the upload step (its URL carries the session). */
export async function handleUpload(ex: Exchange, state: ServerState, authenticate: () => string | ErrorAnswer): Promise<void> {
  if (state.options.uploadRoute === false) return ex.sendError(nginxPage(404));
  if (ex.req.method !== 'POST' || ex.url.pathname !== UPLOAD_PATH) return ex.sendError(notFound('Method not found.'));
  const uploadId = ex.url.searchParams.get('upload_id');
  if (uploadId !== null) return uploadStep(ex, state, uploadId);

  const key = authenticate();
  if (typeof key !== 'string') return ex.sendError(key);
  const protocol = header(ex, 'x-goog-upload-protocol');
  if (protocol !== 'resumable') return ex.sendError(badRequest(`The stand-in supports X-Goog-Upload-Protocol: resumable only (got ${protocol ?? 'none'}).`));
  if (header(ex, 'x-goog-upload-command')?.trim().toLowerCase() !== 'start') return ex.sendError(badRequest('X-Goog-Upload-Command must be "start" to begin an upload.'));
  const lengthHeader = header(ex, 'x-goog-upload-header-content-length');
  const declaredLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (declaredLength !== undefined && !(Number.isInteger(declaredLength) && declaredLength >= 0)) {
    return ex.sendError(badRequest(`Invalid X-Goog-Upload-Header-Content-Length: ${lengthHeader}`));
  }
  if (declaredLength !== undefined && declaredLength > TWO_GB) return ex.sendError(badRequest('File size exceeds the 2 GB limit.'));

  const parsed = ex.json();
  if (parsed.error) return ex.sendError(badRequest(`Invalid JSON payload received. ${parsed.error}`));
  const reader = new PayloadReader();
  const file = reader.object(reader.object(parsed.value ?? {}, '', ['file'])?.get('file'), 'file', ['displayName', 'name', 'mimeType']);
  const displayName = reader.string(file?.get('displayName'), 'file.display_name');
  const bodyMime = reader.string(file?.get('mimeType'), 'file.mime_type');
  if (reader.violations.length) return ex.sendError(invalidPayload(reader.violations));

  const id = randomBytes(24).toString('base64url');
  state.uploads.set(id, {
    id,
    ownerKey: key,
    displayName,
    mimeType: header(ex, 'x-goog-upload-header-content-type') ?? bodyMime,
    declaredLength,
    chunks: [],
    received: 0,
    behaviour: state.uploadQueue.shift() ?? {},
  });
  const base = state.options.uploadUrlBase?.replace(/\/+$/, '') ?? state.url;
  const uploadUrl = `${base}${UPLOAD_PATH}?upload_id=${id}&upload_protocol=resumable`;
  await ex.send(200, '', 'text/plain; charset=utf-8', {}, {
    'x-goog-upload-url': uploadUrl,
    'x-goog-upload-control-url': uploadUrl,
    'x-goog-upload-status': 'active',
    'x-goog-upload-chunk-granularity': String(8 * 1024 * 1024),
    'x-guploader-uploadid': id,
  });
}

async function uploadStep(ex: Exchange, state: ServerState, id: string): Promise<void> {
  const session = state.uploads.get(id);
  if (!session) return ex.sendError(notFound('Upload session not found (unknown, finished or cancelled upload_id).'));
  const commands = (header(ex, 'x-goog-upload-command') ?? '').split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  const status = (s: string): Record<string, string> => ({ 'x-goog-upload-status': s, 'x-goog-upload-size-received': String(session.received) });
  if (commands.includes('query')) return ex.send(200, '', 'text/plain; charset=utf-8', {}, status('active'));
  if (commands.includes('cancel')) {
    state.uploads.delete(id);
    return ex.send(200, '', 'text/plain; charset=utf-8', {}, status('cancelled'));
  }
  if (!commands.includes('upload') && !commands.includes('finalize')) {
    return ex.sendError(badRequest(`Unsupported X-Goog-Upload-Command: ${commands.join(', ') || 'none'}`));
  }
  if (commands.includes('upload')) {
    const offset = Number(header(ex, 'x-goog-upload-offset'));
    if (offset !== session.received) {
      return ex.sendError(badRequest(`X-Goog-Upload-Offset must be ${session.received} (the bytes received so far), got ${header(ex, 'x-goog-upload-offset') ?? 'none'}.`));
    }
    session.chunks.push(ex.body);
    session.received += ex.body.length;
  }
  if (!commands.includes('finalize')) return ex.send(200, '', 'text/plain; charset=utf-8', {}, status('active'));

  state.uploads.delete(id);
  if (session.declaredLength !== undefined && session.received !== session.declaredLength) {
    return ex.sendError(
      badRequest(`Upload size mismatch: X-Goog-Upload-Header-Content-Length declared ${session.declaredLength} bytes, ${session.received} were uploaded.`),
      { headers: { 'x-goog-upload-status': 'final' } },
    );
  }
  const bytes = Buffer.concat(session.chunks);
  const sniffed = sniffImage(bytes);
  const mimeType = session.mimeType ?? (sniffed ? `image/${sniffed.type}` : 'application/octet-stream');
  const now = new Date();
  const name = `files/${fileId()}`;
  const polls = session.behaviour.processingPolls ?? state.options.processingPolls ?? 0;
  const endState = session.behaviour.endState ?? 'ACTIVE';
  const file: FakeFile = {
    name,
    displayName: session.displayName,
    mimeType,
    sizeBytes: String(bytes.length),
    createTime: now.toISOString(),
    updateTime: now.toISOString(),
    expirationTime: new Date(now.getTime() + LIFETIME_MS).toISOString(),
    sha256Hash: createHash('sha256').update(bytes).digest('base64'),
    uri: `${state.url}/v1beta/${name}`,
    state: polls > 0 ? 'PROCESSING' : endState,
    source: 'UPLOADED',
    bytes,
    ownerKey: session.ownerKey,
    expired: false,
    pollsLeft: polls,
    endState,
  };
  state.files.set(name, file);
  await sendJson(ex, 200, { file: fileResource(file) }, { 'x-goog-upload-status': 'final' });
}

/** /v1beta/files and /v1beta/files/{id}. */
export async function handleFiles(ex: Exchange, state: ServerState, key: string): Promise<void> {
  const path = ex.url.pathname;
  const method = ex.req.method;
  if (path === '/v1beta/files' && method === 'GET') {
    const pageSize = Math.min(100, Math.max(1, Number(ex.url.searchParams.get('pageSize')) || 10));
    const start = Number(Buffer.from(ex.url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0) || 0;
    const mine = [...state.files.values()].filter((f) => f.ownerKey === key && !f.expired).reverse();
    const page = mine.slice(start, start + pageSize);
    const answer: Record<string, unknown> = {};
    // Like the API, an empty list is `{}`: no `files` field at all.
    if (page.length) answer.files = page.map(fileResource);
    if (start + pageSize < mine.length) answer.nextPageToken = Buffer.from(String(start + pageSize)).toString('base64url');
    return sendJson(ex, 200, answer);
  }
  const match = /^\/v1beta\/files\/([a-z0-9-]+)$/.exec(path);
  if (!match || (method !== 'GET' && method !== 'DELETE')) return ex.sendError(notFound('Method not found.'));
  const found = ownFile(state, match[1], key);
  if ('error' in found) return ex.sendError(found.error);
  const { file } = found;
  if (method === 'DELETE') {
    state.files.delete(file.name);
    return sendJson(ex, 200, {});
  }
  const shown = fileResource(file);
  if (file.pollsLeft > 0 && --file.pollsLeft === 0) {
    file.state = file.endState;
    file.updateTime = new Date().toISOString();
  }
  return sendJson(ex, 200, shown);
}

/** For a fileData part: the file behind `uri`, if `key` may use it now. */
export function resolveFile(state: ServerState, uri: string, key: string): { mimeType: string } | { error: ErrorAnswer } {
  const match = /\/v1beta\/files\/([a-z0-9-]+)$/.exec(uri);
  if (!match) return { error: badRequest(`Invalid or unsupported file uri: ${uri}`) };
  const f = state.files.get(`files/${match[1]}`);
  if (!f || f.expired || f.ownerKey !== key) return { error: fileNoAccess(match[1]) };
  if (f.state !== 'ACTIVE') {
    return { error: googleError(400, `The File ${match[1]} is not in an ACTIVE state and usage is not allowed.`, undefined, 'FAILED_PRECONDITION') };
  }
  return { mimeType: f.mimeType };
}

export function expireFile(state: ServerState, name: string): void {
  const f = state.files.get(name.startsWith('files/') ? name : `files/${name}`);
  if (!f) throw new Error(`no file ${name}`);
  f.expired = true;
  f.expirationTime = new Date(Date.now() - 1000).toISOString();
}
