// The docs commands: Generate Image Here / Regenerate (one link), Generate Missing Images... (a
// file, a folder or the workspace, after showing the plan), Show Batch Jobs.
import * as vscode from 'vscode';
import type { Command } from '../commands/command';
import { apiKeyOrAsk } from '../commands/editorPorts';
import { readSettings } from '../config';
import { withCachedModels, withChosenModels } from '../commands/modelChoice';
import type { PlannedImage } from '../docs/plan';
import type { Services } from '../services';
import { BatchJobs, PENDING_FLAG } from './batchJobs';
import { rangeOf, type DocImageDiagnostics } from './docDiagnostics';
import { fillNowWithProgress, planFor, todo } from './docsFill';
import { takesFlex } from '../docs/prices';
import type { FillPlan } from '../docs/plan';
import { trustedOrExplain } from './trust';

/** From this many images on (below Batch's threshold), Flex is offered first. */
const FLEX_FROM = 5;

/** From this many images on, Batch is offered first (when the endpoint has it). */
export const AUTO_BATCH_THRESHOLD = 20;

export interface DocsEditor {
  diagnostics: DocImageDiagnostics;
  batches: BatchJobs;
}

function rootOf(uri: vscode.Uri | undefined): string | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

/** What every docs command has: the services, and the docs editor, started on first use. */
abstract class DocsCommand implements Command {
  abstract readonly id: Command['id'];
  constructor(
    protected readonly services: Services,
    private readonly startDocs: () => DocsEditor,
  ) {}

  protected get docs(): DocsEditor {
    return this.startDocs();
  }

  abstract execute(...args: unknown[]): Promise<unknown>;
}

export class GenerateDocImageCommand extends DocsCommand {
  readonly id = 'geminiImage.generateDocImage';

  async execute(uri?: vscode.Uri, relPath?: string, at?: vscode.Position): Promise<void> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document) return;
    const analysis = this.docs.diagnostics.analysis(document) ?? (await this.docs.diagnostics.refresh(document));
    const cursor = at ?? (vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection.active : undefined);
    const item = analysis?.items.find((i) => (relPath ? i.image.relPath === relPath : !!cursor && rangeOf(document, i).contains(cursor)));
    if (!analysis || !item || (item.state !== 'missing' && item.state !== 'stale')) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no missing or stale image link here.'));
      return;
    }
    const apiKey = await apiKeyOrAsk(this.services);
    if (!apiKey) return;
    const settings = await withChosenModels(this.services, readSettings(document.uri), apiKey);
    const planned: PlannedImage = { ...item.image, state: item.state, model: item.image.spec.options.model ?? settings.model, imageSize: item.image.spec.options.imageSize ?? settings.imageSize };
    await fillNowWithProgress(this.services, apiKey, analysis.root, [planned], document.uri);
    await this.docs.diagnostics.refresh(document);
  }
}

export interface FillRequest {
  /** Skip the question (tests, keybindings): 'now' or 'batch'. */
  mode?: 'now' | 'batch';
}

export class GenerateMissingImagesCommand extends DocsCommand {
  readonly id = 'geminiImage.generateMissingImages';

