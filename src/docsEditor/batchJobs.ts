// Batch jobs from the editor: submitted and then polled in the background with backoff, a status
// bar item while any is pending, and picked up again on the next activation (a workspace-state
// flag is the only thing read at startup). Only in a trusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { Disposable } from '../disposable';
import { fillBatch } from '../docs/fillBatch';
import { summaryCollector } from '../docs/fillNow';
import { JobStore, JobStoreLocked, workspaceCacheDir, type StoredJob } from '../docs/jobStore';
import { reportError } from '../commands/reportError';
import type { PlannedImage } from '../docs/plan';
import { cancelBatch } from '../gemini/batch';
import { clientFor } from '../commands/editorPorts';
import type { Services } from '../services';
import { fillContext, fillNowWithProgress } from './docsFill';
import { ReplacedImages } from './replacedImages';
import { trustedOrExplain } from './trust';

export { BATCHES_PENDING_FLAG as PENDING_FLAG } from './flags';
import { BATCHES_PENDING_FLAG as PENDING_FLAG } from './flags';

export class BatchJobs extends Disposable {
  private readonly status = this._register(vscode.window.createStatusBarItem('geminiImage.batchJobs', vscode.StatusBarAlignment.Left, 50));
  private readonly states = new Map<string, { state: string; done: number; total: number }>();
  private running = 0;

  constructor(
    private readonly services: Services,
    private readonly storageDir: string,
    private readonly onWritten: () => void,
  ) {
    super();
    this.status.command = 'geminiImage.showBatchJobs';
    this.status.name = vscode.l10n.t('Gemini Image batch jobs');
  }

  store(root: string): JobStore {
    return new JobStore(workspaceCacheDir(root, this.storageDir), root);
  }

  /** Submits (or attaches to pending jobs for) these images and follows them to the end. */
  async run(apiKey: string, root: string, images: PlannedImage[], attachOnly = false): Promise<void> {
    if (!trustedOrExplain(vscode.l10n.t('Batch jobs need a trusted workspace.'))) return;
    const settings = readSettings(vscode.Uri.file(root));
    const client = clientFor(this.services, settings, apiKey);
    const store = this.store(root);
    let unlock: () => Promise<void>;
    try {
      unlock = await store.lock();
    } catch (e) {
      // Another window (or the CLI) follows these jobs already.
      if (e instanceof JobStoreLocked) {
        if (!attachOnly) void vscode.window.showInformationMessage(vscode.l10n.t('Another window is following the batch jobs of this workspace; try again when they are done.'));
        return;
      }
      throw e;
    }
    const abort = new AbortController();
    this._register({ dispose: () => abort.abort() });
    const collector = summaryCollector({
      onEvent: (e) => {
        if (e.type === 'job') this.states.set(e.name, { state: e.state, done: e.done, total: e.total });
        if (e.type === 'written') this.onWritten();
        if (e.type === 'notice' && e.code === 'noBatchRoute') void vscode.window.showInformationMessage(vscode.l10n.t('This endpoint has no Batch API: the images are made now instead.'));
        this.update();
      },
    });
    this.running++;
    await this.services.workspaceState.update(PENDING_FLAG, true);
    this.update();
    try {
      const replaced = new ReplacedImages(this.services);
      const outcome = await fillBatch(fillContext(this.services, client, root, settings, abort.signal, collector.onEvent, replaced), images, { store, attachOnly });
      await replaced.settle();
      if (outcome.fallback.length) await fillNowWithProgress(this.services, apiKey, root, outcome.fallback);
      const { written, failed } = collector.summary;
      if (written.length || failed.length) {
        const text = vscode.l10n.t('Batch finished: {0} images written, {1} failed.', written.length, failed.length);
        if (failed.length) {
          for (const f of failed) this.services.log.error(`${f.image.relPath}: ${f.error.message}`);
          void vscode.window.showWarningMessage(text);
        } else void vscode.window.showInformationMessage(text);
      }
    } catch (e) {
      await reportError(e, { settings, log: this.services.log });
    } finally {
      await unlock();
      this.running--;
      await store.load();
      if (store.jobs.length === 0 && this.running === 0) await this.services.workspaceState.update(PENDING_FLAG, false);
      this.update();
    }
  }

  private update(): void {
    const pending = [...this.states.values()].filter((s) => !/SUCCEEDED|FAILED|CANCELLED|EXPIRED/.test(s.state)).length;
    const count = Math.max(pending, this.running);
    if (count === 0) return this.status.hide();
    this.status.text = `$(cloud-upload) ${vscode.l10n.t('{0} batch job(s)', count)}`;
    this.status.show();
  }

  /** Lists the jobs of the workspace with state and counts; picking one offers Cancel. */
  async show(apiKey: string | undefined, root: string): Promise<void> {
    const store = this.store(root);
    const jobs = await store.load();
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No pending batch jobs.'));
      return;
    }
    const items = jobs.map((job) => ({ job, label: job.name ?? job.displayName, description: this.describe(job) }));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Batch jobs') });
    if (!picked?.job.name || !apiKey) return;
    const cancel = vscode.l10n.t('Cancel Job');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('Cancel {0}? Its images are not made.', picked.job.name), { modal: true }, cancel)) !== cancel) return;
    await cancelBatch(clientFor(this.services, readSettings(vscode.Uri.file(root)), apiKey), picked.job.name);
  }

  private describe(job: StoredJob): string {
    return describeJob(job, job.name ? this.states.get(job.name) : undefined);
  }
}

/** A job's line in Show Batch Jobs: its state in words, its count, its first image. */
export function describeJob(job: StoredJob, polled: { state: string; done: number; total: number } | undefined): string {
  const count = polled ? `${polled.done} / ${polled.total}` : `${job.settled.length} / ${job.entries.length}`;
  return vscode.l10n.t('{0} · {1} · {2}', batchStateText(polled?.state ?? job.phase), count, path.basename(job.entries[0]?.relPath ?? ''));
}

/** Google's batch states (BATCH_STATE_*) and our own phases before the job exists. */
export function batchStateText(state: string): string {
  switch (state.replace(/^(BATCH_STATE_|JOB_STATE_)/, '')) {
    case 'uploading':
      return vscode.l10n.t('uploading');
    case 'creating':
      return vscode.l10n.t('being created');
    case 'created':
    case 'PENDING':
      return vscode.l10n.t('waiting');
    case 'RUNNING':
      return vscode.l10n.t('running');
    case 'SUCCEEDED':
      return vscode.l10n.t('done');
    case 'FAILED':
      return vscode.l10n.t('failed');
    case 'CANCELLED':
      return vscode.l10n.t('cancelled');
    case 'EXPIRED':
      return vscode.l10n.t('expired');
    default:
      return vscode.l10n.t('unknown ({0})', state);
  }
}
