// Putting image links into markdown editors: always at a block boundary (see core/linkPlacement),
// as one edit, so one Undo takes it out again.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { anchorLineOf, placeImageLink } from '../core/linkPlacement';
import { inertLinks } from '../core/inertText';
import { imageLinkFor } from '../core/markdownLink';

export interface LinkedImage {
  path: string;
  prompt: string;
}

/** Where links went: the inserted text's range, and the line of the first link. */
export interface InsertedLinks {
  range: vscode.Range;
  text: string;
  linkLine: number;
}

export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' || /\.(md|markdown|mdx)$/i.test(document.fileName);
}

/** The markdown text for the images, relative to the document. */
export function linksFor(document: vscode.TextDocument, images: readonly LinkedImage[]): string {
  return images.map((i) => imageLinkFor(i.prompt, document.uri.fsPath, i.path)).join('\n\n');
}

/**
 * Inserts links after the block that holds the cursor or the end of the selection (which stays
 * selected, and the caret where it was). The document is left unsaved, as after any edit. `at` pins the position (the cursor when the generation started), since the user may have moved.
 * `announce`: without a selection the user did not point at the place, so say where it went.
 */
export async function insertImageLinks(editor: vscode.TextEditor, images: readonly LinkedImage[], at?: vscode.Selection, options: { announce?: boolean } = {}): Promise<InsertedLinks | undefined> {
  const selection = at ?? editor.selection;
  const document = editor.document;
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  const placement = placeImageLink(lines, anchorLineOf(selection.start, selection.end), linksFor(document, images));
  const position = new vscode.Position(placement.line, placement.character);
  const previous = editor.selections;
  const ok = await editor.edit((edit) => edit.insert(position, placement.text), { undoStopBefore: true, undoStopAfter: true });
  if (!ok) return undefined;
  // The caret (or selection) stays where the user left it: an insertion at it would carry it along.
  if (previous.every((s) => s.end.isBeforeOrEqual(position))) editor.selections = previous;
  const end = document.positionAt(document.offsetAt(position) + placement.text.length);
  editor.revealRange(new vscode.Range(placement.linkLine, 0, placement.linkLine, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const inserted = { range: new vscode.Range(position, end), text: placement.text, linkLine: placement.linkLine };
  if (options.announce && selection.isEmpty) void announceInsertedLinks(editor, inserted);
  return inserted;
}

/** Says where the link went (the user did not point there with a selection) and offers Undo. */
export async function announceInsertedLinks(editor: vscode.TextEditor, inserted: InsertedLinks): Promise<void> {
  const undo = vscode.l10n.t('Undo');
  const picked = await vscode.window.showInformationMessage(
    inertLinks(vscode.l10n.t('Inserted the image link at line {0} of {1}.', inserted.linkLine + 1, path.basename(editor.document.uri.path))),
    undo,
  );
  if (picked !== undo) return;
  const document = editor.document;
  // Only while the text is still there as inserted: never delete what the user has typed since.
  if (document.isClosed || document.getText(inserted.range) !== inserted.text) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The link was changed since; undo it in the editor instead.'));
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.delete(document.uri, inserted.range);
  await vscode.workspace.applyEdit(edit);
}
