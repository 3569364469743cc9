// The pipeline's ports as the editor provides them: the key from secret storage (or a prompt to
// set one), the destination (or a save dialog), a progress notification with Cancel, the modal
// about too many references, and links inserted into the markdown editor the job came from.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import type { GeminiClient } from '../gemini/client';
import { createClient } from '../generation/pipeline';
import { ModelStatusBook } from '../gemini/modelStatusBook';
import type { KeySource, LinkInserter, ProgressChannel, ProgressEvent, ReferenceLimitQuestion, TargetChooser } from '../generation/ports';
import type { Services } from '../services';
import { chooseImageTarget } from '../workspace/imageDestination';
import { insertImageLinks, isMarkdown } from '../workspace/markdownInsert';

export async function apiKeyOrAsk(services: Services): Promise<string | undefined> {
  const apiKey = await services.keys.get();
  if (apiKey) {
    services.log.addSecret(apiKey);
    return apiKey;
  }
  const setKey = vscode.l10n.t('Set API Key');
  const walkthrough = vscode.l10n.t('Open Walkthrough');
  const picked = await vscode.window.showErrorMessage(vscode.l10n.t('No Gemini API key is set. Set one to generate images (it is kept in VS Code\'s secret storage).'), setKey, walkthrough);
  if (picked === setKey) await vscode.commands.executeCommand('geminiImage.setApiKey');
  if (picked === walkthrough) await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${services.extension.id}#geminiImage.gettingStarted`, false);
  return undefined;
}

/** The key asked for once: a caller that already has it passes it in. */
export function keySource(services: Services, known?: string): KeySource {
  return { apiKey: async () => known ?? apiKeyOrAsk(services) };
}

export function targetChooser(settings: Settings, document: vscode.TextDocument | undefined, besideImage?: string): TargetChooser {
  return { choose: (prompt) => chooseImageTarget(settings, prompt, document, besideImage) };
}

function progressText(event: ProgressEvent): string {
  switch (event.type) {
    case 'started':
      return event.count === 1 ? vscode.l10n.t('Generating an image with {0}…', event.model) : vscode.l10n.t('Generating {0} images with {1}…', event.count, event.model);
    case 'saved':
      return vscode.l10n.t('{0} of {1} images saved…', event.done, event.count);
    case 'retry':
      return vscode.l10n.t('Gemini is busy; retry {0} in {1} s…', event.attempt, Math.ceil(event.delayMs / 1000));
  }
}

/** `cancellation`: a second way to cancel (a language model tool's token). */
export function notificationProgress(title = vscode.l10n.t('Gemini Image'), cancellation?: vscode.CancellationToken): ProgressChannel {
  return {
    run: async (work) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const subscriptions = [token, cancellation].map((t) => t?.onCancellationRequested(() => abort.abort()));
        try {
          return await work((event) => progress.report({ message: progressText(event), increment: event.type === 'saved' ? 100 / event.count : undefined }), abort.signal);
        } finally {
          subscriptions.forEach((subscription) => subscription?.dispose());
        }
      }),
  };
}

export async function confirmReferenceLimit(q: ReferenceLimitQuestion): Promise<boolean> {
  const go = vscode.l10n.t('Send Anyway');
  const picked = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} takes at most {1} reference images; {2} are selected. The model may ignore some or refuse.', q.model, q.max, q.count),
    { modal: true },
    go,
  );
  return picked === go;
}

/** Links after the selection of `editor` (or at the cursor when the job started), in markdown only. */
export function markdownLinks(settings: Settings, editor: vscode.TextEditor | undefined, selection?: vscode.Selection): LinkInserter | undefined {
  if (!editor || !isMarkdown(editor.document) || !settings.insertIntoMarkdown) return undefined;
  return {
    insert: async (images) => {
      if (editor.document.isClosed) return;
      const live = vscode.window.visibleTextEditors.find((e) => e.document === editor.document) ?? editor;
      await insertImageLinks(live, images, selection ?? live.selection, { announce: true });
    },
  };
}

/** A client for the settings' endpoint, logging through the extension's (redacting) log. */
export function clientFor(services: Services, settings: Settings, apiKey: string): GeminiClient {
  // Every call tells the status book what the endpoint said of its model (modelStatus, a 404).
  return createClient(settings, apiKey, { log: services.log, userAgent: userAgent(services), statusBook: new ModelStatusBook(services.globalState) });
}

export function userAgent(services: Services): string {
  return `gemini-image-studio/${services.extension.version}`;
}
