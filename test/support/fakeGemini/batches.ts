// The Batch API as shared/gemini-api.md describes it: create from inline requests or a JSONL file,
// the job as a long-running Operation whose BATCH_STATE_* advances with each GET, batchStats as
// strings, inline results doubled in `response` and `metadata.output`, file results downloaded
// through /download/v1beta/files/{id}:download, list, cancel, delete. Modes (options.batch):
// a job that expires, per-request errors, a relay without the routes, a large inline job whose GET
// times out, and a slow results download.
import { createHash, randomBytes } from 'node:crypto';
import { badRequest, googleError, JSON_TYPE, nginxPage, notFound, type ErrorAnswer } from './errors';
import type { Exchange } from './exchange';
import { batchAnswer } from './generate';
import type { ModelInfo } from './models';
import type { FakeFile, ServerState } from './state';

export interface FakeBatchOptions {
  /** GETs answered PENDING, then RUNNING, before the final state (default 1 and 1). */
  pendingPolls?: number;
  runningPolls?: number;
  /** Where the job ends (default SUCCEEDED). */
  outcome?: 'SUCCEEDED' | 'FAILED' | 'EXPIRED';
  /** Requests (by key) answered with a per-request error line. */
  failKeys?: string[];
  /** false: no batch routes at all (a relay's 404 page). */
  route?: boolean;
  /** An inline job with more requests than this: its final GET times out (504 after getTimeoutMs). */
  inlineGetLimit?: number;
  getTimeoutMs?: number;
  /** Each result image is about this many bytes (incompressible), for memory benchmarks. */
  imageBytes?: number;
  /** The create answers this long after the job exists (a kill in between loses the answer, not the job). */
  createDelayMs?: number;
  /** The results download is sent in pieces of downloadChunkSize with this pause. */
  downloadChunkDelayMs?: number;
  downloadChunkSize?: number;
}

type Json = Record<string, unknown>;

interface FakeBatch {
  name: string;
  displayName?: string;
  model: ModelInfo;
  ownerKey: string;
  createTime: string;
  updateTime: string;
  endTime?: string;
  state: string;
  gets: number;
  inline: boolean;
  requests: { key: string; request: unknown }[];
  output?: Json;
  succeeded: number;
  failed: number;
}

const jobsByServer = new WeakMap<ServerState, Map<string, FakeBatch>>();
const TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.';

function jobs(state: ServerState): Map<string, FakeBatch> {
  let map = jobsByServer.get(state);
  if (!map) jobsByServer.set(state, (map = new Map()));
  return map;
}

function options(state: ServerState): FakeBatchOptions {
  return (state.options as { batch?: FakeBatchOptions }).batch ?? {};
}

export function hasBatchRoute(state: ServerState): boolean {
  return options(state).route !== false;
}

function sendJson(ex: Exchange, value: unknown): Promise<void> {
  return ex.send(200, JSON.stringify(value, null, 2), JSON_TYPE);
}

/** POST /v1beta/models/{model}:batchGenerateContent */
export async function handleBatchCreate(ex: Exchange, state: ServerState, model: ModelInfo, key: string): Promise<void> {
  if (!hasBatchRoute(state)) return ex.sendError(nginxPage(404));
  const parsed = ex.json();
  if (parsed.error) return ex.sendError(badRequest(`Invalid JSON payload received. ${parsed.error}`));
  const body = (parsed.value ?? {}) as Json;
  const unknown = Object.keys(body).filter((k) => k !== 'batch');
  const batch = (body.batch ?? {}) as Json;
  unknown.push(...Object.keys(batch).filter((k) => !['displayName', 'display_name', 'inputConfig', 'input_config', 'priority', 'model'].includes(k)));
  if (unknown.length) return ex.sendError(badRequest(`Invalid JSON payload received. Unknown name "${unknown[0]}": Cannot find field.`));
  const input = (batch.inputConfig ?? batch.input_config ?? {}) as Json;
  const requests = readInput(state, input, key);
  if ('error' in requests) return ex.sendError(requests.error);
  if (requests.list.length === 0) return ex.sendError(badRequest('The batch has no requests.'));
  const now = new Date().toISOString();
  const job: FakeBatch = {
    name: `batches/${randomBytes(9).toString('hex')}`,
    displayName: typeof batch.displayName === 'string' ? batch.displayName : undefined,
    model,
    ownerKey: key,
    createTime: now,
    updateTime: now,
    state: 'BATCH_STATE_PENDING',
    gets: 0,
    inline: !('fileName' in input || 'file_name' in input),
    requests: requests.list,
    succeeded: 0,
    failed: 0,
  };
  jobs(state).set(job.name, job);
  if (!(await ex.sleep(options(state).createDelayMs ?? 0))) return;
  return sendJson(ex, operation(job));
}

