// The per-image rows: request to file on disk, ours / baseline / floor side by side in one fresh
// process, for each image size.
import { inChild, type Resources } from './children';
import type { ServerInfo, TimingResult, WorkerTask } from './protocol';
import { mb, median, ms, times, verdict, type Row } from './report';

export interface PerImagePlan {
  sizes: number[];
  runs: number;
  warmups: number;
}

export async function perImageRows(res: Resources, worker: string, server: ServerInfo, plan: PerImagePlan, log: (line: string) => void): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  log(`[bench] per-image time: ${plan.sizes.map(mb).join(', ')}, ${plan.runs} runs each (+${plan.warmups} warm-up)`);
  const timing = await inChild<TimingResult>(res, worker, { kind: 'timing', server, sizes: plan.sizes, runs: plan.runs, warmups: plan.warmups } satisfies WorkerTask, ['--expose-gc']);
  for (const s of timing.series) {
    const o = median(s.ours);
    const b = median(s.baseline);
    const f = median(s.floor);
    rows.push({
      scenario: `Per image, request to file on disk, ${mb(s.imageBytes)} image, delay 0 (median of ${s.ours.length})`,
      ours: ms(o),
      baseline: ms(b),
      ratio: times(o / b),
      target: '<= 1.0x',
      met: verdict(o / b <= 1.0),
    });
    const st = median(s.stream);
    rows.push({
      scenario: `The final image through the stream path (streamGenerateContent?alt=sse) vs generateContent, ${mb(s.imageBytes)} image, delay 0 (median of ${s.stream.length})`,
      ours: `${ms(st)} / ${ms(o)}`,
      ratio: times(st / o),
      target: '<= 1.05x',
      met: verdict(st / o <= 1.05),
    });
    if (s.imageBytes < 2_000_000) {
      rows.push({
        scenario: `The stand-in's share of a ${mb(s.imageBytes)} reply: its CPU time per reply (reply built once in advance); floor = server + transfer, read and dropped`,
        ours: `${ms(s.serverCpuMsPerReply)}; floor ${ms(f)}`,
        target: '<= 2 ms',
        met: verdict(s.serverCpuMsPerReply <= 2),
      });
    }
    notes.push(
      `${mb(s.imageBytes)}: the stand-in spends ${ms(s.serverCpuMsPerReply)} of CPU per reply; the server making and sending the reply, read and dropped by undici, takes ${ms(f)} of that ` +
        `(client's own share beyond that: ours ${ms(Math.max(0, o - f))}, baseline ${ms(Math.max(0, b - f))}); ` +
        `ours ${ms(Math.min(...s.ours))}-${ms(Math.max(...s.ours))}, stream ${ms(Math.min(...s.stream))}-${ms(Math.max(...s.stream))}, baseline ${ms(Math.min(...s.baseline))}-${ms(Math.max(...s.baseline))}; ` +
        `the first warm-up at this size (for the first size, the process's cold first request): ours ${ms(s.cold.ours)}, baseline ${ms(s.cold.baseline)}.`,
    );
  }
  return { rows, notes };
}
