// The one way a failure reaches the user, from any command or the panel: logged in full (never
// the key: the log redacts it), then one localized message with the action that helps.
import * as vscode from 'vscode';
import { KEY_PAGE_URL } from '../apiKey';
import type { Settings } from '../config';
import { isGeminiError } from '../gemini/errors';
import { describeError, type ErrorAction, type ErrorWordsContext } from './errorMessages';
import { switchModel } from './modelChoice';

export interface ErrorContext {
  /** The settings the failed work ran with (default: read now). */
  settings: Pick<Settings, 'model' | 'baseUrl' | 'timeoutMs'>;
  /** The model the failed call used, when not the image model of the settings (a text model). */
  model?: string;
  log: { error(message: string): void; show(): void };
  /** Where a model switch is written (the document's folder settings, when it has its own). */
  scope?: vscode.ConfigurationScope;
  /** The image a failed refine started from: a new conversation can begin from it. */
  refineSource?: string;
}

export function wordsContext(context: ErrorContext): ErrorWordsContext {
  return { model: context.model ?? context.settings.model, baseUrl: context.settings.baseUrl, timeoutSeconds: Math.round(context.settings.timeoutMs / 1000) };
}

export async function reportError(error: unknown, context: ErrorContext): Promise<void> {
  const modelText = isGeminiError(error) && error.details.modelText ? ` | model text: ${error.details.modelText}` : '';
  context.log.error(`${(error as { code?: string })?.code ?? 'error'}: ${(error as Error)?.stack ?? String(error)}${modelText}`);
  if (isGeminiError(error) && error.code === 'cancelled') {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Gemini Image: cancelled.'), 4000);
    return;
  }
  const described = describeError(error, wordsContext(context));
  const labels: Record<ErrorAction, string> = {
    setApiKey: vscode.l10n.t('Set API Key'),
    openSettings: vscode.l10n.t('Open Settings'),
    showLog: vscode.l10n.t('Show Log'),
    selectModel: vscode.l10n.t('Select Model'),
    useReplacement: vscode.l10n.t('Switch to {0}', described.replacement ?? ''),
    startOver: vscode.l10n.t('New Conversation from This Image'),
    openAiStudio: vscode.l10n.t('Open AI Studio'),
  };
  const offered = described.actions.filter((a) => a !== 'startOver' || context.refineSource);
  const picked = await vscode.window.showErrorMessage(described.text, ...offered.map((a) => labels[a]));
  const action = offered.find((a) => labels[a] === picked);
  if (action === 'useReplacement' && described.replacement) await switchModel(described.replacement, context.scope);
  else if (action === 'startOver' && context.refineSource) await vscode.commands.executeCommand('geminiImage.editImage', vscode.Uri.file(context.refineSource));
  else if (action === 'setApiKey') await vscode.commands.executeCommand('geminiImage.setApiKey');
  else if (action === 'openAiStudio') await vscode.env.openExternal(vscode.Uri.parse(KEY_PAGE_URL));
  else if (action === 'selectModel') await vscode.commands.executeCommand('geminiImage.selectModel');
  else if (action === 'openSettings') await vscode.commands.executeCommand('workbench.action.openSettings', described.setting ?? 'geminiImage');
  else if (action === 'showLog') context.log.show();
}
