// Words for every finishReason and blockReason in Google's enum (the protos plus the SDK's
// additions). A reason nobody knows yet is shown by its name: it is Google's, not an error of ours.
import * as vscode from 'vscode';

export function reasonText(reason: string | undefined): string {
  switch (reason) {
    case 'SAFETY':
      return vscode.l10n.t('safety filter');
    case 'IMAGE_SAFETY':
      return vscode.l10n.t('image safety filter');
    case 'PROHIBITED_CONTENT':
      return vscode.l10n.t('prohibited content');
    case 'IMAGE_PROHIBITED_CONTENT':
      return vscode.l10n.t('the image would show prohibited content');
    case 'RECITATION':
      return vscode.l10n.t('too close to existing content (recitation)');
    case 'IMAGE_RECITATION':
      return vscode.l10n.t('the image would be too close to an existing one (recitation)');
    case 'IMAGE_OTHER':
      return vscode.l10n.t('the image was stopped for another reason');
    case 'BLOCKLIST':
      return vscode.l10n.t('blocked terms');
    case 'SPII':
      return vscode.l10n.t('sensitive personal information');
    case 'NO_IMAGE':
      return vscode.l10n.t('the model made no image');
    case 'MAX_TOKENS':
      return vscode.l10n.t('the answer was cut at the token limit');
    case 'LANGUAGE':
      return vscode.l10n.t('the prompt is in a language the model does not support');
    case 'OTHER':
      return vscode.l10n.t('stopped for an unspecified reason');
    case 'MALFORMED_FUNCTION_CALL':
      return vscode.l10n.t('the model produced a malformed function call');
    case 'UNEXPECTED_TOOL_CALL':
      return vscode.l10n.t('the model called a tool it was not given');
    case 'TOO_MANY_TOOL_CALLS':
      return vscode.l10n.t('the model called tools too many times');
    case 'MISSING_THOUGHT_SIGNATURE':
      return vscode.l10n.t('the conversation lost a thought signature; start a new conversation from the image');
    case 'MALFORMED_RESPONSE':
      return vscode.l10n.t('the model produced a malformed answer; try again');
    case 'FINISH_REASON_UNSPECIFIED':
    case 'BLOCK_REASON_UNSPECIFIED':
    case undefined:
    case '':
      return vscode.l10n.t('no reason given');
    default:
      return reason;
  }
}

/** Google's own explanation (finishMessage), framed in the user's language. */
export function googleSaid(message: string | undefined): string {
  if (!message?.trim()) return '';
  const short = message.trim().replace(/\s+/g, ' ');
  return ' ' + vscode.l10n.t('Google says: "{0}"', short.length > 400 ? `${short.slice(0, 400)}…` : short);
}
