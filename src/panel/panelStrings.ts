// The panel's words, localized on the host (the webview has no l10n of its own).
import * as vscode from 'vscode';
import type { PanelStrings } from '../shared/protocol';

export function panelStrings(): PanelStrings {
  return {
    title: vscode.l10n.t('Gemini Images'),
    composer: vscode.l10n.t('New image'),
    prompt: vscode.l10n.t('Prompt'),
    promptPlaceholder: vscode.l10n.t('Describe the image, e.g. "a lighthouse at dawn, watercolor"'),
    emptyPrompt: vscode.l10n.t('The prompt cannot be empty.'),
    style: vscode.l10n.t('Style'),
    aspectRatio: vscode.l10n.t('Aspect ratio'),
    imageSize: vscode.l10n.t('Image size'),
    count: vscode.l10n.t('Images'),
    generate: vscode.l10n.t('Generate'),
    generateHint: vscode.l10n.t('Generate (Ctrl+Enter)'),
    addReference: vscode.l10n.t('Add reference…'),
    references: vscode.l10n.t('References'),
    removeReference: vscode.l10n.t('Remove reference'),
    search: vscode.l10n.t('Search prompts'),
    empty: vscode.l10n.t('No images yet. Describe one above, or run "Gemini Image: Generate Image" from the Command Palette.'),
    noMatch: vscode.l10n.t('No image matches the search.'),
    versions: vscode.l10n.t('Versions'),
    insert: vscode.l10n.t('Insert into Markdown'),
    open: vscode.l10n.t('Open'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    copyLink: vscode.l10n.t('Copy Markdown Link'),
    copyPrompt: vscode.l10n.t('Copy Prompt'),
    regenerate: vscode.l10n.t('Regenerate'),
    refine: vscode.l10n.t('Refine…'),
    useAsReference: vscode.l10n.t('Use as Reference'),
    describe: vscode.l10n.t('Describe'),
    delete: vscode.l10n.t('Delete'),
    generating: vscode.l10n.t('Generating…'),
    model: vscode.l10n.t('Model'),
    size: vscode.l10n.t('Size'),
    created: vscode.l10n.t('Created'),
    modelSaid: vscode.l10n.t('The model said'),
    description: vscode.l10n.t('Description'),
    sentPrompt: vscode.l10n.t('Prompt as sent (with the style)'),
  };
}
