// `fill` and `check`: the markdown files under the paths, their images, the plan; then (fill)
// the images made now or in a batch, each written at its link's path.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { listBatches, isNoBatchRoute } from '../gemini/batch';
import { GeminiClient } from '../gemini/client';
import { endpointId } from '../gemini/files';
import { fillBatch } from '../docs/fillBatch';
import { fillNow, summaryCollector, type FillContext } from '../docs/fillNow';
import { cacheRoot, JobStore, JobStoreLocked, workspaceCacheDir } from '../docs/jobStore';
import { takesFlex } from '../docs/prices';
import { chooseCliModel, endpointModels } from './endpointModels';
import { planFill, todo, type FillPlan } from '../docs/plan';
import { cataloguePrice } from '../docs/prices';
import { sweepDeadRunTemps } from '../docs/runTemps';
import { collectImages, markdownFiles } from '../docs/targets';
import { endpointFrom, UsageError, type CliOptions } from './options';
import { costLine, errorText, planJson, planLines, Reporter, type Streams } from './report';

export interface RunContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  streams: Streams;
  signal: AbortSignal;
  /** Asks yes/no on the terminal; undefined when there is none. */
  ask?: (question: string) => Promise<boolean>;
}

/** The nearest folder at or above `from` with a .git, else `from`. */
export function findRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}

async function loadPlan(o: CliOptions, run: RunContext): Promise<{ root: string; plan: FillPlan }> {
  const paths = o.positionals.map((p) => path.resolve(run.cwd, p));
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`No such file or folder: ${p}`);
  const root = o.root ? path.resolve(run.cwd, o.root) : findRoot(paths[0]);
  const files = await markdownFiles(paths);
  const documents = await Promise.all(files.map(async (file) => ({ path: path.relative(run.cwd, file) || file, abs: file, text: await fs.readFile(file, 'utf8') })));
  const images = collectImages(
    documents.map((d) => ({ path: d.abs, text: d.text })),
    root,
  );
  for (const image of images) for (const site of [...image.sites, ...image.conflicts]) site.document = path.relative(run.cwd, site.document) || site.document;
  const plan = await planFill(images, root, { model: o.model, imageSize: o.imageSize, aspectRatio: o.aspectRatio }, cataloguePrice);
  return { root, plan };
}

export async function runCheck(o: CliOptions, run: RunContext): Promise<number> {
  const report = new Reporter(run.streams, o.json);
  const { plan } = await loadPlan(o, run);
  report.document(planJson(plan));
  for (const image of plan.missing) report.line(`missing ${image.relPath}  (${image.sites.map((s) => `${s.document}:${s.line + 1}`).join(', ')})`);
  for (const image of plan.stale) report.line(`stale   ${image.relPath}  (${image.sites.map((s) => `${s.document}:${s.line + 1}`).join(', ')})`);
  const count = plan.missing.length + plan.stale.length;
  report.note(count ? `${plan.missing.length} missing, ${plan.stale.length} stale. Run: gemini-image fill ${o.positionals.join(' ')}` : `All ${plan.current} image(s) are up to date.`);
  return count ? 1 : 0;
}

/** From this many images on, auto mode makes them at the Flex price (below the batch threshold). */
const FLEX_FROM = 5;

async function replan(o: CliOptions, run: RunContext): Promise<{ plan: FillPlan; images: ReturnType<typeof todo> }> {
  const { plan } = await loadPlan(o, run);
  return { plan, images: todo(plan) };
}

