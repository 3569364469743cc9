// docs_check and docs_fill: the CLI's own check and fill, run in-process with their JSON report
// captured. A batch fill returns once its jobs are submitted (or looked at once): the job stays in
// the workspace's job store, and the next docs_fill attaches to it instead of submitting again.
import { todo, type PlannedImage } from '../../docs/plan';
import { budgetRefusalText } from '../../core/sessionBudget';
import { cataloguePrice } from '../../docs/prices';
import { planFor, runCheck, runFill } from '../fillCommand';
import { parseCli, type CliOptions } from '../options';
import type { Session, ToolResult } from './imageTools';
import { ToolRefusal } from './rootPaths';

const FINAL_STATES = new Set(['BATCH_STATE_SUCCEEDED', 'BATCH_STATE_FAILED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED']);

/** Whether this build's fill takes --mode flex (another part of the tool adds it). */
export function fillTakesFlex(): boolean {
  try {
    parseCli(['fill', '.', '--mode', 'flex'], {});
    return true;
  } catch {
    return false;
  }
}

function captured() {
  const out = { stdout: '', stderr: '' };
  return { out, streams: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
}

function parsed(stdout: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function docsOptions(session: Session, paths: string[], extra: Partial<CliOptions>): CliOptions {
  return { ...session.options, command: 'fill', positionals: paths, root: session.paths.root, yes: true, json: true, dryRun: false, ...extra };
}

export async function docsCheck(session: Session, args: Record<string, unknown>): Promise<ToolResult> {
  const paths = await session.paths.docsPaths(args.paths);
  const { out, streams } = captured();
  await runCheck(docsOptions(session, paths, { command: 'check' }), { env: session.env, cwd: session.paths.root, streams, signal: session.signal });
  const report = parsed(out.stdout) as { missing?: { path: string }[]; stale?: { path: string }[]; current?: number };
  const count = (report.missing?.length ?? 0) + (report.stale?.length ?? 0);
  const head = count ? `${report.missing?.length ?? 0} missing and ${report.stale?.length ?? 0} stale image(s); ${report.current ?? 0} up to date. docs_fill makes them.` : `All ${report.current ?? 0} linked image(s) are up to date.`;
  return { content: [{ type: 'text', text: `${head}\n${out.stdout.trim()}` }] };
}

/** Images already paid for in this session (a batch picked up later is not counted twice). */
const chargedKey = (i: PlannedImage) => `${i.relPath}\n${i.spec.prompt}\n${i.model}\n${i.imageSize ?? ''}`;

export async function docsFill(session: Session, args: Record<string, unknown>, charged: Set<string>): Promise<ToolResult> {
  const paths = await session.paths.docsPaths(args.paths);
  const mode = args.mode;
  if (mode !== undefined && mode !== 'now' && mode !== 'batch' && mode !== 'flex') throw new ToolRefusal(`mode must be now, flex or batch, not ${String(mode)}.`);
  if (mode === 'flex' && !fillTakesFlex()) throw new ToolRefusal('This version of gemini-image has no Flex mode for the fill yet: use mode "now", or "batch" for half price. Nothing was generated.');
  const maxCost = args.max_cost;
  if (maxCost !== undefined && (typeof maxCost !== 'number' || !Number.isFinite(maxCost) || maxCost < 0)) throw new ToolRefusal('max_cost must be a number of dollars, 0 or more.');
  const { root } = session.paths;
  const o = docsOptions(session, paths, { mode: (mode ?? 'auto') as CliOptions['mode'], maxCost: maxCost as number | undefined });

  const plan = await planFor(paths, root, root, { model: o.model, imageSize: o.imageSize, aspectRatio: o.aspectRatio });
  const fresh = todo(plan).filter((i) => !charged.has(chargedKey(i)));
  const tier = mode === 'batch' || mode === 'flex' ? mode : 'standard';
  const prices = fresh.map((i) => cataloguePrice(i.model, i.imageSize, tier));
  const estimate = prices.includes(undefined) ? undefined : Math.round(prices.reduce((a: number, b) => a + (b ?? 0), 0) * 10000) / 10000;
  const answer = fresh.length ? session.budget.reserve(estimate) : undefined;
  if (answer && !answer.ok) throw new ToolRefusal(budgetRefusalText(answer.refusal, `filling ${fresh.length} image(s)`));

  const abort = new AbortController();
  const stop = () => abort.abort();
  session.signal.addEventListener('abort', stop);
  const { out, streams } = captured();
  let done = 0;
  let code: number;
  try {
    code = await runFill(o, {
      env: session.env,
      cwd: root,
      streams,
      signal: abort.signal,
      // One look at each job: a job still running is left for the next call.
      onEvent: (e) => {
        if (e.type === 'job' && !FINAL_STATES.has(e.state)) abort.abort();
        if (e.type === 'written' || e.type === 'failed') session.progress?.(++done, todo(plan).length, `${e.type} ${e.image.relPath}`);
      },
    });
  } catch (e) {
    if (answer?.ok) answer.reservation.release();
    throw e;
  } finally {
    session.signal.removeEventListener('abort', stop);
  }
  const report = parsed(out.stdout) as { overLimit?: unknown; written?: string[]; failed?: { path: string; error: string }[]; pending?: string[]; mode?: string };
  const failed = new Set((report.failed ?? []).map((f) => f.path));
  if (answer?.ok) {
    if (report.overLimit || report.written === undefined) answer.reservation.release();
    else {
      const paid = fresh.filter((i) => !failed.has(i.relPath));
      paid.forEach((i) => charged.add(chargedKey(i)));
      answer.reservation.settle(estimate === undefined || !fresh.length ? undefined : (estimate * paid.length) / fresh.length);
    }
  }
  const notes = out.stderr.trim();
  const lines: string[] = [];
  if (report.written?.length) lines.push(`Written: ${report.written.join(', ')}.`);
  for (const f of report.failed ?? []) lines.push(`Failed: ${f.path}: ${f.error}`);
  if (report.pending?.length) lines.push(`Batch job(s) still running: ${report.pending.join(', ')}. Call docs_fill again in a few minutes (same paths) to pick the results up; nothing is submitted twice.`);
  if (notes) lines.push(notes);
  lines.push(JSON.stringify({ ...report, budgetSpent: session.budget.spent, budget: session.budget.limit ?? null }));
  const isError = !!report.overLimit || (code !== 0 && !report.pending?.length);
  return { content: [{ type: 'text', text: lines.join('\n') }], ...(isError ? { isError: true } : {}) };
}
