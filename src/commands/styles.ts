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
  const summary = errors.map((e) => e.message).join(' ');
  if (errors.length && summary !== lastReported) {
    lastReported = summary;
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Some styles in "geminiImage.styles" were left out: {0}', inertLinks(summary)), open)
      .then((picked) => picked === open && vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.styles'));
  }
  return [...user, ...builtin];
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