function readInput(state: ServerState, input: Json, key: string): { list: FakeBatch['requests'] } | { error: ErrorAnswer } {
  const fileName = input.fileName ?? input.file_name;
  if (typeof fileName === 'string') {
    const file = state.files.get(fileName);
    if (!file || file.expired || file.ownerKey !== key) return { error: googleError(404, `File ${fileName} not found.`) };
    const list: FakeBatch['requests'] = [];
    for (const [n, line] of file.bytes.toString('utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        const value = JSON.parse(line) as Json;
        if (typeof value.key !== 'string' || !value.request) return { error: badRequest(`Line ${n + 1} of ${fileName} needs "key" and "request".`) };
        list.push({ key: value.key, request: value.request });
      } catch {
        return { error: badRequest(`Line ${n + 1} of ${fileName} is not JSON.`) };
      }
    }
    return { list };
  }
  const wrapper = (input.requests ?? {}) as Json;
  const items = wrapper.requests;
  if (!Array.isArray(items)) return { error: badRequest('inputConfig needs "fileName" or "requests": {"requests": [...]}.') };
  return { list: items.map((item: Json, n) => ({ key: String((item.metadata as Json | undefined)?.key ?? n + 1), request: item.request })) };
}

/** Advances a job by one GET and settles it when it reaches its final state. */
function advance(state: ServerState, job: FakeBatch): void {
  if (job.state !== 'BATCH_STATE_PENDING' && job.state !== 'BATCH_STATE_RUNNING') return;
  const o = options(state);
  job.gets++;
  const pending = o.pendingPolls ?? 1;
  const running = o.runningPolls ?? 1;
  job.updateTime = new Date().toISOString();
  if (job.gets <= pending) return;
  if (job.gets <= pending + running) {
    job.state = 'BATCH_STATE_RUNNING';
    return;
  }
  job.endTime = job.updateTime;
  const outcome = o.outcome ?? 'SUCCEEDED';
  job.state = `BATCH_STATE_${outcome}`;
  if (outcome === 'SUCCEEDED') settle(state, job);
}

function settle(state: ServerState, job: FakeBatch): void {
  const failKeys = new Set(options(state).failKeys ?? []);
  const answers = job.requests.map(({ key, request }) => {
    const answer = failKeys.has(key) ? { error: googleError(400, 'Request contains an invalid argument.') } : batchAnswer(state, job.model, job.ownerKey, request, options(state).imageBytes);
    if ('error' in answer) {
      job.failed++;
      return { key, error: (JSON.parse(answer.error.body) as { error: Json }).error };
    }
    job.succeeded++;
    return { key, response: answer.response };
  });
  if (job.inline) {
    const inlined = answers.map(({ key, ...rest }) => ({ ...rest, metadata: { key } }));
    job.output = { '@type': `${TYPE}GenerateContentBatchOutput`, inlinedResponses: { inlinedResponses: inlined } };
    return;
  }
  const bytes = Buffer.from(answers.map((a) => `${JSON.stringify(a)}\n`).join(''));
  const name = `files/batch-${randomBytes(8).toString('hex')}`;
  const now = new Date().toISOString();
  const file: FakeFile = {
    name,
    displayName: `${job.name}-responses`,
    mimeType: 'application/jsonl',
    sizeBytes: String(bytes.length),
    createTime: now,
    updateTime: now,
    expirationTime: new Date(Date.now() + 48 * 3600 * 1000).toISOString(),
    sha256Hash: createHash('sha256').update(bytes).digest('base64'),
    uri: `${state.url}/v1beta/${name}`,
    state: 'ACTIVE',
    source: 'UPLOADED',
    bytes,
    ownerKey: job.ownerKey,
    expired: false,
    pollsLeft: 0,
    endState: 'ACTIVE',
  };
  state.files.set(name, file);
  job.output = { '@type': `${TYPE}GenerateContentBatchOutput`, responsesFile: name };
}

