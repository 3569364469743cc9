// `npm run bench`: runs every scenario of issue 6 side by side with the seed-style baseline and
// prints one Markdown table. The stand-in server runs in its own process; every measurement that
// reads memory or the event loop runs in a fresh child process. scripts/bench.mjs builds first.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { inChild, Resources, startServer } from './children';
import type { ActivationResult, ActivationTask, ParallelResult, ReferenceResult, ServerInfo, WorkerTask } from './protocol';
import { perImageRows } from './perImage';
import { docsRows, openDocumentRow } from './docs';
import { draftLatencyRow, memoryRows } from './memoryRows';
import { kib, machine, mb, median, ms, table, times, verdict, type Row } from './report';

export interface BenchOptions {
  root: string;
  quick: boolean;
  /** Exit 1 when a target is missed (never in --quick). */
  strict: boolean;
  /** Overrides the number of timed runs per contender and size. */
  runs?: number;
  /** Overrides the per-image rows' image sizes (bytes). */
  sizes?: number[];
  /** Only the per-image rows (iterating on the client's path); written to latest-per-image.md. */
  perImageOnly?: boolean;
  /** Only the docs-images rows, or only their Batch fill row, or only the opening of a document; or only the memory rows. */
  only?: 'docs' | 'docs-batch' | 'docs-open' | 'memory';
  /** The compiled child-process entries: the bench worker, the activation harness, the stand-in server's CLI. */
  modules: { worker: string; activation: string; server: string; docsWorker: string };
  log: (line: string) => void;
}

const KEY = 'bench-key-7Qx2';
const MODEL = 'gemini-nano-banana-2.1';

interface Plan {
  timingSizes: number[];
  timingRuns: number;
  timingWarmups: number;
  memoryBytes: number;
  memoryProcesses: number;
  /** The second memory size (the seed's multiple is compared there too); 0: none. */
  smallMemoryBytes: number;
  smallMemoryProcesses: number;
  parallelBytes: number;
  parallelDelayMs: number;
  parallelCount: number;
  parallelRuns: number;
  activationProcesses: number;
}

function planFor(options: BenchOptions): Plan {
  const plan: Plan = options.quick
    ? { timingSizes: [200_000, 1_500_000], timingRuns: 3, timingWarmups: 1, memoryBytes: 1_500_000, memoryProcesses: 1, smallMemoryBytes: 0, smallMemoryProcesses: 0, parallelBytes: 200_000, parallelDelayMs: 1000, parallelCount: 8, parallelRuns: 1, activationProcesses: 3 }
    : { timingSizes: [1_500_000, 12_000_000], timingRuns: 15, timingWarmups: 10, memoryBytes: 12_000_000, memoryProcesses: 7, smallMemoryBytes: 1_500_000, smallMemoryProcesses: 15, parallelBytes: 1_500_000, parallelDelayMs: 1000, parallelCount: 8, parallelRuns: 3, activationProcesses: 11 };
  if (options.runs) plan.timingRuns = options.runs;
  if (options.sizes?.length) plan.timingSizes = options.sizes;
  return plan;
}

function sizeOf(path: string): number {
  return statSync(path).size;
}

