// Dragging an image from the panel into a markdown editor inserts a link with the prompt as alt
// text, as a snippet so the alt can be edited at once. Other drops are left to VS Code's own
// markdown providers, which this yields to.
import * as vscode from 'vscode';
import { altTextFromPrompt, relativeLinkTarget } from '../core/markdownLink';
import type { GalleryStore } from '../panel/galleryStore';

import { GALLERY_MIME } from './dropKinds';
const kind = () => vscode.DocumentDropOrPasteEditKind.Empty.append('markdown', 'link', 'image', 'geminiImage');

export class GalleryImageDropProvider implements vscode.DocumentDropEditProvider {
  constructor(private readonly gallery: GalleryStore) {}

  async provideDocumentDropEdits(document: vscode.TextDocument, _position: vscode.Position, dataTransfer: vscode.DataTransfer, _token?: vscode.CancellationToken): Promise<vscode.DocumentDropEdit | undefined> {
    const id = await dataTransfer.get(GALLERY_MIME)?.asString();
    const uriList = id ? '' : ((await dataTransfer.get('text/uri-list')?.asString()) ?? '');
    const records = this.gallery.all();
    // The panel's images arrive as webview resource URIs whose path ends with the file's path.
    const record = id
      ? records.find((r) => r.id === id)
      : records.find((r) => uriList.split(/\r?\n/).some((line) => line && decodeURIComponent(line).endsWith(r.path.replace(/\\/g, '/'))));
    if (!record || document.uri.scheme !== 'file') return undefined;
    const snippet = new vscode.SnippetString('![');
    snippet.appendPlaceholder(altTextFromPrompt(record.prompt));
    snippet.appendText(`](${relativeLinkTarget(document.uri.fsPath, record.path)})`);
    const edit = new vscode.DocumentDropEdit(snippet, vscode.l10n.t('Insert Gemini image link'), kind());
    edit.yieldTo = [];
    return edit;
  }
}
