// Filling docs images from the editor: the plan of a file, a folder or the workspace; Now with a
// cancellable "12 / 40" notification and a summary with Retry; the old file of a stale image sent
// to the trash once its replacement is in place (replacedImages.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, type Settings } from '../config';
import { fillNow, summaryCollector, type FillContext, type FillEvent } from '../docs/fillNow';
import { planFill, todo, type FillPlan, type PlannedImage } from '../docs/plan';
import { planPrices } from '../docs/prices';
import { collectImages } from '../docs/targets';
import type { GeminiClient } from '../gemini/client';
import { clientFor } from '../commands/editorPorts';
import { reportError } from '../commands/reportError';
import type { Services } from '../services';
import { ReplacedImages } from './replacedImages';

export function defaultsOf(settings: Settings) {
  return { model: settings.model, imageSize: settings.imageSize, aspectRatio: settings.aspectRatio };
}

/** The plan for these markdown files (open documents read from the editor, the rest from disk). */
export async function planFor(files: vscode.Uri[], root: string, settings: Settings): Promise<FillPlan> {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const docs = await Promise.all(files.map(async (f) => ({ path: f.fsPath, text: open.get(f.toString())?.getText() ?? (await fs.readFile(f.fsPath, 'utf8')) })));
  return planFill(collectImages(docs, root), root, defaultsOf(settings), planPrices(settings.priceOverrides));
}

export function trashRoot(services: Services): string {
  return path.join(path.dirname(services.draftsDir), 'replaced');
}

export function fillContext(services: Services, client: GeminiClient, root: string, settings: Settings, signal: AbortSignal, onEvent: (e: FillEvent) => void, replaced: ReplacedImages, tier?: 'flex'): FillContext {
  return {
    client,
    tier,
    root,
    defaults: defaultsOf(settings),
    trashRoot: trashRoot(services),
    signal,
    onEvent: (e) => {
      onEvent(e);
      replaced.onEvent(e);
    },
  };
}

/** Now mode with a cancellable notification; a summary names the failures and offers Retry. */
export async function fillNowWithProgress(services: Services, apiKey: string, root: string, images: PlannedImage[], scope?: vscode.Uri, tier?: 'flex'): Promise<void> {
  const settings = readSettings(scope);
  // Flex answers in minutes and may be shed (429/503): a longer wait, more tries, never the standard price.
  const client = clientFor(services, tier ? { ...settings, timeoutMs: Math.max(settings.timeoutMs, 900_000), maxRetries: Math.max(settings.maxRetries, 6) } : settings, apiKey);
  const replaced = new ReplacedImages(services);
  const title = images.length === 1 ? vscode.l10n.t('Generating {0}', images[0].relPath) : vscode.l10n.t('Generating images');
  const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    let done = 0;
    const collector = summaryCollector({
      onEvent: (e) => {
        if (e.type === 'notice' && e.code === 'standardPrice') void vscode.window.showWarningMessage(vscode.l10n.t('{0} was made at the standard price: the endpoint refused the Flex tier for its model.', e.message.split(':')[0]));
        if (e.type !== 'written' && e.type !== 'failed') return;
        done++;
        progress.report({ message: `${done} / ${images.length}`, increment: 100 / images.length });
      },
    });
    try {
      await fillNow(fillContext(services, client, root, settings, abort.signal, collector.onEvent, replaced, tier), images, 4);
    } finally {
      sub.dispose();
    }
    return collector.summary;
  });
  await replaced.settle();
  if (summary.failed.length === 0) {
    if (images.length > 1) void vscode.window.showInformationMessage(vscode.l10n.t('{0} images written.', summary.written.length));
    return;
  }
  if (images.length === 1) return reportError(summary.failed[0].error, { settings, log: services.log });
  for (const f of summary.failed) services.log.error(`${f.image.relPath}: ${f.error.message}`);
  const retry = vscode.l10n.t('Retry Failed');
  const names = summary.failed.slice(0, 5).map((f) => f.image.relPath).join(', ');
  const picked = await vscode.window.showWarningMessage(vscode.l10n.t('{0} of {1} images failed: {2}', summary.failed.length, images.length, `${names} (${summary.failed[0].error.message})`), retry);
  if (picked === retry) await fillNowWithProgress(services, apiKey, root, summary.failed.map((f) => f.image), scope, tier);
}

export { todo };