  async execute(folder?: vscode.Uri, request: FillRequest = {}): Promise<void> {
    if (!trustedOrExplain(vscode.l10n.t('Generate Missing Images needs a trusted workspace: in an untrusted one, its documents would decide what is generated, paid for and written.'))) return;
    const active = vscode.window.activeTextEditor?.document;
    const root = rootOf(folder ?? active?.uri);
    if (!root) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder to generate its images.'));
      return;
    }
    let files: vscode.Uri[];
    if (folder instanceof vscode.Uri) files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{md,markdown}'), '**/node_modules/**');
    else {
      const file = vscode.l10n.t('Current File');
      const workspace = vscode.l10n.t('Workspace');
      const scope = active?.languageId === 'markdown' ? await vscode.window.showQuickPick([file, workspace], { title: vscode.l10n.t('Generate Missing Images') }) : workspace;
      if (!scope) return;
      files = scope === file && active ? [active.uri] : await vscode.workspace.findFiles('**/*.{md,markdown}', '**/node_modules/**');
    }
    const read = readSettings(vscode.Uri.file(root));
    let settings = withCachedModels(this.services.globalState, read);
    let plan = await planFor(files, root, settings);
    let images = todo(plan);
    if (images.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No missing or stale images.'));
      return;
    }
    const mode = request.mode ?? (await this.askMode(plan.missing.length, plan.stale.length, images, plan));
    if (!mode) return;
    const apiKey = await apiKeyOrAsk(this.services);
    if (!apiKey) return;
    // With nothing cached yet, the endpoint's list decides the automatic model, as for any other command.
    const chosen = await withChosenModels(this.services, read, apiKey);
    if (chosen.model !== settings.model) {
      settings = chosen;
      plan = await planFor(files, root, settings);
      images = todo(plan);
    }
    if (mode === 'now' || mode === 'flex') await fillNowWithProgress(this.services, apiKey, root, images, vscode.Uri.file(root), mode === 'flex' ? 'flex' : undefined);
    else void this.docs.batches.run(apiKey, root, images);
    this.docs.diagnostics.refreshAll();
  }

  private async askMode(missing: number, stale: number, images: PlannedImage[], plan: Pick<FillPlan, 'costNow' | 'costFlex' | 'costBatch'>): Promise<'now' | 'flex' | 'batch' | undefined> {
    const money = (n?: number) => (n === undefined ? '?' : `$${n.toFixed(2)}`);
    const now = vscode.l10n.t('Now');
    const flex = vscode.l10n.t('Flex (half price, minutes per image)');
    const batch = vscode.l10n.t('Batch (half price, minutes to hours)');
    const models = [...new Set(images.map((i) => `${i.model}${i.imageSize ? ` ${i.imageSize}` : ''}`))].join(', ');
    const files = images.slice(0, 12).map((i) => `• ${i.relPath}`).join('\n') + (images.length > 12 ? `\n…` : '');
    // Flex sits between Now and Batch; it is offered only when a model of the plan takes it.
    const withFlex = images.some((i) => takesFlex(i.model));
    const middle = withFlex ? [flex] : [];
    const buttons = images.length >= AUTO_BATCH_THRESHOLD ? [batch, ...middle, now] : images.length >= FLEX_FROM ? [...middle, now, batch] : [now, ...middle, batch];
    const text = withFlex
      ? vscode.l10n.t('{0} missing and {1} stale images with {2}. Estimated cost: {3} now, {4} with Flex, {5} in a batch.', missing, stale, models, money(plan.costNow), money(plan.costFlex), money(plan.costBatch))
      : vscode.l10n.t('{0} missing and {1} stale images with {2}. Estimated cost: {3} now, {4} in a batch.', missing, stale, models, money(plan.costNow), money(plan.costBatch));
    const picked = await vscode.window.showInformationMessage(text, { modal: true, detail: files }, ...buttons);
    return picked === now ? 'now' : picked === flex ? 'flex' : picked === batch ? 'batch' : undefined;
  }
}

export class ShowBatchJobsCommand extends DocsCommand {
  readonly id = 'geminiImage.showBatchJobs';

  async execute(): Promise<void> {
    if (!trustedOrExplain(vscode.l10n.t('Batch jobs need a trusted workspace.'))) return;
    const root = rootOf(vscode.window.activeTextEditor?.document.uri);
    if (!root) return;
    await this.docs.batches.show(await this.services.keys.get(), root);
  }
}

/** On activation, when jobs were left pending: follow them again (no new submission, no prompt). */
export async function resumeBatches(services: Services, docs: DocsEditor): Promise<void> {
  if (!services.workspaceState.get<boolean>(PENDING_FLAG) || !vscode.workspace.isTrusted) return;
  const apiKey = await services.keys.get();
  if (!apiKey) return;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = folder.uri.fsPath;
    if ((await docs.batches.store(root).load()).length === 0) continue;
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{md,markdown}'), '**/node_modules/**');
    const plan = await planFor(files, root, withCachedModels(services.globalState, readSettings(folder.uri)));
    void docs.batches.run(apiKey, root, todo(plan), true);
  }
}
