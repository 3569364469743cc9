// The old file of a regenerated image: kept (hard-linked into the extension's storage) while the
// new one is put in place, then sent to the OS trash. Where the file system has none (code-server,
// remote, web), the user decides, once per fill, as for Delete: delete the old versions
// permanently, or keep them where they are.
import * as vscode from 'vscode';
import type { FillEvent } from '../docs/fillNow';
import type { Services } from '../services';

export class ReplacedImages {
  private readonly pending: Promise<void>[] = [];
  private readonly kept: string[] = [];
  private reason = '';

  constructor(private readonly services: Services) {}

  readonly onEvent = (event: FillEvent): void => {
    if (event.type === 'written' && event.backupPath) this.pending.push(this.trash(event.backupPath));
  };

  private async trash(backupPath: string): Promise<void> {
    try {
      await vscode.workspace.fs.delete(vscode.Uri.file(backupPath), { useTrash: true });
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return;
      this.services.log.warn(`The replaced image stays in ${backupPath}: ${(e as Error).message}`);
      this.reason = (e as Error).message;
      this.kept.push(backupPath);
    }
  }

  /** After the fill: when old versions could not go to the trash, asks what to do with them. */
  async settle(): Promise<void> {
    await Promise.all(this.pending.splice(0));
    const kept = this.kept.splice(0);
    if (kept.length === 0) return;
    // One sentence a user reads; where the old files are, and why, is in the log.
    this.services.log.warn(`The replaced images cannot go to the trash (${this.reason}); they are kept in:\n${kept.join('\n')}`);
    const keep = vscode.l10n.t('Keep');
    const permanently = vscode.l10n.t('Delete Permanently');
    const text =
      kept.length === 1
        ? vscode.l10n.t('There is no trash here for the old version of the regenerated image: keep it, or delete it permanently?')
        : vscode.l10n.t('There is no trash here for the old versions of {0} regenerated images: keep them, or delete them permanently?', kept.length);
    if ((await vscode.window.showWarningMessage(text, keep, permanently)) !== permanently) return;
    for (const file of kept) {
      await vscode.workspace.fs.delete(vscode.Uri.file(file), { useTrash: false }).then(undefined, (e: Error) => this.services.log.warn(`${file} could not be deleted: ${e.message}`));
    }
  }
}
