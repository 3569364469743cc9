// Dragging an image from the panel into a markdown editor inserts a link with the prompt as alt
// text, as a snippet so the alt can be edited at once. Drops of anything else get no edit from
// here and stay with VS Code's own markdown providers; for a gallery image this edit yields to
// none of them, since theirs would link the panel's webview URI.
import * as vscode from 'vscode';
import { recordForDrop } from '../core/galleryDrop';
import { altTextFromPrompt, relativeLinkTarget } from '../core/markdownLink';
import type { GalleryRecord } from '../shared/gallery';
import { DROP_EDIT_KIND, GALLERY_MIME } from '../shared/constants';

const kind = () => vscode.DocumentDropOrPasteEditKind.Empty.append(...DROP_EDIT_KIND);

export class GalleryImageDropProvider implements vscode.DocumentDropEditProvider {
  constructor(private readonly gallery: { all(): GalleryRecord[] }) {}

  async provideDocumentDropEdits(document: vscode.TextDocument, _position: vscode.Position, dataTransfer: vscode.DataTransfer, _token?: vscode.CancellationToken): Promise<vscode.DocumentDropEdit | undefined> {
    const id = await dataTransfer.get(GALLERY_MIME)?.asString();
    const uriList = id ? undefined : await dataTransfer.get('text/uri-list')?.asString();
    const record = recordForDrop(this.gallery.all(), { id, uriList });
    if (!record || document.uri.scheme !== 'file') return undefined;
    const snippet = new vscode.SnippetString('![');
    snippet.appendPlaceholder(altTextFromPrompt(record.prompt));
    snippet.appendText(`](${relativeLinkTarget(document.uri.fsPath, record.path)})`);
    const edit = new vscode.DocumentDropEdit(snippet, vscode.l10n.t('Insert Gemini image link'), kind());
    edit.yieldTo = [];
    return edit;
  }
}
