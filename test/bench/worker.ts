// A bench child process (forked by run.ts with --expose-gc): takes one task over IPC, runs it
// against the stand-in server (another process), answers with the figures, and exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeDispatchers } from '../../src/gemini/http';
import { baseline, floor, imageRequest, ours, oursStudio, type Written } from './contenders';
import { enqueueSmallImage, prebuildReply, serverCpuMs, setDefaultImage } from './control';
import { trackPeak } from './memory';
import type { ChildMessage, MemoryResult, MemoryTask, ParallelResult, ParallelTask, TimingResult, TimingSeries, TimingTask, WorkerResult, WorkerTask } from './protocol';
import { measureReferenceReuse } from './referenceReuse';

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
};

function removeAll(written: Written[]): void {
  for (const w of written) rmSync(w.path, { force: true });
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function timing(task: TimingTask, dir: string): Promise<TimingResult> {
  const { server } = task;
  const studio = oursStudio(server);
  const series: TimingSeries[] = [];
  for (const size of task.sizes) {
    await setDefaultImage(server.url, size);
    const s: TimingSeries = { targetBytes: size, imageBytes: 0, ours: [], baseline: [], stream: [], floor: [], serverCpuMsPerReply: NaN, cold: { ours: NaN, baseline: NaN, stream: NaN } };
    const contenders: Record<'ours' | 'baseline' | 'stream' | 'floor', (i: number) => Promise<Written[]>> = {
      ours: (i) => ours(studio, dir, `ours-${i}`),
      stream: (i) => ours(studio, dir, `stream-${i}`, 1, true),
      baseline: (i) => baseline(server, dir, `baseline-${i}`),
      floor: async () => (await floor(server), []),
    };
    // The stand-in builds this size's reply once, now, so no contender's request pays for it.
    await prebuildReply(server.url, server.key, server.model, imageRequest(server.model));
    let cpuBefore = 0;
    for (let i = 0; i < task.warmups + task.runs; i++) {
      if (i === task.warmups) cpuBefore = await serverCpuMs(server.url);
      // Rotate the order so no contender always follows the one that left the most garbage.
      const order = (['ours', 'stream', 'baseline', 'floor'] as const).map((_, k, all) => all[(i + k) % all.length]);
      for (const name of order) {
        gc();
        const { ms, value } = await timed(() => contenders[name](i));
        if (name !== 'floor') {
          if (value.length !== 1) throw new Error(`${name}: ${value.length} images written, expected 1`);
          s.imageBytes = value[0].bytes;
        }
        removeAll(value);
        if (i >= task.warmups) s[name].push(ms);
        else if (i === 0 && name !== 'floor') s.cold[name] = ms;
      }
    }
    s.serverCpuMsPerReply = ((await serverCpuMs(server.url)) - cpuBefore) / (4 * task.runs);
    series.push(s);
  }
  return { kind: 'timing', series };
}

/**
 * The longest gap between 1 ms timer ticks, and the CPU time the process (all its threads) used
 * during it: a gap with much less CPU than wall time was the OS running someone else, not our code.
 */
function gapWatcher(): { stop(): { wallMs: number; cpuMs: number } } {
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let lastWall = performance.now();
  let lastCpu = cpuMs();
  let worst = { wallMs: 0, cpuMs: 0 };
  const tick = (): void => {
    const wall = performance.now();
    const cpu = cpuMs();
    if (wall - lastWall > worst.wallMs) worst = { wallMs: wall - lastWall, cpuMs: cpu - lastCpu };
    lastWall = wall;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, 1);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return worst;
    },
  };
}

async function memory(task: MemoryTask, dir: string): Promise<MemoryResult> {
  const { server, contender } = task;
  const studio = contender === 'baseline' ? undefined : oursStudio(server);
  const run = (name: string): Promise<Written[]> => (studio ? ours(studio, dir, name, 1, contender === 'stream') : baseline(server, dir, name));
  // Warm-up with a small image: loads the HTTP stack and the parser, opens the connection.
  await enqueueSmallImage(server.url);
  removeAll(await run('warmup'));
  await setDefaultImage(server.url, task.bytes);
  gc();
  await sleep(50);
  gc();

  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const before = process.memoryUsage.rss();
  const peak = trackPeak();
  histogram.enable();
  const gaps = gapWatcher();
  const { ms, value } = await timed(() => run('measured'));
  // A stall is recorded when the timer after it fires: keep watching a little past the end, or the
  // last synchronous stretch (the baseline's parse, decode and write) would go unseen.
  await sleep(20);
  histogram.disable();
  const worstGap = gaps.stop();
  const peakBytes = peak.peak();
  removeAll(value);
  if (value.length !== 1) throw new Error(`${contender}: ${value.length} images written, expected 1`);
  return {
    kind: 'memory',
    contender,
    imageBytes: value[0].bytes,
    durationMs: ms,
    maxStallMs: histogram.max / 1e6,
    worstGap,
    rssGrowthBytes: Math.max(0, peakBytes - before),
    peakSource: peak.source,
  };
}

async function parallel(task: ParallelTask, dir: string): Promise<ParallelResult> {
  const { server } = task;
  const studio = oursStudio(server);
  await enqueueSmallImage(server.url);
  removeAll(await ours(studio, dir, 'warmup'));
  await setDefaultImage(server.url, task.bytes, task.delayMs);
  const result: ParallelResult = { kind: 'parallel', one: [], many: [], imagesWritten: 0 };
  for (let i = 0; i < task.runs; i++) {
    const order = i % 2 === 0 ? [1, task.count] : [task.count, 1];
    for (const count of order) {
      gc();
      const { ms, value } = await timed(() => ours(studio, dir, `parallel-${i}-${count}`, count));
      removeAll(value);
      if (value.length !== count) throw new Error(`count ${count}: ${value.length} images written`);
      if (count === 1) result.one.push(ms);
      else {
        result.many.push(ms);
        result.imagesWritten = value.length;
      }
    }
  }
  return result;
}

async function runTask(task: WorkerTask): Promise<WorkerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gis-bench-worker-'));
  try {
    switch (task.kind) {
      case 'timing':
        return await timing(task, dir);
      case 'memory':
        return await memory(task, dir);
      case 'parallel':
        return await parallel(task, dir);
      case 'references':
        return await measureReferenceReuse(task, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await closeDispatchers();
  }
}

function reply(message: ChildMessage<WorkerResult>): void {
  // Exit once the answer is out: idle keep-alive sockets (fetch's) would hold the process a while.
  process.send?.(message, () => process.exit(0));
}

process.once('message', (task: WorkerTask) => {
  runTask(task).then(
    (result) => reply({ ok: true, result }),
    (e: unknown) => reply({ ok: false, error: (e as Error)?.stack ?? String(e) }),
  );
});
