// Styles for the pickers: the built-in ones (localized) and the user's templates from settings,
// each labelled with where it comes from.
import * as vscode from 'vscode';
import { inertLinks } from '../core/inertText';
import { BUILTIN_STYLES, parseUserStyles, type ImageStyle, type StyleError } from '../core/styles';

let lastReported = '';

export function availableStyles(log?: { warn(m: string): void }): ImageStyle[] {
  const builtin = BUILTIN_STYLES.map((s) => ({
    ...s,
    name: vscode.l10n.t(s.nameKey ?? s.name),
    description: vscode.l10n.t(s.descriptionKey ?? s.description),
  }));
  const inspected = vscode.workspace.getConfiguration('geminiImage').inspect<unknown>('styles');
  const user: ImageStyle[] = [];
  const errors: StyleError[] = [];
  for (const [value, source] of [
    [inspected?.globalValue, 'user'],
    [inspected?.workspaceValue, 'workspace'],
    [inspected?.workspaceFolderValue, 'workspaceFolder'],
  ] as const) {
    if (value === undefined) continue;
    const parsed = parseUserStyles(value, source);
    user.push(...parsed.styles);
    errors.push(...parsed.errors);
  }
  for (const e of errors) log?.warn(`geminiImage.styles: ${e.message}`);
  const summary = errors.map(styleErrorText).join(' ');
  if (errors.length && summary !== lastReported) {
    lastReported = summary;
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Some styles in "geminiImage.styles" were left out: {0}', inertLinks(summary)), open)
      .then((picked) => picked === open && vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.styles'));
  }
  return [...user, ...builtin];
}

/** One problem of `geminiImage.styles` in the user's language (StyleError.message is English, for the log). */
export function styleErrorText(e: StyleError): string {
  const where = e.index < 0 ? settingsLabel(e.source) : vscode.l10n.t('{0}, entry {1}', settingsLabel(e.source), e.index + 1);
  const name = e.name ?? '';
  switch (e.code) {
    case 'notList':
      return vscode.l10n.t('{0}: the setting must be a list of styles.', where);
    case 'notObject':
      return vscode.l10n.t('{0}: not an object with a name and a prompt.', where);
    case 'missingName':
      return vscode.l10n.t('{0}: the style has no name.', where);
    case 'missingPrompt':
      return vscode.l10n.t('{0}: "{1}" has no prompt.', where, name);
    case 'badDescription':
      return vscode.l10n.t('{0}: the description of "{1}" must be text.', where, name);
    case 'unknownVariables':
      return vscode.l10n.t('{0}: "{1}" uses unknown variables {2} (known: {3}).', where, name, (e.unknown ?? []).join(', '), '${prompt}, ${selection}');
    case 'noVariable':
      return vscode.l10n.t('{0}: "{1}" must use {2} or {3}.', where, name, '${prompt}', '${selection}');
    case 'duplicateName':
      return vscode.l10n.t('{0}: "{1}" is defined twice.', where, name);
  }
}

function settingsLabel(source: StyleError['source']): string {
  switch (source) {
    case 'user':
      return vscode.l10n.t('User settings');
    case 'workspace':
      return vscode.l10n.t('Workspace settings');
    default:
      return vscode.l10n.t('Folder settings');
  }
}

function sourceLabel(style: ImageStyle): string | undefined {
  switch (style.source) {
    case 'user':
      return vscode.l10n.t('User settings');
    case 'workspace':
      return vscode.l10n.t('Workspace settings');
    case 'workspaceFolder':
      return vscode.l10n.t('Folder settings');
    default:
      return undefined;
  }
}

/** The style quick pick: "None" first. Resolves null when dismissed, undefined for None. */
export async function pickStyle(styles: ImageStyle[], lastId: string | undefined): Promise<ImageStyle | undefined | null> {
  type Item = vscode.QuickPickItem & { style?: ImageStyle };
  const none: Item = { label: vscode.l10n.t('None'), description: vscode.l10n.t('Send the prompt as written') };
  const items: Item[] = [none, ...styles.map((s) => ({ label: s.name, description: sourceLabel(s), detail: s.description, style: s }))];
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = vscode.l10n.t('Style');
  quickPick.placeholder = vscode.l10n.t('Pick a style (its text is added to your prompt)');
  quickPick.items = items;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const last = items.find((i) => i.style?.id === lastId);
  quickPick.activeItems = [last ?? none];
  return new Promise((resolve) => {
    let picked = false;
    quickPick.onDidAccept(() => {
      picked = true;
      resolve(quickPick.selectedItems[0]?.style);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      if (!picked) resolve(null);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