export async function runFill(o: CliOptions, run: RunContext): Promise<number> {
  const loaded = await loadPlan(o, run);
  const root = loaded.root;
  let plan = loaded.plan;
  let images = todo(plan);
  if (o.dryRun) {
    const report = new Reporter(run.streams, o.json);
    report.document({ ...(planJson(plan) as object), mode: o.mode, dryRun: true });
    planLines(plan, o.mode).forEach((l) => report.line(l));
    return 0;
  }
  if (images.length === 0) {
    const quiet = new Reporter(run.streams, o.json);
    quiet.document({ ...(planJson(plan) as object), written: [], failed: [] });
    quiet.note(`Nothing to do: all ${plan.current} image(s) are up to date.`);
    return 0;
  }
  const endpoint = endpointFrom(o, run.env);
  const report = new Reporter(run.streams, o.json, endpoint.apiKey);
  const models = endpointModels(cacheRoot(run.env), (text) => report.note(text));
  const clientOptions = { endpoint, userAgent: 'gemini-image-cli', statusBook: models.book };
  const client = new GeminiClient({ ...clientOptions, timeoutMs: Number(run.env.GEMINI_IMAGE_TIMEOUT_MS) || 300_000 });
  const chosen = await chooseCliModel(o.modelIsAutomatic ? undefined : o.model, client, models, run.signal);
  report.note(`Model: ${chosen.model} (${chosen.how}).`);
  if (chosen.model !== o.model) ({ plan, images } = await replan({ ...o, model: chosen.model }, run));
  const cacheDir = workspaceCacheDir(root, cacheRoot(run.env));
  const store = new JobStore(cacheDir, root);
  const pendingJobs = (await store.load()).filter((j) => j.endpoint === endpointId(endpoint)).length;
  let mode = o.mode;
  if (mode === 'auto') mode = images.length >= o.batchThreshold || pendingJobs > 0 ? 'batch' : images.length >= FLEX_FROM && images.every((i) => takesFlex(i.model)) ? 'flex' : 'now';
  if (mode === 'batch' && !(await hasBatchApi(client, run.signal))) {
    report.note('The server has no Batch API: the images are made now instead.');
    mode = 'now';
  }
  planLines(plan, mode).forEach((l) => (o.json ? report.note(l) : report.line(l)));
  if (!o.yes) {
    if (!run.ask) throw new UsageError('Not a terminal: add --yes to generate without asking.');
    if (!(await run.ask(`Generate ${images.length} image(s)? [y/N] `))) {
      report.note('Nothing generated.');
      return 0;
    }
  }
  let unlock: () => Promise<void>;
  try {
    unlock = await store.lock();
  } catch (e) {
    if (e instanceof JobStoreLocked) {
      report.note(e.message);
      return 1;
    }
    throw e;
  }
  try {
    await sweepDeadRunTemps([root, ...images.map((i) => path.dirname(i.path))]);
    const { summary, onEvent } = summaryCollector({ onEvent: (e) => report.event(e) });
    // Flex answers in minutes and may be shed: a longer wait, and more tries at the same price.
    const flexClient = new GeminiClient({ ...clientOptions, timeoutMs: Number(run.env.GEMINI_IMAGE_TIMEOUT_MS) || 900_000, maxRetries: 6 });
    const ctx: FillContext = { client: mode === 'flex' ? flexClient : client, root, defaults: { model: chosen.model, imageSize: o.imageSize, aspectRatio: o.aspectRatio }, trashRoot: path.join(cacheDir, 'trash'), signal: run.signal, onEvent, tier: mode === 'flex' ? 'flex' : undefined };
    report.start(images.length);
    let pending: string[] = [];
    if (mode === 'batch') {
      const poll = Number(run.env.GEMINI_IMAGE_POLL_MS) || undefined;
      const outcome = await fillBatch(ctx, images, { store, pollInitialMs: poll, pollMaxMs: poll ? poll * 8 : undefined, maxJobSize: Number(run.env.GEMINI_IMAGE_BATCH_SIZE) || undefined });
      pending = outcome.pending;
      if (outcome.fallback.length) await fillNow(ctx, outcome.fallback, o.concurrency);
    } else {
      await fillNow(ctx, images, o.concurrency);
    }
    report.done();
    const failed = summary.failed;
    report.document({
      mode,
      written: summary.written.map((i) => i.relPath),
      failed: failed.map((f) => ({ path: f.image.relPath, error: errorText(f.error) })),
      pending,
      trash: path.join(cacheDir, 'trash'),
      model: chosen.model,
      cost: summary.cost,
    });
    if (pending.length) report.note(`Still pending: ${pending.join(', ')}. Run the same fill again to pick the results up.`);
    report.note(`${summary.written.length} written, ${failed.length} failed${pending.length ? `, ${images.length - summary.written.length - failed.length} pending` : ''}.`);
    const cost = costLine(summary.cost);
    if (cost) report.note(cost);
    return failed.length || pending.length || summary.written.length < images.length ? 1 : 0;
  } finally {
    await unlock();
  }
}

async function hasBatchApi(client: GeminiClient, signal: AbortSignal): Promise<boolean> {
  try {
    await listBatches(client, { pageSize: 1, signal });
    return true;
  } catch (e) {
    if (isNoBatchRoute(e)) return false;
    throw e;
  }
}
