import * as vscode from 'vscode';
import { imageLinkFor } from '../core/markdownLink';
import type { GalleryRecord } from '../panel/galleryStore';
import { ImagePanel } from '../panel/imagePanel';
import type { ImageAction } from '../shared/protocol';
import type { Services } from '../services';
import { insertImageLinks, isMarkdown } from '../workspace/markdownInsert';
import type { Command } from './command';

export class ShowPanelCommand implements Command {
  readonly id = 'geminiImage.showPanel';
  constructor(private readonly services: Services) {}

  execute(): void {
    ImagePanel.createOrShow(this.services.panel);
  }
}

export class ShowLogCommand implements Command {
  readonly id = 'geminiImage.showLog';
  constructor(private readonly services: Services) {}

  execute(): void {
    this.services.log.show();
  }
}

/** What the panel's buttons do. */
export async function runImageAction(services: Services, action: ImageAction, record: GalleryRecord): Promise<void> {
  const uri = vscode.Uri.file(record.path);
  switch (action) {
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Active });
      return;
    case 'reveal':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    case 'insert': {
      const editor = await services.markdown.editor();
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a markdown file to insert the image into.'));
        return;
      }
      await insertImageLinks(editor, [{ path: record.path, prompt: record.prompt }]);
      return;
    }
    case 'copyLink': {
      const active = vscode.window.activeTextEditor;
      const doc = active && isMarkdown(active.document) ? active.document : undefined;
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Relative to the markdown file when one is open, else to the workspace folder's root.
      const from = doc?.uri.fsPath ?? (folder ? vscode.Uri.joinPath(folder.uri, 'README.md').fsPath : record.path);
      const link = imageLinkFor(record.prompt, from, record.path);
      await vscode.env.clipboard.writeText(link);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', link), 4000);
      return;
    }
  }
}