function operation(job: FakeBatch): Json {
  const total = job.requests.length;
  const final = !['BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING'].includes(job.state);
  const metadata: Json = {
    '@type': `${TYPE}GenerateContentBatch`,
    name: job.name,
    model: `models/${job.model.id}`,
    ...(job.displayName !== undefined ? { displayName: job.displayName } : {}),
    createTime: job.createTime,
    updateTime: job.updateTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    batchStats: {
      requestCount: String(total),
      ...(final ? {} : { pendingRequestCount: String(total - job.succeeded - job.failed) }),
      ...(job.succeeded ? { successfulRequestCount: String(job.succeeded) } : {}),
      ...(job.failed ? { failedRequestCount: String(job.failed) } : {}),
    },
    state: job.state,
    ...(job.output ? { output: job.output } : {}),
  };
  const op: Json = { name: job.name, metadata, done: final };
  if (job.output) op.response = job.output;
  if (job.state === 'BATCH_STATE_FAILED') op.error = { code: 13, message: 'The batch job failed.' };
  return op;
}

/** /v1beta/batches, /v1beta/batches/{id}, :cancel. */
export async function handleBatches(ex: Exchange, state: ServerState, key: string): Promise<void> {
  if (!hasBatchRoute(state)) return ex.sendError(nginxPage(404));
  const path = ex.url.pathname;
  const method = ex.req.method;
  const mine = [...jobs(state).values()].filter((j) => j.ownerKey === key);
  if (path === '/v1beta/batches' && method === 'GET') {
    const pageSize = Math.min(1000, Math.max(1, Number(ex.url.searchParams.get('pageSize')) || 50));
    const start = Number(Buffer.from(ex.url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0) || 0;
    const page = mine.slice().reverse().slice(start, start + pageSize);
    const answer: Json = {};
    if (page.length) answer.operations = page.map(operation);
    if (start + pageSize < mine.length) answer.nextPageToken = Buffer.from(String(start + pageSize)).toString('base64url');
    return sendJson(ex, answer);
  }
  const m = /^\/v1beta\/batches\/([\w-]+)(:cancel)?$/.exec(path);
  const job = m ? jobs(state).get(`batches/${m[1]}`) : undefined;
  if (!m || !job || job.ownerKey !== key) return ex.sendError(notFound('Requested entity was not found.'));
  if (m[2]) {
    if (method !== 'POST') return ex.sendError(notFound('Method not found.'));
    if (job.state === 'BATCH_STATE_PENDING' || job.state === 'BATCH_STATE_RUNNING') {
      job.state = 'BATCH_STATE_CANCELLED';
      job.endTime = job.updateTime = new Date().toISOString();
    }
    return sendJson(ex, {});
  }
  if (method === 'DELETE') {
    jobs(state).delete(job.name);
    return sendJson(ex, {});
  }
  if (method !== 'GET') return ex.sendError(notFound('Method not found.'));
  advance(state, job);
  const o = options(state);
  if (job.inline && job.output && o.inlineGetLimit !== undefined && job.requests.length > o.inlineGetLimit) {
    // What users hit: the finished job, results inline and doubled, is too big to assemble.
    if (!(await ex.sleep(o.getTimeoutMs ?? 1000))) return;
    return ex.sendError(nginxPage(504));
  }
  return sendJson(ex, operation(job));
}

export function isDownloadPath(path: string): boolean {
  return path.startsWith('/download/v1beta/files/');
}

/** GET /download/v1beta/files/{id}:download?alt=media */
export async function handleDownload(ex: Exchange, state: ServerState, key: string): Promise<void> {
  const m = /^\/download\/v1beta\/files\/([\w-]+):download$/.exec(ex.url.pathname);
  if (!m || ex.req.method !== 'GET') return ex.sendError(notFound('Method not found.'));
  if (ex.url.searchParams.get('alt') !== 'media') return ex.sendError(badRequest('Download requires alt=media.'));
  const file = state.files.get(`files/${m[1]}`);
  if (!file || file.expired || file.ownerKey !== key) return ex.sendError(notFound(`File files/${m[1]} not found.`));
  const o = options(state);
  return ex.send(200, file.bytes, 'application/octet-stream', { chunkDelayMs: o.downloadChunkDelayMs, chunkSize: o.downloadChunkSize });
}
