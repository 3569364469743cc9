// Before the key leaves: a relay set where VS Code does not apply it (a workspace, a folder, the
// remote machine's settings) is named to the user, who chooses to send anyway or to fix the settings.
// Asked once per window for the same findings.
import * as vscode from 'vscode';
import { readSettings } from './config';
import { fingerprint, ignoredRelaySettings, type SettingsFile, type SettingsPlace } from './core/ignoredRelaySettings';

interface LogLike {
  warn(message: string): void;
}

export class RelayCheck {
  private readonly answered = new Set<string>();
  private asking: Promise<boolean> | undefined;

  constructor(
    private readonly log: LogLike,
    /** The extension's global storage: the remote machine's settings sit three folders up, in Machine/. */
    private readonly globalStorageUri: vscode.Uri,
  ) {}

  /** True when nothing is ignored or the user chose to send anyway; false: send nothing. */
  confirm(): Promise<boolean> {
    // Parallel requests (count > 1, a docs fill) wait for one question.
    this.asking ??= this.check().finally(() => (this.asking = undefined));
    return this.asking;
  }

  private async check(): Promise<boolean> {
    const settings = readSettings();
    const applied = { baseUrl: settings.baseUrl, authStyle: settings.authStyle };
    const found = ignoredRelaySettings(await this.settingsFiles(), applied);
    if (found.length === 0) return true;
    const answer = fingerprint(found, applied);
    if (this.answered.has(answer)) return true;
    for (const f of found) this.log.warn(`${f.setting} is set to ${f.shown} in ${placeInLog(f.place)}, which VS Code does not apply: requests go to ${applied.baseUrl} (${applied.authStyle}).`);
    const host = hostOf(applied.baseUrl);
    const send = vscode.l10n.t('Send to {0}', host);
    const open = vscode.l10n.t('Open User Settings');
    const places = listOf([...new Set(found.map((f) => placeWords(f.place)))]);
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('The relay settings in {0} are not applied: VS Code reads where your key goes only from your User settings. Requests would go to {1}.', places, host),
      {
        modal: true,
        detail: [
          ...found.map((f) => `${f.setting}: ${f.shown} (${placeWords(f.place)})`),
          '',
          vscode.l10n.t('No workspace can redirect your key, and in a remote window your local User settings apply. Move the relay settings there to use them.'),
        ].join('\n'),
      },
      // The first button is the default one: Enter must not send the key.
      open,
      send,
    );
    if (picked === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.baseUrl');
    if (picked !== send) return false;
    this.answered.add(answer);
    return true;
  }

  private async settingsFiles(): Promise<SettingsFile[]> {
    const files: SettingsFile[] = [];
    const read = async (uri: vscode.Uri, place: SettingsPlace, workspaceFile?: boolean) => {
      try {
        files.push({ place, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), workspaceFile });
      } catch {
        // No such file: nothing set there.
      }
    };
    const folders = vscode.workspace.workspaceFolders ?? [];
    const workspaceFile = vscode.workspace.workspaceFile;
    for (const folder of folders) {
      const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
      // A single folder's settings are the workspace's; in a multi-root workspace they are a folder's.
      await read(uri, workspaceFile ? { kind: 'folder', folder: folder.name, file: uri.fsPath } : { kind: 'workspace', file: uri.fsPath });
    }
    if (workspaceFile && workspaceFile.scheme !== 'untitled') await read(workspaceFile, { kind: 'workspace', file: workspaceFile.fsPath }, true);
    if (vscode.env.remoteName) {
      const uri = vscode.Uri.joinPath(this.globalStorageUri, '..', '..', '..', 'Machine', 'settings.json');
      await read(uri, { kind: 'remote', file: uri.fsPath });
    }
    return files;
  }
}

function placeWords(place: SettingsPlace): string {
  switch (place.kind) {
    case 'workspace':
      return vscode.l10n.t('the workspace settings');
    case 'folder':
      return vscode.l10n.t('the settings of folder {0}', place.folder);
    case 'remote':
      return vscode.l10n.t('the Remote settings');
  }
}

function placeInLog(place: SettingsPlace): string {
  return `${place.kind === 'remote' ? 'the Remote settings' : place.kind === 'folder' ? `the settings of folder ${place.folder}` : 'the workspace settings'} (${place.file})`;
}

/** "a, b and c" in the display language. */
function listOf(items: string[]): string {
  try {
    return new Intl.ListFormat(vscode.env.language, { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

