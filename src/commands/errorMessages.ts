// The words for every error code: one clear, localized message and the actions that help. Only
// the server's own text (details.serverMessage, an excerpt of its body) is quoted; the core's
// English messages go to the log only.
import * as vscode from 'vscode';
import { DestinationError } from '../core/destination';
import { StudioError, type ConversationErrorCode } from '../core/studioError';
import { GeminiError, isGeminiError } from '../gemini/errors';
import { inertLinks } from '../core/inertText';
import { googleSaid, reasonText } from './finishReasons';

export { reasonText } from './finishReasons';

export type ErrorAction = 'setApiKey' | 'openSettings' | 'showLog' | 'selectModel' | 'useReplacement' | 'startOver' | 'openAiStudio';

export interface DescribedError {
  text: string;
  actions: ErrorAction[];
  /** The setting Open Settings opens. */
  setting?: string;
  /** The model useReplacement switches to. */
  replacement?: string;
}

export interface ErrorWordsContext {
  model: string;
  baseUrl: string;
  timeoutSeconds: number;
}

function quoteModel(text: string | undefined): string {
  if (!text?.trim()) return '';
  const short = text.trim().replace(/\s+/g, ' ');
  return ' ' + vscode.l10n.t('The model said: "{0}"', short.length > 300 ? `${short.slice(0, 300)}…` : short);
}

