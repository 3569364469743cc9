// The editor's glue to the pipeline: the ports it needs, then the outcome or the failure as the
// user reads it. Every command that generates comes through here with its job.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { generate } from '../generation/pipeline';
import type { GenerationJob, ImageTarget } from '../generation/ports';
import { markKeyWorks } from '../apiKey';
import type { GalleryRecord } from '../shared/gallery';
import type { Services } from '../services';
import { confirmReferenceLimit, keySource, markdownLinks, notificationProgress, targetChooser, userAgent } from './editorPorts';
import { describeError } from './errorMessages';
import { modelPorts } from './modelChoice';
import { reportError, wordsContext } from './reportError';

export interface JobOrigin {
  /** The editor the generation belongs to (destination, link insertion). */
  editor?: vscode.TextEditor;
  selection?: vscode.Selection;
  /** Insert links into `editor` when it is markdown (and the setting allows). */
  insertLink?: boolean;
  /** The key, when the caller already asked for it (so it is not asked twice). */
  apiKey?: string;
  /** The caller already asked whether to send more references than the model takes. */
  referencesConfirmed?: boolean;
  /** The markdown document whose destination rule applies without an editor (the panel's last one). */
  document?: vscode.TextDocument;
  /** Save next to this image (regenerate, edit; a refine goes next to its source) whatever the destination says. */
  besideImage?: string;
  /** The file's name (without extension) instead of the prompt's words. */
  fileName?: string;
  /** A language model tool's call: its path and its token; failures are thrown to it instead of shown. */
  tool?: { target: ImageTarget; cancellation: vscode.CancellationToken };
}

export async function runGeneration(services: Services, job: GenerationJob, origin: JobOrigin = {}): Promise<GalleryRecord[] | undefined> {
  const settings = readSettings(origin.editor?.document.uri);
  try {
    const outcome = await generate(job, {
      settings,
      keys: keySource(services, origin.apiKey),
      targets: origin.tool ? { choose: async () => origin.tool?.target } : targetChooser(settings, origin.editor?.document ?? origin.document, origin.besideImage ?? job.refineOf?.path, origin.fileName),
      progress: notificationProgress(undefined, origin.tool?.cancellation),
      gallery: services.gallery,
      conversations: services.conversations,
      uploads: services.uploads,
      links: origin.insertLink ? markdownLinks(settings, origin.editor, origin.selection) : undefined,
      confirmReferenceLimit: origin.referencesConfirmed ? undefined : confirmReferenceLimit,
      draftsDir: services.draftsDir,
      log: services.log,
      userAgent: userAgent(services),
      ...modelPorts(services, settings, origin.editor?.document.uri),
    });
    if (outcome) void markKeyWorks();
    if (outcome?.failures.length) {
      const reason = describeError(outcome.failures[0], wordsContext({ settings, log: services.log })).text;
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} of {1} images failed: {2}', outcome.failures.length, outcome.count, reason));
    }
    return outcome?.records;
  } catch (e) {
    if (origin.tool) throw e;
    await reportError(e, { settings, log: services.log, scope: (origin.editor?.document ?? origin.document)?.uri, refineSource: job.refineOf?.path });
    return undefined;
  }
}
