// One clear, localized message per failure, with the action that helps. Details go to the log.
import * as vscode from 'vscode';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { googleSaid, reasonText } from './finishReasons';

export interface ErrorActions {
  setApiKey(): Thenable<unknown>;
  openSettings(settingId: string): Thenable<unknown>;
  showLog(): void;
  selectModel?(): Thenable<unknown>;
  /** Switch the model setting to this id (where it was set). */
  useModel?(id: string): Thenable<unknown>;
  /** A refine that cannot go on: begin again from its image. */
  startOver?(): Thenable<unknown>;
}

export type ErrorAction = 'setApiKey' | 'openSettings' | 'showLog' | 'selectModel' | 'useReplacement' | 'startOver';

function quoteModel(text: string | undefined): string {
  if (!text?.trim()) return '';
  const short = text.trim().replace(/\s+/g, ' ');
  return ' ' + vscode.l10n.t('The model said: "{0}"', short.length > 300 ? `${short.slice(0, 300)}…` : short);
}

/** The message and the buttons for an error. Exported for tests of the wording. */
export function describeError(error: GeminiError, context: { model: string; baseUrl: string; timeoutSeconds: number }): { text: string; actions: ErrorAction[]; setting?: string; replacement?: string } {
  const d = error.details;
  const server = d.serverMessage ?? d.bodyExcerpt ?? error.message;
  switch (error.kind) {
    case 'auth':
      return { text: vscode.l10n.t('The API key was refused: {0}', server), actions: ['setApiKey'] };
    case 'permission':
      return { text: vscode.l10n.t('Permission denied by the Gemini API: {0}', server), actions: ['setApiKey', 'showLog'] };
    case 'notFound': {
      const model = d.model ?? context.model;
      if (d.replacement) {
        return { text: vscode.l10n.t('Model "{0}" is not available at this endpoint ({1}). Its replacement is {2}.', model, server, d.replacement), actions: ['useReplacement', 'selectModel'], setting: 'geminiImage.model', replacement: d.replacement };
      }
      return { text: vscode.l10n.t('Model "{0}" was not found ({1}). Pick one the endpoint lists.', model, server), actions: ['selectModel', 'openSettings'], setting: 'geminiImage.model' };
    }
    case 'badRequest':
      if (d.serverMessage === 'invalidBaseUrl') return { text: vscode.l10n.t('The "geminiImage.baseUrl" setting is not a valid http(s) URL.'), actions: ['openSettings'], setting: 'geminiImage.baseUrl' };
      return { text: vscode.l10n.t('Gemini rejected the request: {0}', server), actions: ['showLog'] };
    case 'rateLimited':
      return { text: vscode.l10n.t('Gemini is rate limiting this key (HTTP 429) after {0} attempt(s): {1}', d.attempts ?? 1, server), actions: ['showLog'] };
    case 'server':
      return { text: vscode.l10n.t('Gemini is unavailable (HTTP {0}) after {1} attempt(s): {2}', d.status ?? '?', d.attempts ?? 1, server), actions: ['showLog'] };
    case 'proxy':
      return { text: vscode.l10n.t('HTTP {0} from the server or a proxy in between: {1}', d.status ?? '?', d.bodyExcerpt || vscode.l10n.t('(empty body)')), actions: ['showLog'] };
    case 'network':
      return { text: vscode.l10n.t('Could not reach {0}: {1}. Check "geminiImage.baseUrl" and your proxy ("http.proxy").', hostOf(context.baseUrl), error.message), actions: ['openSettings', 'showLog'], setting: 'geminiImage.baseUrl' };
    case 'timeout':
      return { text: vscode.l10n.t('No complete answer within {0} seconds. Large images take longer: raise "geminiImage.timeoutSeconds".', context.timeoutSeconds), actions: ['openSettings'], setting: 'geminiImage.timeoutSeconds' };
    case 'blocked':
      return { text: vscode.l10n.t('No image: the request was blocked ({0}).', reasonText(d.blockReason ?? d.finishReason)) + googleSaid(d.finishMessage) + quoteModel(d.modelText), actions: [] };
    case 'noImage':
      return {
        text: vscode.l10n.t('The model returned no image ({0}).', reasonText(d.finishReason)) + googleSaid(d.finishMessage) + quoteModel(d.modelText),
        actions: d.finishReason === 'MISSING_THOUGHT_SIGNATURE' ? ['startOver'] : [],
      };
    case 'badResponse':
      if (d.fileError) return { text: vscode.l10n.t('Gemini could not process an uploaded reference image: {0}', d.fileError), actions: ['showLog'] };
      return { text: vscode.l10n.t('The reply could not be read: {0}', error.message), actions: ['showLog'] };
    case 'insecureUrl':
      return { text: vscode.l10n.t('Refusing to send the API key over plain http to {0}. Use an https URL in "geminiImage.baseUrl".', hostOf(context.baseUrl)), actions: ['openSettings'], setting: 'geminiImage.baseUrl' };
    case 'cancelled':
      return { text: vscode.l10n.t('Cancelled.'), actions: [] };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function showError(e: unknown, context: { model: string; baseUrl: string; timeoutSeconds: number }, actions: ErrorActions, log: { error(m: string): void }): Promise<void> {
  const error = isGeminiError(e) ? e : new GeminiError('badResponse', (e as Error)?.message ?? String(e));
  log.error(`${error.kind}: ${error.message}${error.details.modelText ? ` | model text: ${error.details.modelText}` : ''}`);
  if (error.kind === 'cancelled') {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Gemini Image: cancelled.'), 4000);
    return;
  }
  const described = describeError(error, context);
  const labels: Record<ErrorAction, string> = {
    setApiKey: vscode.l10n.t('Set API Key'),
    openSettings: vscode.l10n.t('Open Settings'),
    showLog: vscode.l10n.t('Show Log'),
    selectModel: vscode.l10n.t('Select Model'),
    useReplacement: vscode.l10n.t('Switch to {0}', described.replacement ?? ''),
    startOver: vscode.l10n.t('New Conversation from This Image'),
  };
  const offered = described.actions.filter((a) => (a === 'selectModel' ? !!actions.selectModel : a === 'useReplacement' ? !!actions.useModel : a === 'startOver' ? !!actions.startOver : true));
  const picked = await vscode.window.showErrorMessage(described.text, ...offered.map((a) => labels[a]));
  if (picked === labels.setApiKey) await actions.setApiKey();
  else if (picked === labels.openSettings) await actions.openSettings(described.setting ?? 'geminiImage');
  else if (picked === labels.showLog) actions.showLog();
  else if (picked === labels.selectModel) await actions.selectModel?.();
  else if (picked === labels.useReplacement && described.replacement) await actions.useModel?.(described.replacement);
  else if (picked === labels.startOver) await actions.startOver?.();
}