function isGoogle(baseUrl: string): boolean {
  return hostOf(baseUrl) === 'generativelanguage.googleapis.com';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Any error as the user should read it. */
export function describeError(error: unknown, context: ErrorWordsContext): DescribedError {
  const described = isGeminiError(error)
    ? describeGeminiError(error, context)
    : error instanceof DestinationError
      ? describeDestination(error)
      : error instanceof StudioError
        ? describeStudioError(error)
        : { text: vscode.l10n.t('Something went wrong. The log has the details.'), actions: ['showLog' as const] };
  // Server text, model text and file names are quoted: none of it may become a clickable link.
  return { ...described, text: inertLinks(described.text) };
}

function describeGeminiError(error: GeminiError, context: ErrorWordsContext): DescribedError {
  const d = error.details;
  const server = d.serverMessage ?? d.bodyExcerpt ?? vscode.l10n.t('no details given');
  switch (error.code) {
    case 'auth':
      if (d.reason === 'ACCESS_TOKEN_TYPE_UNSUPPORTED') {
        return { text: vscode.l10n.t('Google no longer accepts this kind of API key. Create a new key in AI Studio, then set it here.'), actions: ['openAiStudio', 'setApiKey'] };
      }
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
      return { text: vscode.l10n.t('Gemini rejected the request: {0}', server), actions: ['showLog'] };
    case 'invalidBaseUrl':
      return { text: vscode.l10n.t('The "geminiImage.baseUrl" setting is not a valid http(s) URL.'), actions: ['openSettings'], setting: 'geminiImage.baseUrl' };
    case 'rateLimited':
      return { text: vscode.l10n.t('Gemini is rate limiting this key (HTTP 429) after {0} attempt(s): {1}', d.attempts ?? 1, server), actions: ['showLog'] };
    case 'server':
      return { text: vscode.l10n.t('Gemini is unavailable (HTTP {0}) after {1} attempt(s): {2}', d.status ?? '?', d.attempts ?? 1, server), actions: ['showLog'] };
    case 'proxy':
      return { text: vscode.l10n.t('HTTP {0} from the server or a proxy in between: {1}', d.status ?? '?', d.bodyExcerpt || vscode.l10n.t('(empty body)')), actions: ['showLog'] };
    case 'network':
      return { text: vscode.l10n.t('Could not reach {0}: {1}. Check "geminiImage.baseUrl" and your proxy ("http.proxy").', hostOf(context.baseUrl), d.networkCode ?? vscode.l10n.t('no answer')), actions: ['openSettings', 'showLog'], setting: 'geminiImage.baseUrl' };
    case 'timeout':
      return { text: vscode.l10n.t('No complete answer within {0} seconds. Large images take longer: raise "geminiImage.timeoutSeconds".', context.timeoutSeconds), actions: ['openSettings'], setting: 'geminiImage.timeoutSeconds' };
    case 'blocked':
      return { text: vscode.l10n.t('No image: the request was blocked ({0}).', reasonText(d.blockReason ?? d.finishReason)) + googleSaid(d.finishMessage) + quoteModel(d.modelText), actions: [] };
    case 'noImage':
      return {
        text:
          vscode.l10n.t('The model returned no image ({0}).', reasonText(d.finishReason)) +
          googleSaid(d.finishMessage) +
          quoteModel(d.modelText) +
          (isGoogle(context.baseUrl) ? '' : ' ' + vscode.l10n.t('The endpoint answered HTTP 200 without an image; a relay may still have billed this request.')),
        actions: d.finishReason === 'MISSING_THOUGHT_SIGNATURE' ? ['startOver'] : [],
      };
    case 'noText':
      return { text: vscode.l10n.t('The model returned no text ({0}).', reasonText(d.finishReason)) + googleSaid(d.finishMessage) + quoteModel(d.modelText), actions: [] };
    case 'badResponse':
      return d.imageType
        ? { text: vscode.l10n.t('The reply could not be read: its image is of an unknown type ({0}).', d.imageType), actions: ['showLog'] }
        : { text: vscode.l10n.t('The reply could not be read. The log has the details.'), actions: ['showLog'] };
    case 'uploadFailed':
      if (d.fileError) return { text: vscode.l10n.t('Gemini could not process an uploaded reference image: {0}', d.fileError), actions: ['showLog'] };
      return { text: vscode.l10n.t('The reference image could not be uploaded to {0}.', hostOf(context.baseUrl)), actions: ['showLog'] };
    case 'noUploadRoute':
      return { text: vscode.l10n.t('The reference image could not be uploaded to {0}.', hostOf(context.baseUrl)), actions: ['showLog'] };
    case 'chatRefused':
      return { text: vscode.l10n.t('The chat model refused: {0}', server), actions: ['openSettings'], setting: 'geminiImage.promptWriter.chatModel' };
    case 'insecureUrl':
      return { text: vscode.l10n.t('Refusing to send the API key over plain http to {0}. Use an https URL in "geminiImage.baseUrl".', hostOf(context.baseUrl)), actions: ['openSettings'], setting: 'geminiImage.baseUrl' };
    case 'certificate':
      return { text: vscode.l10n.t('The TLS certificate of {0} is not trusted ({1}). If a relay or proxy uses its own certificate, turn off "http.proxyStrictSSL".', hostOf(context.baseUrl), d.networkCode ?? vscode.l10n.t('no details given')), actions: ['openSettings', 'showLog'], setting: 'http.proxyStrictSSL' };
    case 'cancelled':
      return { text: vscode.l10n.t('Cancelled.'), actions: [] };
  }
}

function describeDestination(e: DestinationError): DescribedError {
  const open = { actions: ['openSettings'] as ErrorAction[], setting: 'geminiImage.destination' };
  switch (e.code) {
    case 'outsideWorkspace':
      return { text: vscode.l10n.t('The image destination {0} is outside the workspace. Change the "geminiImage.destination" setting, or allow it with "geminiImage.allowOutsideWorkspace".', e.detail), ...open };
    case 'unknownVariable':
      return { text: vscode.l10n.t('The "geminiImage.destination" setting uses an unknown variable {0}.', e.detail), ...open };
    case 'needsDocument':
      return { text: vscode.l10n.t('The "geminiImage.destination" setting uses {0}, which needs an open file-based document.', e.detail), ...open };
    case 'notWritable':
      return { text: vscode.l10n.t('Cannot write images to {0}. Check the folder or the "geminiImage.destination" setting.', e.detail), ...open };
  }
}

function describeStudioError(e: StudioError): DescribedError {
  const file = e.details.file ?? '';
  switch (e.code) {
    case 'fileUnreadable':
      return { text: vscode.l10n.t('Cannot read {0}.', file), actions: ['showLog'] };
    case 'notAnImage':
      return { text: vscode.l10n.t('{0} is not a PNG, JPEG or WebP image.', file), actions: [] };
    default:
      return { text: vscode.l10n.t('Cannot refine this image: {0}', conversationText(e.code as ConversationErrorCode, file)), actions: [] };
  }
}

function conversationText(code: ConversationErrorCode, file: string): string {
  switch (code) {
    case 'baseUrlChanged':
      return vscode.l10n.t('it was made through another base URL.');
    case 'keyChanged':
      return vscode.l10n.t('it was made with another API key.');
    case 'modelChanged':
      return vscode.l10n.t('it was made with another model.');
    case 'imageMissing':
      return vscode.l10n.t('an earlier version cannot be read ({0}).', file);
    case 'imageChanged':
      return vscode.l10n.t('an earlier version was changed since ({0}).', file);
    default:
      return vscode.l10n.t('it has no conversation to continue.');
  }
}

/** What describeError needs from the settings. */
export function errorContext(settings: { model: string; baseUrl: string; timeoutMs: number }): { model: string; baseUrl: string; timeoutSeconds: number } {
  return { model: settings.model, baseUrl: settings.baseUrl, timeoutSeconds: Math.round(settings.timeoutMs / 1000) };
}
