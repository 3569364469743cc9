// The panel's words, localized on the host (the webview has no l10n of its own).
import * as vscode from 'vscode';
import type { PanelStrings } from '../shared/protocol';

export function panelStrings(): PanelStrings {
  return {
    empty: vscode.l10n.t('No images yet. Run "Gemini Image: Generate Image" from the Command Palette.'),
    insert: vscode.l10n.t('Insert into Markdown'),
    open: vscode.l10n.t('Open'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    copyLink: vscode.l10n.t('Copy Markdown Link'),
    generating: vscode.l10n.t('Generating…'),
    model: vscode.l10n.t('Model'),
    size: vscode.l10n.t('Size'),
    created: vscode.l10n.t('Created'),
    prompt: vscode.l10n.t('Prompt'),
    modelSaid: vscode.l10n.t('The model said'),
    title: vscode.l10n.t('Gemini Images'),
  };
}