export async function main(options: BenchOptions): Promise<number> {
  const started = performance.now();
  const { root, log } = options;
  const plan = planFor(options);
  const res = new Resources();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`\n[bench] ${signal}: cleaning up`);
    res.releaseAllSync();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => res.releaseAllSync());

  const { worker, activation: activationHarness } = options.modules;
  const rows: Row[] = [];
  const notes: string[] = [];
  /** Not timings: broken promises that fail the run even in --quick. */
  const failures: string[] = [];
  const loadAtStart = loadavg()[0];
  try {
    if (options.only === 'docs-open') {
      rows.push(await openDocumentRow(res, options.modules.docsWorker, options.quick, log, failures));
      return finish(options, rows, notes, failures, started, loadAtStart);
    }
    if (options.only && options.only !== 'memory') {
      const docs = await docsRows(res, options.modules.docsWorker, options.quick, log, options.only === 'docs-batch');
      rows.push(...docs.rows);
      failures.push(...docs.failures);
      return finish(options, rows, notes, failures, started, loadAtStart);
    }
    const { child: serverChild, url } = await startServer(res, options.modules.server, KEY);
    const server: ServerInfo = { url, key: KEY, model: MODEL };
    log(`[bench] stand-in server (pid ${serverChild.pid}) at ${url}`);
    if (options.only === 'memory') {
      const memory = await memoryRows(res, worker, server, { bytes: plan.memoryBytes, processes: plan.memoryProcesses, smallBytes: plan.smallMemoryBytes, smallProcesses: plan.smallMemoryProcesses }, log);
      rows.push(...memory.rows);
      notes.push(...memory.notes);
      return finish(options, rows, notes, failures, started, loadAtStart);
    }
    const perImage = await perImageRows(res, worker, server, { sizes: plan.timingSizes, runs: plan.timingRuns, warmups: plan.timingWarmups }, log);
    rows.push(...perImage.rows);
    notes.push(...perImage.notes);
    if (!options.perImageOnly) {
      // A private copy of the production bundle: a concurrent dev build may rewrite dist/ meanwhile.
      const extensionDir = res.tempDir('gis-bench-ext-');
      mkdirSync(join(extensionDir, 'dist'));
      for (const f of ['extension.js', 'undici.js', 'gemini-image-studio.vsix']) {
        if (!existsSync(join(root, 'dist', f))) throw new Error(`dist/${f} is missing: run without --no-build (or \`npm run package\`) first`);
        copyFileSync(join(root, 'dist', f), join(extensionDir, 'dist', f));
      }
      const bundle = join(extensionDir, 'dist', 'extension.js');
      const bundleBytes = sizeOf(bundle);
      // The production build has no source map; a development build (npm run build) does.
      const devBuild = readFileSync(bundle, 'utf8').includes('sourceMappingURL=');
      if (devBuild) notes.push('WARNING: dist/extension.js is a development build (unminified, with a source map); run the bench without --no-build to measure the production bundle.');
      const vsixBytes = sizeOf(join(extensionDir, 'dist', 'gemini-image-studio.vsix'));

      // Activation while the stand-in sits idle and no other child runs.
      log(`[bench] activation: ${plan.activationProcesses} fresh processes, and as many with the node built-ins it loads preloaded`);
      // A first run (not counted) warms the file cache and says which node built-ins activation loads.
      const first = await inChild<ActivationResult>(res, activationHarness, { kind: 'activation', bundle, extensionDir } satisfies ActivationTask);
      const preload = first.builtinsLoaded;
      const activations: ActivationResult[] = [];
      const preloaded: ActivationResult[] = [];
      for (let i = 0; i < plan.activationProcesses; i++) {
        activations.push(await inChild<ActivationResult>(res, activationHarness, { kind: 'activation', bundle, extensionDir } satisfies ActivationTask));
        preloaded.push(await inChild<ActivationResult>(res, activationHarness, { kind: 'activation', bundle, extensionDir, preload } satisfies ActivationTask));
      }
      const activationMs = (list: ActivationResult[]) => median(list.map((a) => a.requireMs + a.activateMs));
      const total = activationMs(activations);
      const activateOnly = median(activations.map((a) => a.activateMs));
      const undiciLoaded = [first, ...activations, ...preloaded].some((a) => a.undiciLoaded);
      const last = activations[activations.length - 1];
      if (last.commandsRegistered === 0) throw new Error('activate() registered no command: the stub or the bundle is broken');

      const memory = await memoryRows(res, worker, server, { bytes: plan.memoryBytes, processes: plan.memoryProcesses, smallBytes: plan.smallMemoryBytes, smallProcesses: plan.smallMemoryProcesses }, log);
      rows.push(...memory.rows);
      notes.push(...memory.notes);
      rows.push(draftLatencyRow(root));

      log(`[bench] ${plan.parallelCount} images vs 1, server delay ${plan.parallelDelayMs} ms, ${plan.parallelRuns} run(s)`);
      const parallel = await inChild<ParallelResult>(
        res,
        worker,
        { kind: 'parallel', server, bytes: plan.parallelBytes, delayMs: plan.parallelDelayMs, count: plan.parallelCount, runs: plan.parallelRuns } satisfies WorkerTask,
        ['--expose-gc'],
      );
      const one = median(parallel.one);
      const many = median(parallel.many);
      rows.push({
        scenario: `${plan.parallelCount} images for one prompt (${mb(plan.parallelBytes)} each), server delay ${plan.parallelDelayMs / 1000} s: wall time of count ${plan.parallelCount} / count 1${plan.parallelRuns > 1 ? ` (median of ${plan.parallelRuns})` : ''}`,
        ours: `${ms(many)} / ${ms(one)}`,
        ratio: times(many / one),
        target: '<= 1.3x',
        met: verdict(many / one <= 1.3),
      });

      log('[bench] second edit with the same reference image');
      const references = await inChild<ReferenceResult>(res, worker, { kind: 'references', server, root } satisfies WorkerTask);
      const referenceRow = 'Second edit with the same reference image: image bytes uploaded (baseline: inline every time)';
      if (references.status === 'measured') {
        rows.push({
          scenario: `${referenceRow}, ${mb(references.imageBytes)} reference`,
          ours: `${references.secondEditBytes} B`,
          baseline: `${references.imageBytes} B`,
          target: '0',
          met: verdict(references.secondEditBytes === 0),
        });
        notes.push(`Reference reuse: the first edit sent ${references.firstEditBytes} image bytes, the second ${references.secondEditBytes}.`);
      } else {
        rows.push({ scenario: referenceRow, ours: references.status, target: '0', met: references.status === 'pending' ? 'pending' : 'NO' });
        notes.push(`Reference reuse: ${references.note}.`);
      }

      rows.push({
        scenario: `Activation: require(dist/extension.js) + activate(), stub vscode (median of ${activations.length} fresh processes)`,
        ours: ms(total),
        target: '<= 10 ms',
        met: verdict(total <= 10),
      });
      rows.push({
        scenario: `Activation, the same with the node built-ins it loads (${preload.join(', ') || 'none'}) already loaded: the extension's own code`,
        ours: ms(activationMs(preloaded)),
        target: '(info)',
        met: 'n/a',
      });
      rows.push({ scenario: 'undici loaded during activation', ours: undiciLoaded ? 'yes' : 'no', target: 'no', met: verdict(!undiciLoaded) });
      if (undiciLoaded) failures.push('undici was loaded during activation (it must load on the first request only)');
      rows.push({ scenario: `dist/extension.js (eager bundle, ${devBuild ? 'DEVELOPMENT build' : 'minified'})`, ours: kib(bundleBytes), target: '<= 100 KB', met: verdict(bundleBytes <= 100 * 1024) });
      rows.push({ scenario: 'dist/gemini-image-studio.vsix', ours: kib(vsixBytes), target: '<= 300 KB', met: verdict(vsixBytes <= 300 * 1024) });
      const docs = await docsRows(res, options.modules.docsWorker, options.quick, log);
      rows.push(...docs.rows);
      failures.push(...docs.failures);
      notes.push(
        `Activation: activate() alone ${ms(activateOnly)}, require of the bundle ${ms(median(activations.map((a) => a.requireMs)))}; ` +
          `${last.commandsRegistered} commands and ${last.serializersRegistered} serializer registered; ` +
          `files loaded besides the bundle: ${last.loadedFiles.length ? last.loadedFiles.join(', ') : 'none'}; ` +
          `node built-ins first loaded: ${last.builtinsLoaded.length ? last.builtinsLoaded.join(', ') : 'none'}.`,
      );
    }
  } finally {
    await res.releaseAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  return finish(options, rows, notes, failures, started, loadAtStart);
}

