// Generate Alt Text: a command and a code action on `![...](path)` in markdown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inertLinks } from '../core/inertText';
import { decodeTarget, imageLinkAt, imageLinksTo, isRemoteTarget } from '../core/markdownImageAt';
import { escapeAlt } from '../core/markdownLink';
import type { Services } from '../services';
import { isMarkdown } from '../workspace/markdownInsert';
import { staysInsideAny } from '../workspace/realPath';
import { readSettings } from '../config';
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
    // A document's link may not send a file from elsewhere on the disk to the API: the describe tool's rule.
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    if (!readSettings().allowOutsideWorkspace && !(await staysInsideAny(folders, target))) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Only images in the workspace can be described, not {0}.', inertLinks(link.target)));
      return;
    }
    const version = editor.document.version;
    const text = await askAboutImage(this.services, target, altTextQuestion(), vscode.l10n.t('Writing alt text…'));
    if (!text) return;
    const proposed = await proposeAltText(text, path.basename(target));
    if (proposed === undefined) return;
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
    await live.edit((edit) => edit.replace(range, escapeAlt(proposed)));
  }
}

/** The model's text, cleaned, in an editable box: what the user accepts becomes the alt text (undefined: dismissed). */
export async function proposeAltText(text: string, imageName: string): Promise<string | undefined> {
  const cleaned = text.replace(/\s+/g, ' ').replace(/^["'“”]+|["'“”]+$/g, '').trim();
  const accepted = await vscode.window.showInputBox({
    title: vscode.l10n.t('Alt text for {0}', imageName),
    prompt: vscode.l10n.t('Edit the proposed alt text if needed; Enter replaces the link\'s current alt text.'),
    value: cleaned,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The alt text cannot be empty.')),
  });
  return accepted?.trim() || undefined;
}

/** The file name of `document` when it links the image. */
export function linkingDocument(document: vscode.TextDocument | undefined, imagePath: string): string | undefined {
  if (!document) return undefined;
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  return imageLinksTo(lines, document.uri.fsPath, imagePath, (from, to) => path.resolve(path.dirname(from), to)).length ? path.basename(document.uri.fsPath) : undefined;
}

/** The panel's Use as Alt Text: the description, edited, becomes the alt text of every link to the image in the markdown file. */
export async function useAsAltText(document: vscode.TextDocument | undefined, imagePath: string, description: string | undefined): Promise<void> {
  const lines = document ? Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text) : [];
  const links = document ? imageLinksTo(lines, document.uri.fsPath, imagePath, (from, to) => path.resolve(path.dirname(from), to)) : [];
  if (!document || !description || !links.length) {
    void vscode.window.showInformationMessage(inertLinks(vscode.l10n.t('{0} is not linked from the markdown file in front.', path.basename(imagePath))));
    return;
  }
  const version = document.version;
  const proposed = await proposeAltText(description, path.basename(imagePath));
  if (proposed === undefined) return;
  if (document.version !== version) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The document changed while the alt text was written; nothing was replaced.'));
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const link of links) edit.replace(document.uri, new vscode.Range(link.line, link.altStart, link.line, link.altEnd), escapeAlt(proposed));
  await vscode.workspace.applyEdit(edit);
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
