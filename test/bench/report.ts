// The bench's numbers as a Markdown table (scenario | ours | baseline | ratio | target | met?),
// with the machine it ran on, ready to paste into the README.
import { cpus, release, totalmem, type as osType } from 'node:os';

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const ms = (v: number): string => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '-');
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const times = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-');

export type Verdict = 'yes' | 'NO' | 'pending' | 'n/a';

export interface Row {
  scenario: string;
  ours: string;
  baseline?: string;
  ratio?: string;
  target: string;
  met: Verdict;
}

export const verdict = (ok: boolean): Verdict => (ok ? 'yes' : 'NO');

export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model?.trim() ?? 'unknown CPU';
  return `${model}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${osType()} ${release()} (${process.platform}/${process.arch})`;
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|');
}

export function table(rows: Row[]): string {
  const head = '| scenario | ours | baseline | ratio | target | met? |\n| --- | --- | --- | --- | --- | --- |';
  return [head, ...rows.map((r) => `| ${cell(r.scenario)} | ${cell(r.ours)} | ${cell(r.baseline ?? '-')} | ${cell(r.ratio ?? '-')} | ${cell(r.target)} | ${r.met} |`)].join('\n');
}
