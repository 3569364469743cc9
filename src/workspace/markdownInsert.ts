// Putting image links into markdown editors.
import * as vscode from 'vscode';
import { imageLinkFor, insertionPadding } from '../core/markdownLink';

export interface LinkedImage {
  path: string;
  prompt: string;
}

export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' || /\.(md|markdown|mdx)$/i.test(document.fileName);
}

/** The markdown text for the images, relative to the document. */
export function linksFor(document: vscode.TextDocument, images: readonly LinkedImage[]): string {
  return images.map((i) => imageLinkFor(i.prompt, document.uri.fsPath, i.path)).join('\n\n');
}

/**
 * Inserts links at the cursor, or after the selection (which stays selected) when there is one.
 * `at` pins the position (the cursor when the generation started), since the user may have moved.
 */
export async function insertImageLinks(editor: vscode.TextEditor, images: readonly LinkedImage[], at?: vscode.Selection): Promise<boolean> {
  const selection = at ?? editor.selection;
  const text = linksFor(editor.document, images);
  const position = selection.isEmpty ? selection.active : selection.end;
  const line = editor.document.lineAt(position.line);
  const { before, after } = insertionPadding(line.text, position.character, !selection.isEmpty);
  const previous = editor.selections;
  const ok = await editor.edit((edit) => edit.insert(position, `${before}${text}${after}`));
  if (ok && !selection.isEmpty) editor.selections = previous;
  return ok;
}
