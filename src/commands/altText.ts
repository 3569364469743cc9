// Generate Alt Text: a command and a code action on `![...](path)` in markdown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inertLinks } from '../core/inertText';
import { decodeTarget, imageLinkAt, isRemoteTarget } from '../core/markdownImageAt';
import { escapeAlt } from '../core/markdownLink';
import type { Services } from '../services';
import { isMarkdown } from '../workspace/markdownInsert';
import type { Command } from './command';
import { altTextQuestion, askAboutImage } from './understanding';

export class GenerateAltTextCommand implements Command {
  readonly id = 'geminiImage.generateAltText';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isMarkdown(editor.document)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an image link (![alt](path)) in a markdown file.'));
      return;
    }
    const position = editor.selection.active;
    const line = editor.document.lineAt(position.line).text;
    const link = imageLinkAt(line, position.character);
    if (!link) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an image link (![alt](path)) in a markdown file.'));
      return;
    }
    if (isRemoteTarget(link.target)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Only images in the workspace can be described, not {0}.', inertLinks(link.target)));
      return;
    }
    const target = link.target.startsWith('file:') ? vscode.Uri.parse(link.target).fsPath : path.resolve(path.dirname(editor.document.uri.fsPath), decodeTarget(link.target));
    const version = editor.document.version;
    const text = await askAboutImage(this.services, target, altTextQuestion(), vscode.l10n.t('Writing alt text…'));
    if (!text) return;
    const alt = escapeAlt(text.replace(/\s+/g, ' ').replace(/^["'“”]+|["'“”]+$/g, '').trim());
    const live = vscode.window.visibleTextEditors.find((e) => e.document === editor.document) ?? editor;
    // Only the alt text changes; if the line moved meanwhile, find the link again.
    let range = new vscode.Range(position.line, link.altStart, position.line, link.altEnd);
    if (live.document.version !== version) {
      const again = imageLinkAt(live.document.lineAt(position.line).text, position.character);
      if (!again || again.target !== link.target) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The document changed while the alt text was written; nothing was replaced.'));
        return;
      }
      range = new vscode.Range(position.line, again.altStart, position.line, again.altEnd);
    }
    await live.edit((edit) => edit.replace(range, alt));
  }
}

/** Offers Generate Alt Text on image links in markdown. */
export class AltTextCodeActionProvider implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const link = imageLinkAt(document.lineAt(range.start.line).text, range.start.character);
    if (!link || isRemoteTarget(link.target)) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Generate Alt Text with Gemini'), vscode.CodeActionKind.RefactorRewrite);
    action.command = { command: 'geminiImage.generateAltText', title: action.title };
    return [action];
  }
}