function finish(options: BenchOptions, rows: Row[], notes: string[], failures: string[], started: number, loadAtStart: number): number {
  const { root, log } = options;
  const seconds = (performance.now() - started) / 1000;
  const busy = Math.max(loadAtStart, loadavg()[0]) > cpus().length * 0.75;
  const title = options.quick
    ? '## Benchmark (quick smoke run: small images, few runs; figures not comparable, targets not asserted)'
    : options.perImageOnly
      ? '## Benchmark (per-image rows only)'
      : '## Benchmark';
  const markdown = [
    title,
    '',
    table(rows),
    '',
    `Machine: ${machine()}; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end${busy ? ' (BUSY: other processes competed for the CPU, so stalls and times are noisier than on an idle machine)' : ''}. Stand-in server on 127.0.0.1 in its own process; each client measured in a fresh child process. ` +
      `Baseline = the seed's Node example (global fetch, response.json(), Buffer.from(base64), writeFileSync). ` +
      `MB = 10^6 bytes, KB = 1024 bytes. Run took ${seconds.toFixed(1)} s on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  log(`\n${markdown}`);
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, options.only ? `latest-${options.only}.md` : options.quick ? 'latest-quick.md' : options.perImageOnly ? 'latest-per-image.md' : 'latest.md');
  writeFileSync(outFile, markdown);
  log(`[bench] written to ${outFile}`);
  const missed = rows.filter((r) => r.met === 'NO');
  if (missed.length) log(`[bench] missed: ${missed.map((r) => r.scenario).join('; ')}`);
  if (failures.length) {
    log(`[bench] FAILED: ${failures.join('; ')}`);
    return 1;
  }
  return options.strict && !options.quick && missed.length ? 1 : 0;
}
