// Batch mode: the requests as a JSONL file through the Files API, one job per model and per
// bounded slice, the job remembered (JobStore) before the upload and before the create, the
// results file streamed and each image written to its path as its line is parsed. A rerun first
// picks up what an earlier run left: a job whose create may have gone out is looked for by its
// display name, and images already in a pending job are attached to it, never submitted again.
import { endpointId, isNoUploadRoute, uploadFile, waitUntilActive } from '../gemini/files';
import { batchLine, createBatch, findBatchByDisplayName, isNoBatchRoute, type BatchJob } from '../gemini/batch';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { docRequest, type DocRequest } from './docRequest';
import type { FillContext } from './fillNow';
import { newJobId, type JobEntry, type JobStore, type StoredJob } from './jobStore';
import { collectResults, type JobWait } from './batchResultsWriter';
import type { PlannedImage } from './plan';

export interface BatchOptions {
  store: JobStore;
  /** Requests per job (default 100): a failed or expired job loses no more than this. */
  maxJobSize?: number;
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Only follow the jobs already pending (resuming after a restart); submit nothing new. */
  attachOnly?: boolean;
}

/** What did not go through a batch and should be made now instead (a server without the Batch API). */
export interface BatchOutcome {
  fallback: PlannedImage[];
  /** Jobs still pending when the run stopped (cancelled): a later run picks them up. */
  pending: string[];
}

export const DISPLAY_NAME_PREFIX = 'gemini-image ';

function sameMeta(a: JobEntry['meta'], b: JobEntry['meta']): boolean {
  return a.prompt === b.prompt && a.model === b.model && a.aspectRatio === b.aspectRatio && a.imageSize === b.imageSize && a.style === b.style && a.userPrompt === b.userPrompt;
}

export async function fillBatch(ctx: FillContext, images: PlannedImage[], options: BatchOptions): Promise<BatchOutcome> {
  const { client } = ctx;
  const store = options.store;
  const endpoint = endpointId(client.endpoint);
  await store.load();
  const outcome: BatchOutcome = { fallback: [], pending: [] };

  // Built first: a request that cannot be made (a bad reference) fails here, alone.
  const requests = new Map<PlannedImage, DocRequest>();
  for (const image of images) {
    try {
      requests.set(image, await docRequest(image, ctx.root, ctx.defaults, ctx.styles));
    } catch (e) {
      ctx.onEvent({ type: 'failed', image, error: e as Error });
    }
  }

  try {
    await resolveUnfinished(ctx, store, endpoint);
  } catch (e) {
    if (!isNoBatchRoute(e)) throw e;
    ctx.onEvent({ type: 'notice', code: 'noBatchRoute', message: 'The server has no Batch API: the images are made now instead.' });
    return { fallback: [...requests.keys()], pending: [] };
  }

  const waits: JobWait[] = [];
  const remaining = new Map([...requests].map(([image, r]) => [image.relPath, { image, r }]));
  for (const job of store.jobs.filter((j) => j.endpoint === endpoint && j.phase === 'created')) {
    const attached = new Map<string, PlannedImage>();
    for (const entry of job.entries) {
      const want = remaining.get(entry.relPath);
      if (want && !job.settled.includes(entry.key) && sameMeta(entry.meta, want.r.meta)) {
        attached.set(entry.key, want.image);
        remaining.delete(entry.relPath);
      }
    }
    if (attached.size) {
      ctx.onEvent({ type: 'notice', code: 'attached', message: `${attached.size} image(s) are already in the pending job ${job.name}: waiting for it, not submitting again.` });
      waits.push({ job, attached });
    }
  }

  const byModel = new Map<string, { image: PlannedImage; r: DocRequest }[]>();
  for (const item of options.attachOnly ? [] : remaining.values()) byModel.set(item.r.model, [...(byModel.get(item.r.model) ?? []), item]);
  const size = Math.max(1, options.maxJobSize ?? 100);
  let noRoute = false;
  for (const [model, items] of byModel) {
    for (let at = 0; at < items.length; at += size) {
      const slice = items.slice(at, at + size);
      if (noRoute) {
        outcome.fallback.push(...slice.map((s) => s.image));
        continue;
      }
      const submitted = await submit(ctx, store, endpoint, model, slice).catch((e: unknown) => {
        if (!isNoBatchRoute(e) && !isNoUploadRoute(e)) throw e;
        noRoute = true;
        ctx.onEvent({ type: 'notice', code: 'noBatchRoute', message: 'The server has no Batch API: the images are made now instead.' });
        return undefined;
      });
      if (submitted) waits.push(submitted);
      else if (noRoute) outcome.fallback.push(...slice.map((s) => s.image));
    }
  }

  const pollOptions = { initialDelayMs: options.pollInitialMs ?? 5000, maxDelayMs: options.pollMaxMs ?? 60_000 };
  const pending = await Promise.all(waits.map((w) => collectResults(ctx, store, w, pollOptions)));
  outcome.pending = pending.filter((p): p is string => !!p);
  return outcome;
}

