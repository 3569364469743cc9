// The one way a failure reaches the user: logged in full, then one clear, localized message with
// the action that helps.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { DestinationError } from '../core/destination';
import { ConversationError } from '../gemini/conversation';
import type { Log } from '../log';
import { describeDestinationError } from '../workspace/imageDestination';
import { showError } from './errorMessages';
import { switchModel } from './modelChoice';

export interface ErrorContext {
  settings: Settings;
  /** The model the failed call used, when not the image model of the settings (a text model). */
  model?: string;
  log: Pick<Log, 'error' | 'show'>;
  /** Where a model switch is written (the document's folder settings, when it has its own). */
  scope?: vscode.ConfigurationScope;
  /** The image a failed refine started from: a new conversation can begin from it. */
  refineSource?: string;
}

export async function reportError(e: unknown, context: ErrorContext): Promise<void> {
  const { settings, log } = context;
  if (e instanceof DestinationError) {
    log.error(e.message);
    const open = vscode.l10n.t('Open Settings');
    if ((await vscode.window.showErrorMessage(describeDestinationError(e), open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.destination');
    }
    return;
  }
  if (e instanceof ConversationError) {
    log.error(e.message);
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot refine this image: {0}', e.message));
    return;
  }
  await showError(
    e,
    { model: context.model ?? settings.model, baseUrl: settings.baseUrl, timeoutSeconds: Math.round(settings.timeoutMs / 1000) },
    {
      setApiKey: () => vscode.commands.executeCommand('geminiImage.setApiKey'),
      openSettings: (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id),
      showLog: () => log.show(),
      selectModel: () => vscode.commands.executeCommand('geminiImage.selectModel'),
      useModel: (id: string) => switchModel(id, context.scope),
      startOver: context.refineSource ? () => vscode.commands.executeCommand('geminiImage.editImage', vscode.Uri.file(context.refineSource!)) : undefined,
    },
    log,
  );
}
