// The Batch API: create (never retried: a repeated create is a second, billed job), get, list,
// cancel, delete, and polling with backoff. Facts: shared/gemini-api.md, "Batch API". Jobs come
// back as long-running Operations ({name, metadata: GenerateContentBatch, done, response}); a
// relay may hand back the batch itself, so both shapes are read.
import { setTimeout as wait } from 'node:timers/promises';
import type { GeminiClient } from './client';
import { GeminiError, isGeminiError, throwCancelled } from './errors';
import { apiUrl } from './request';
import type { GenerateContentRequest } from './types';

export type BatchState =
  | 'BATCH_STATE_UNSPECIFIED'
  | 'BATCH_STATE_PENDING'
  | 'BATCH_STATE_RUNNING'
  | 'BATCH_STATE_SUCCEEDED'
  | 'BATCH_STATE_FAILED'
  | 'BATCH_STATE_CANCELLED'
  | 'BATCH_STATE_EXPIRED';

export const FINAL_STATES: ReadonlySet<BatchState> = new Set(['BATCH_STATE_SUCCEEDED', 'BATCH_STATE_FAILED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED']);

export interface BatchStats {
  requestCount: number;
  successfulRequestCount: number;
  failedRequestCount: number;
  pendingRequestCount: number;
}

export interface BatchJob {
  /** "batches/ID". */
  name: string;
  displayName?: string;
  model?: string;
  state: BatchState;
  createTime?: string;
  updateTime?: string;
  endTime?: string;
  stats: BatchStats;
  /** "files/ID" of the results, once there is one. */
  responsesFile?: string;
  /** Inline results (small jobs made from inline requests). */
  inlinedResponses?: { key?: string; response?: unknown; error?: { code?: number; message?: string } }[];
  /** The job's own failure. */
  error?: { code?: number; message?: string };
}

export interface BatchRequestLine {
  key: string;
  request: GenerateContentRequest;
}

export type BatchInput = { fileName: string } | { requests: BatchRequestLine[] };

/** details.serverMessage of the error for a server without the batch routes (a relay). */
export const NO_BATCH_ROUTE = 'noBatchRoute';
const NO_ROUTE_STATUSES = new Set([404, 405, 501]);

export function isNoBatchRoute(e: unknown): e is GeminiError {
  return isGeminiError(e) && e.details.serverMessage === NO_BATCH_ROUTE;
}

function noRoute(e: unknown): unknown {
  if (!isGeminiError(e) || e.details.status === undefined || !NO_ROUTE_STATUSES.has(e.details.status)) return e;
  // A 404 naming a batch is the batch being gone, not the route.
  if (/batches\/[\w-]+/.test(e.details.serverMessage ?? '') && e.details.status === 404) return e;
  return new GeminiError('notFound', `The server has no Batch API (HTTP ${e.details.status}).`, { ...e.details, serverMessage: NO_BATCH_ROUTE }, { cause: e });
}

/** The JSONL line for one request, as the input file wants it. */
export function batchLine(line: BatchRequestLine): string {
  return `${JSON.stringify({ key: line.key, request: line.request })}\n`;
}

function modelPath(model: string): string {
  return `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:batchGenerateContent`;
}

function batchPath(name: string, verb = ''): string {
  const id = name.replace(/^batches\//, '');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new GeminiError('badRequest', `Not a batch name: ${name}`);
  return `/v1beta/batches/${id}${verb}`;
}

/** Creates a job. Sent once: any failure is thrown as it is, and the caller must not simply retry. */
export async function createBatch(client: GeminiClient, model: string, displayName: string, input: BatchInput, signal?: AbortSignal): Promise<BatchJob> {
  const inputConfig = 'fileName' in input ? { fileName: input.fileName } : { requests: { requests: input.requests.map((r) => ({ request: r.request, metadata: { key: r.key } })) } };
  const answer = await client
    .requestJson({ method: 'POST', path: modelPath(model), body: { batch: { displayName, inputConfig } }, retryable: () => false }, { signal })
    .catch((e: unknown) => {
      throw noRoute(e);
    });
  return readBatch(answer.body);
}

export async function getBatch(client: GeminiClient, name: string, signal?: AbortSignal): Promise<BatchJob> {
  const answer = await client.requestJson({ method: 'GET', path: batchPath(name) }, { signal });
  return readBatch(answer.body);
}

export async function listBatches(client: GeminiClient, options: { pageSize?: number; pageToken?: string; signal?: AbortSignal } = {}): Promise<{ jobs: BatchJob[]; nextPageToken?: string }> {
  // A path string would have its `?` encoded: the query goes on a URL of the configured origin.
  const url = apiUrl({ ...client.endpoint, authStyle: 'x-goog-api-key' }, '/v1beta/batches');
  url.searchParams.set('pageSize', String(options.pageSize ?? 100));
  if (options.pageToken) url.searchParams.set('pageToken', options.pageToken);
  const answer = await client.requestJson({ method: 'GET', path: url }, { signal: options.signal }).catch((e: unknown) => {
    throw noRoute(e);
  });
  const body = (answer.body ?? {}) as { operations?: unknown[]; batches?: unknown[]; nextPageToken?: string };
  const items = body.operations ?? body.batches ?? [];
  return { jobs: items.map(readBatch), nextPageToken: typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined };
}

/** Every job the key's project has, through all pages (bounded). */
export async function findBatchByDisplayName(client: GeminiClient, displayName: string, signal?: AbortSignal): Promise<BatchJob | undefined> {
  let pageToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { jobs, nextPageToken } = await listBatches(client, { pageToken, signal });
    const found = jobs.find((j) => j.displayName === displayName);
    if (found) return found;
    if (!nextPageToken) return undefined;
    pageToken = nextPageToken;
  }
  return undefined;
}