/** Jobs an earlier run left half made: found again by display name, or forgotten when never created. */
async function resolveUnfinished(ctx: FillContext, store: JobStore, endpoint: string): Promise<void> {
  for (const job of store.jobs.filter((j) => j.endpoint === endpoint && j.phase !== 'created')) {
    const found = job.phase === 'creating' ? await findBatchByDisplayName(ctx.client, job.displayName, ctx.signal) : undefined;
    if (found) {
      job.name = found.name;
      job.phase = 'created';
    } else {
      store.remove(job);
    }
    await store.save();
  }
}

async function submit(ctx: FillContext, store: JobStore, endpoint: string, model: string, items: { image: PlannedImage; r: DocRequest }[]): Promise<JobWait | undefined> {
  const id = newJobId();
  const job: StoredJob = {
    id,
    displayName: `${DISPLAY_NAME_PREFIX}${id}`,
    endpoint,
    model,
    phase: 'uploading',
    createdAt: new Date().toISOString(),
    entries: items.map(({ image, r }) => ({ key: image.relPath, relPath: image.relPath, meta: r.meta, replace: image.state === 'stale' })),
    settled: [],
  };
  const attached = new Map(items.map(({ image }) => [image.relPath, image]));
  const fail = (error: Error) => items.forEach(({ image }) => ctx.onEvent({ type: 'failed', image, error }));
  store.jobs.push(job);
  await store.save();
  try {
    const jsonl = Buffer.from(items.map(({ image, r }) => batchLine({ key: image.relPath, request: r.request })).join(''));
    const file = await waitUntilActive(ctx.client, await uploadFile(ctx.client, jsonl, 'application/jsonl', job.displayName, { signal: ctx.signal }), { signal: ctx.signal });
    job.inputFile = file.name;
    job.phase = 'creating';
    await store.save();
  } catch (e) {
    store.remove(job);
    await store.save();
    if (isNoUploadRoute(e)) throw e;
    fail(e as Error);
    return undefined;
  }
  let created: BatchJob;
  try {
    created = await createBatch(ctx.client, model, job.displayName, { fileName: job.inputFile! }, ctx.signal);
  } catch (e) {
    // An HTTP answer means no job was made; anything else (a timeout, a cut connection) may hide
    // one: the job stays 'creating' and the next run looks for it by name before submitting.
    if (isNoBatchRoute(e) || (isGeminiError(e) && e.details.status !== undefined)) {
      store.remove(job);
      await store.save();
      if (isNoBatchRoute(e)) throw e;
      fail(e as Error);
      return undefined;
    }
    ctx.onEvent({ type: 'notice', code: 'maybeCreated', message: `The job for ${items.length} image(s) may have been created; run again to pick it up.` });
    fail(isGeminiError(e) ? e : new GeminiError('network', String(e)));
    return undefined;
  }
  job.name = created.name;
  job.phase = 'created';
  await store.save();
  ctx.onEvent({ type: 'notice', code: 'submitted', message: `Submitted ${items.length} image(s) as ${created.name}.` });
  return { job, attached };
}
