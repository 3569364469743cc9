// The end of a batch job: poll it to a final state, then stream its results file and write each
// image to its path as its line is parsed. FAILED, EXPIRED and CANCELLED jobs and per-request
// errors are reported per image. What was written is recorded, so a rerun after a kill skips it
// (and if the record lagged, the image on disk already carries its prompt: it is not written twice).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { waitForBatch, type BatchJob } from '../gemini/batch';
import { forEachLine, openResultsFile } from '../gemini/batchResults';
import { errorFromResponse } from '../gemini/errorResponse';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { parseBatchResultLine, requireImages } from '../gemini/responseParser';
import { TempFileSink } from '../workspace/imageStore';
import type { FillContext } from './fillNow';
import { placeImage } from './imageWriter';
import { jobTrashDir, type JobStore, type StoredJob } from './jobStore';
import type { PlannedImage } from './plan';

export interface JobWait {
  job: StoredJob;
  /** key -> the image this run wants from it. */
  attached: Map<string, PlannedImage>;
}

const SAVE_EVERY_MS = 1000;

/** Returns the job's name when it is still pending (the run was cancelled), else undefined. */
export async function collectResults(ctx: FillContext, store: JobStore, wait: JobWait, poll: { initialDelayMs: number; maxDelayMs: number }): Promise<string | undefined> {
  const { job, attached } = wait;
  const name = job.name!;
  const failAll = (error: Error) => {
    for (const [key, image] of attached) if (!job.settled.includes(key)) ctx.onEvent({ type: 'failed', image, error });
  };
  let final: BatchJob;
  try {
    final = await waitForBatch(ctx.client, name, {
      ...poll,
      signal: ctx.signal,
      onUpdate: (j) => ctx.onEvent({ type: 'job', name, state: j.state, done: j.stats.successfulRequestCount + j.stats.failedRequestCount, total: j.stats.requestCount || job.entries.length }),
    });
  } catch (e) {
    if (isGeminiError(e) && e.kind === 'cancelled') return name;
    if (isGeminiError(e) && e.kind === 'notFound') {
      store.remove(job);
      await store.save();
    }
    failAll(e as Error);
    return undefined;
  }
  if (final.state !== 'BATCH_STATE_SUCCEEDED' || !final.responsesFile) {
    const words = final.state === 'BATCH_STATE_SUCCEEDED' ? 'succeeded without a results file' : final.state.replace('BATCH_STATE_', '').toLowerCase();
    failAll(new GeminiError(final.state === 'BATCH_STATE_CANCELLED' ? 'cancelled' : 'badResponse', `The batch job ${name} ${words}${final.error?.message ? `: ${final.error.message}` : ''}.`, { serverMessage: final.state }));
    store.remove(job);
    await store.save();
    return undefined;
  }
  try {
    await writeResults(ctx, store, wait, final.responsesFile);
  } catch (e) {
    await store.save();
    if (isGeminiError(e) && e.kind === 'cancelled') return name;
    failAll(e as Error);
    return undefined;
  }
  for (const [key, image] of attached) {
    if (!job.settled.includes(key)) ctx.onEvent({ type: 'failed', image, error: new GeminiError('badResponse', `The results of ${name} have no line for ${key}.`) });
  }
  store.remove(job);
  await store.save();
  return undefined;
}

async function writeResults(ctx: FillContext, store: JobStore, wait: JobWait, responsesFile: string): Promise<void> {
  const { job, attached } = wait;
  const settled = new Set(job.settled);
  const trash = jobTrashDir(ctx.trashRoot, job);
  let lastSave = Date.now();
  const settle = async (key: string) => {
    settled.add(key);
    job.settled.push(key);
    if (Date.now() - lastSave > SAVE_EVERY_MS) {
      lastSave = Date.now();
      await store.save();
    }
  };
  const body = await openResultsFile(ctx.client, responsesFile, ctx.signal);
  await forEachLine(body, async (line) => {
    const sink = new TempFileSink(ctx.root);
    let parsed;
    try {
      parsed = await parseBatchResultLine(line, sink, { signal: ctx.signal, thoughtImages: 'discard' });
    } catch (e) {
      await sink.discardAll();
      if (isGeminiError(e) && e.kind === 'cancelled') throw e;
      ctx.client.transport.log?.warn(`A line of ${responsesFile} could not be read: ${(e as Error).message}`);
      return;
    }
    const temps = parsed.reply?.images.map((i) => i.handle.tempPath) ?? [];
    try {
      const key = parsed.key;
      const image = key === undefined ? undefined : attached.get(key);
      if (key === undefined || !image || settled.has(key)) return;
      if (parsed.error) {
        const e = parsed.error;
        ctx.onEvent({ type: 'failed', image, error: errorFromResponse(e.code ?? 500, {}, JSON.stringify({ error: e })) });
      } else {
        try {
          const reply = requireImages(parsed.reply!);
          const backupPath = image.state === 'stale' ? path.join(trash, ...image.relPath.split('/')) : undefined;
          const placement = await placeImage({ temp: reply.images[0].handle, path: image.path, root: ctx.root, meta: job.entries.find((x) => x.key === key)!.meta, backupPath });
          ctx.onEvent({ type: 'written', image, placement, backupPath });
        } catch (e) {
          ctx.onEvent({ type: 'failed', image, error: e as Error });
        }
      }
      await settle(key);
    } finally {
      await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
    }
  });
}
