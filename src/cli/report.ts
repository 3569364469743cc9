// What the CLI prints: a progress line on a terminal, one line per image otherwise, or one JSON
// document (--json). Everything goes through redact(): no key in any output.
import { redact } from '../gemini/request';
import { isGeminiError, isKeyTypeUnsupported, KEY_TYPE_WORDS } from '../gemini/errors';
import type { FillEvent } from '../docs/fillNow';
import type { FillPlan, PlannedImage } from '../docs/plan';
import { DestinationError } from '../core/destination';

export interface Streams {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

export class Reporter {
  private total = 0;
  private written = 0;
  private failed = 0;
  private progressShown = false;
  readonly tty: boolean;

  constructor(
    private readonly streams: Streams,
    readonly json: boolean,
    private readonly apiKey?: string,
  ) {
    this.tty = !json && !!streams.stderr.isTTY && !!streams.stdout.isTTY;
  }

  private clean(text: string): string {
    return redact(text, this.apiKey);
  }

  /** A result line (stdout), unless --json. */
  line(text: string): void {
    if (this.json) return;
    this.clearProgress();
    this.streams.stdout.write(`${this.clean(text)}\n`);
  }

  /** A remark for the person running it (stderr), even with --json. */
  note(text: string): void {
    this.clearProgress();
    this.streams.stderr.write(`${this.clean(text)}\n`);
  }

  /** The one JSON document of a --json run. */
  document(value: unknown): void {
    if (this.json) this.streams.stdout.write(`${this.clean(JSON.stringify(value, null, 2))}\n`);
  }

  start(total: number): void {
    this.total = total;
    this.showProgress();
  }

  event(e: FillEvent): void {
    if (e.type === 'written') {
      this.written++;
      const how = e.placement === 'replaced' ? `replaced ${e.image.relPath} (old one kept in ${e.backupPath})` : e.placement === 'alreadyThere' ? `written ${e.image.relPath} (by an earlier run)` : `written ${e.image.relPath}`;
      if (!this.tty) this.line(how);
      else if (e.placement === 'replaced') this.line(how);
    } else if (e.type === 'failed') {
      this.failed++;
      this.line(`failed  ${e.image.relPath}: ${errorText(e.error)}`);
    } else if (e.type === 'job') {
      if (!this.tty) this.note(`job ${e.name}: ${e.state.replace('BATCH_STATE_', '').toLowerCase()} (${e.done} / ${e.total})`);
      this.jobState = `${e.name} ${e.state.replace('BATCH_STATE_', '').toLowerCase()}`;
    } else {
      this.note(e.message);
    }
    this.showProgress();
  }

  private jobState = '';

  private showProgress(): void {
    if (!this.tty || this.total === 0) return;
    const text = `${this.written + this.failed} / ${this.total}${this.failed ? ` (${this.failed} failed)` : ''}${this.jobState ? `  ${this.jobState}` : ''}`;
    this.streams.stderr.write(`\r\x1b[2K${this.clean(text)}`);
    this.progressShown = true;
  }

  private clearProgress(): void {
    if (this.progressShown) this.streams.stderr.write('\r\x1b[2K');
    this.progressShown = false;
  }

  done(): void {
    if (this.progressShown) this.streams.stderr.write('\n');
    this.progressShown = false;
  }
}

export function errorText(e: unknown): string {
  if (isKeyTypeUnsupported(e)) return `${KEY_TYPE_WORDS} (HTTP 401 ACCESS_TOKEN_TYPE_UNSUPPORTED)`;
  if (isGeminiError(e) && e.kind === 'noImage') return `${e.message}. The endpoint answered HTTP 200 without an image; a relay may still have billed this request.`;
  if (isGeminiError(e)) return `${e.message}${e.details.status ? ` (HTTP ${e.details.status})` : ''}`;
  if (e instanceof DestinationError && e.reason === 'outsideWorkspace') return `the folder leads outside the workspace (${e.detail}); nothing was written there`;
  return e instanceof Error ? e.message : String(e);
}

function money(n: number | undefined): string {
  return n === undefined ? 'unknown' : `$${n.toFixed(2)}`;
}

/** The plan as lines a person reads before saying yes. */
export function planLines(plan: FillPlan, mode: string): string[] {
  const list = (images: PlannedImage[]) => images.map((i) => `  ${i.relPath}  (${i.model}${i.imageSize ? `, ${i.imageSize}` : ''}) "${short(i.spec.prompt)}"`);
  const lines = [`${plan.missing.length} missing, ${plan.stale.length} stale image(s); ${plan.current} up to date${plan.notOurs ? `, ${plan.notOurs} not made by us (left alone)` : ''}.`];
  if (plan.missing.length) lines.push('Missing:', ...list(plan.missing));
  if (plan.stale.length) lines.push('Stale (the prompt or options changed):', ...list(plan.stale));
  for (const c of plan.conflicts) lines.push(`Note: ${c.relPath} is linked with different prompts; the first link (${c.sites[0].document}:${c.sites[0].line + 1}) wins.`);
  for (const p of plan.problems) lines.push(`Note: ${p.document}:${p.line + 1}: ${p.message}`);
  if (plan.missing.length + plan.stale.length) lines.push(`Estimated cost: ${money(plan.costNow)} now, ${money(plan.costFlex)} with Flex, ${money(plan.costBatch)} in a batch. Mode: ${mode}.`);
  return lines;
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function planJson(plan: FillPlan): unknown {
  const item = (i: PlannedImage) => ({ path: i.relPath, prompt: i.spec.prompt, model: i.model, imageSize: i.imageSize, links: i.sites.map((s) => `${s.document}:${s.line + 1}`) });
  return {
    missing: plan.missing.map(item),
    stale: plan.stale.map(item),
    current: plan.current,
    notOurs: plan.notOurs,
    problems: plan.problems,
    costNow: plan.costNow,
    costBatch: plan.costBatch,
  };
}

/** What the written images cost, saying which figures came from the replies' usage and which are estimates. */
export function costLine(c: { fromUsage: number; usageImages: number; estimated: number; estimatedImages: number }): string | undefined {
  const parts: string[] = [];
  if (c.usageImages) parts.push(`${dollars(c.fromUsage)} from usage (${c.usageImages} image(s))`);
  if (c.estimatedImages) parts.push(`${dollars(c.estimated)} estimated (${c.estimatedImages} image(s))`);
  return parts.length ? `Cost: ${parts.join(', ')}.` : undefined;
}

function dollars(n: number): string {
  return n < 0.1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}