export async function cancelBatch(client: GeminiClient, name: string, signal?: AbortSignal): Promise<void> {
  await client.requestJson({ method: 'POST', path: batchPath(name, ':cancel'), body: {} }, { signal });
}

export async function deleteBatch(client: GeminiClient, name: string, signal?: AbortSignal): Promise<void> {
  await client.requestJson({ method: 'DELETE', path: batchPath(name) }, { signal });
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** First pause (default 5 s); it doubles up to maxDelayMs (default 60 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  onUpdate?: (job: BatchJob) => void;
}

/**
 * Polls until the job is final and, when it succeeded, has its results (the file can appear a
 * little after SUCCEEDED). Failed polls (503, a dropped connection) count as a poll, not an end.
 */
export async function waitForBatch(client: GeminiClient, name: string, options: WaitOptions = {}): Promise<BatchJob> {
  const max = options.maxDelayMs ?? 60_000;
  let delay = options.initialDelayMs ?? 5000;
  let failures = 0;
  for (;;) {
    try {
      const job = await getBatch(client, name, options.signal);
      failures = 0;
      options.onUpdate?.(job);
      if (FINAL_STATES.has(job.state) && (job.state !== 'BATCH_STATE_SUCCEEDED' || job.responsesFile || job.inlinedResponses)) return job;
    } catch (e) {
      if (!isGeminiError(e) || !(e.retryable || e.kind === 'timeout' || e.kind === 'network') || ++failures > 20) throw e;
    }
    await wait(delay, undefined, { signal: options.signal }).catch(throwCancelled);
    delay = Math.min(max, delay * 2);
  }
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function count(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : 0;
  return Number.isFinite(n) ? n : 0;
}

/** A job from an Operation or a bare GenerateContentBatch, camelCase or snake_case. */
export function readBatch(value: unknown): BatchJob {
  const op = obj(value);
  const meta = op.metadata ? obj(op.metadata) : op;
  const name = String(op.name ?? meta.name ?? '');
  if (!name.startsWith('batches/')) throw new GeminiError('badResponse', 'The Batch API answer has no batch name.');
  const s = obj(meta.batchStats ?? meta.batch_stats);
  const output = obj(op.response ?? meta.output);
  const state = String(meta.state ?? 'BATCH_STATE_UNSPECIFIED').replace(/^JOB_STATE_/, 'BATCH_STATE_') as BatchState;
  const job: BatchJob = {
    name,
    state,
    stats: {
      requestCount: count(s.requestCount ?? s.request_count),
      successfulRequestCount: count(s.successfulRequestCount ?? s.successful_request_count),
      failedRequestCount: count(s.failedRequestCount ?? s.failed_request_count),
      pendingRequestCount: count(s.pendingRequestCount ?? s.pending_request_count),
    },
  };
  for (const [field, camel, snake] of [
    ['displayName', 'displayName', 'display_name'],
    ['model', 'model', 'model'],
    ['createTime', 'createTime', 'create_time'],
    ['updateTime', 'updateTime', 'update_time'],
    ['endTime', 'endTime', 'end_time'],
  ] as const) {
    const v = meta[camel] ?? meta[snake];
    if (typeof v === 'string') job[field] = v;
  }
  const file = output.responsesFile ?? output.responses_file;
  if (typeof file === 'string' && file) job.responsesFile = file;
  const inlined = obj(output.inlinedResponses ?? output.inlined_responses);
  const list = inlined.inlinedResponses ?? inlined.inlined_responses;
  if (Array.isArray(list)) {
    job.inlinedResponses = list.map((r) => {
      const item = obj(r);
      return { key: typeof obj(item.metadata).key === 'string' ? (obj(item.metadata).key as string) : undefined, response: item.response, error: item.error ? (obj(item.error) as BatchJob['error']) : undefined };
    });
  }
  const error = op.error ?? meta.error;
  if (error) job.error = obj(error) as BatchJob['error'];
  return job;
}
