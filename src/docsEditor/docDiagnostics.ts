// "Image not generated yet" and "Image is older than its prompt" on the image links of open
// markdown documents, kept up to date as the text changes and as image files come and go.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { documentImages, type DocumentImage } from '../docs/documentImages';

export const MISSING_CODE = 'missingImage';
export const STALE_CODE = 'staleImage';
const DELAY_MS = 200;

export interface Analysis {
  version: number;
  root: string;
  items: DocumentImage[];
}

export class DocImageDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('geminiImage.docs'));
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when an analysis changed (for the CodeLens). */
  readonly onDidChange = this.changed.event;

  /** `log`: where a refresh run by a timer or a watcher says it failed (nobody awaits it). */
  constructor(private readonly log?: { warn(message: string): void }) {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.analyses.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
    );
    const images = this._register(vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,webp}'));
    const all = () => this.refreshAll();
    this._register(images.onDidCreate(all));
    this._register(images.onDidChange(all));
    this._register(images.onDidDelete(all));
    this.refreshAll();
  }

  analysis(document: vscode.TextDocument): Analysis | undefined {
    const a = this.analyses.get(document.uri.toString());
    return a && a.version === document.version ? a : undefined;
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  schedule(document: vscode.TextDocument): void {
    if (document.languageId !== 'markdown' || document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.refresh(document).catch((e: unknown) => this.log?.warn(`Checking the image links of ${document.uri.fsPath} failed: ${(e as Error)?.message ?? e}`));
      }, DELAY_MS),
    );
  }

  async refresh(document: vscode.TextDocument): Promise<Analysis | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || document.isClosed || this.isDisposed) return undefined;
    const version = document.version;
    const items = await documentImages(document.uri.fsPath, document.getText(), folder.uri.fsPath);
    if (document.version !== version || document.isClosed || this.isDisposed) return undefined;
    const analysis: Analysis = { version, root: folder.uri.fsPath, items };
    this.analyses.set(document.uri.toString(), analysis);
    this.collection.set(document.uri, items.filter((i) => i.state === 'missing' || i.state === 'stale').map((i) => diagnosticFor(document, i)));
    this.changed.fire();
    return analysis;
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    super.dispose();
  }
}

export function rangeOf(document: vscode.TextDocument, item: DocumentImage): vscode.Range {
  return new vscode.Range(document.positionAt(item.link.start), document.positionAt(item.link.end));
}

function diagnosticFor(document: vscode.TextDocument, item: DocumentImage): vscode.Diagnostic {
  const missing = item.state === 'missing';
  const d = new vscode.Diagnostic(rangeOf(document, item), missing ? vscode.l10n.t('Image not generated yet') : vscode.l10n.t('Image is older than its prompt'), vscode.DiagnosticSeverity.Information);
  d.source = 'Gemini Image';
  d.code = missing ? MISSING_CODE : STALE_CODE;
  return d;
}
