// Remembers the last markdown editor the user was in, for the panel's "Insert into Markdown"
// (clicking the panel makes the webview the active editor, so "active" is not enough).
import * as vscode from 'vscode';
import { imageLinkAt } from '../core/markdownImageAt';
import { Disposable } from '../disposable';
import { isMarkdown } from './markdownInsert';

/** True while the cursor of the markdown editor in front is on an image link: the context menu offers Generate Alt Text there only. */
export const ON_IMAGE_LINK = 'geminiImage.onImageLink';

export class MarkdownTracker extends Disposable {
  private last: { uri: string; selection: vscode.Selection; viewColumn?: vscode.ViewColumn } | undefined;
  private onImageLink = false;

  constructor() {
    super();
    this.remember(vscode.window.activeTextEditor);
    this._register(vscode.window.onDidChangeActiveTextEditor((e) => this.remember(e)));
    this._register(vscode.window.onDidChangeTextEditorSelection((e) => this.remember(e.textEditor)));
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    const markdown = !!editor && isMarkdown(editor.document) && editor.document.uri.scheme !== 'output';
    if (editor && markdown) {
      this.last = { uri: editor.document.uri.toString(), selection: editor.selection, viewColumn: editor.viewColumn };
    }
    const at = editor?.selection.active;
    const onLink = !!editor && markdown && !!at && !!imageLinkAt(editor.document.lineAt(at.line).text, at.character);
    if (onLink !== this.onImageLink) {
      this.onImageLink = onLink;
      void vscode.commands.executeCommand('setContext', ON_IMAGE_LINK, onLink);
    }
  }

  /** The last markdown document, left where it is (a panel generation's images follow its destination). */
  document(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && isMarkdown(active.document)) return active.document;
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.last?.uri && !d.isClosed);
  }

  /** The markdown editor to insert into, shown (it may have been hidden behind the panel). */
  async editor(): Promise<vscode.TextEditor | undefined> {
    const active = vscode.window.activeTextEditor;
    if (active && isMarkdown(active.document)) return active;
    if (!this.last) return undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.last?.uri);
    const document = visible?.document ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(this.last.uri)).then((d) => d, () => undefined));
    if (!document) return undefined;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? this.last.viewColumn, preserveFocus: false, selection: this.last.selection });
    return editor;
  }
}
