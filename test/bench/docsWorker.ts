// A fresh process for one docs-images measurement: a Batch fill (peak RSS while the results file
// streams through), a Now fill (wall time at 8 in parallel), or the link finder and the
// diagnostics' analysis on a 5,000-line document (time per update).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { documentImages } from '../../src/docs/documentImages';
import { fillBatch } from '../../src/docs/fillBatch';
import { fillNow, summaryCollector, type FillContext } from '../../src/docs/fillNow';
import { JobStore } from '../../src/docs/jobStore';
import { planFill, todo } from '../../src/docs/plan';
import { collectImages } from '../../src/docs/targets';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { openDocument } from './docsOpen';
import { trackPeak } from './memory';

export type DocsTask =
  | { kind: 'batchFill'; url: string; key: string; count: number }
  | { kind: 'nowFill'; url: string; key: string; count: number; parallel: number }
  | { kind: 'linkFinder'; lines: number; images: number; updates: number }
  | { kind: 'openDocument'; images: number; imageBytes: number };

export interface DocsResult {
  ms: number;
  written?: number;
  failed?: number;
  peakGrowthBytes?: number;
  /** linkFinder: the median and the worst update. */
  medianMs?: number;
  worstMs?: number;
  /** openDocument: the images analysed, and how many came out current. */
  images?: number;
  current?: number;
}

const MODEL = 'gemini-3.1-flash-image';

function docsTree(root: string, count: number): string {
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  const lines = Array.from({ length: count }, (_, i) => `Figure ${i}: ![bench image ${i}, a quiet harbour](images/figure-${i}.png)\n`);
  writeFileSync(path.join(root, 'docs', 'index.md'), lines.join('\n'));
  return path.join(root, 'docs', 'index.md');
}

async function fill(task: Extract<DocsTask, { kind: 'batchFill' | 'nowFill' }>, root: string): Promise<DocsResult> {
  // A fill first: loading undici and compiling the code are not what is measured. For the Batch
  // row it is 50 images, enough for the optimizing compiler to have done the hot loops: its work
  // sits in per-thread malloc arenas and showed as up to 8 MB of "growth" after a 2-image warm-up
  // (none with --no-opt), a one-time cost that is not the results file's bytes.
  await fillOnce({ ...task, count: task.kind === 'batchFill' ? Math.min(50, task.count) : 2 }, path.join(root, 'warm-up'));
  return fillOnce(task, path.join(root, 'measured'));
}

async function fillOnce(task: Extract<DocsTask, { kind: 'batchFill' | 'nowFill' }>, root: string): Promise<DocsResult> {
  const doc = docsTree(root, task.count);
  const images = collectImages([{ path: doc, text: readFileSync(doc, 'utf8') }], root);
  const plan = await planFill(images, root, { model: MODEL });
  const client = new GeminiClient({ endpoint: { baseUrl: task.url, apiKey: task.key, authStyle: 'x-goog-api-key' }, timeoutMs: 120_000 });
  const collector = summaryCollector({ onEvent: () => undefined });
  const ctx: FillContext = { client, root, defaults: { model: MODEL }, trashRoot: path.join(root, '.trash'), onEvent: collector.onEvent };
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  const peak = trackPeak();
  const t0 = performance.now();
  if (task.kind === 'batchFill') await fillBatch(ctx, todo(plan), { store: new JobStore(path.join(root, '.jobs'), root), pollInitialMs: 50, pollMaxMs: 200 });
  else await fillNow(ctx, todo(plan), task.parallel);
  const ms = performance.now() - t0;
  return { ms, written: collector.summary.written.length, failed: collector.summary.failed.length, peakGrowthBytes: peak.peak() - baseline };
}

function linkFinder(task: Extract<DocsTask, { kind: 'linkFinder' }>, root: string): Promise<DocsResult> {
  const every = Math.max(1, Math.floor(task.lines / task.images));
  const lines: string[] = [];
  for (let i = 0; i < task.lines; i++) {
    if (i % every === 0) lines.push(`An image ![figure ${i} of the guide](images/figure-${i % 50}.png) in the text.`);
    else if (i % 97 === 0) lines.push('```', 'code ![not an image](x.png)', '```');
    else lines.push(`Prose line ${i} with \`code\` and a [link](https://example.com/${i}) to read.`);
  }
  const doc = path.join(root, 'guide.md');
  return (async () => {
    const times: number[] = [];
    for (let u = 0; u < task.updates + 5; u++) {
      lines[u % lines.length] += ' typed';
      const text = lines.join('\n');
      const t0 = performance.now();
      await documentImages(doc, text, root);
      if (u >= 5) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { ms: times.reduce((a, b) => a + b, 0), medianMs: times[Math.floor(times.length / 2)], worstMs: times[times.length - 1] };
  })();
}

process.once('message', (task: DocsTask) => {
  const root = mkdtempSync(path.join(tmpdir(), 'gis-bench-docs-'));
  const run = task.kind === 'linkFinder' ? linkFinder(task, root) : task.kind === 'openDocument' ? openDocument(root, task.images, task.imageBytes) : fill(task, root);
  run
    .then(
      (result) => ({ ok: true, result }),
      (e: unknown) => ({ ok: false, error: (e as Error)?.stack ?? String(e) }),
    )
    .then(async (message) => {
      rmSync(root, { recursive: true, force: true });
      await closeDispatchers();
      process.send?.(message, () => process.exit(0));
    });
});
