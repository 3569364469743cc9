// The gallery panel: one per window, revived after a reload by the serializer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseFromWebview, type GalleryImage, type ImageAction, type PendingGeneration, type ToWebview } from '../shared/protocol';
import type { GalleryRecord, GalleryStore } from './galleryStore';
import { errorHtml, panelHtml } from './panelHtml';
import { panelStrings } from './panelStrings';

export const PANEL_VIEW_TYPE = 'geminiImage.panel';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  gallery: GalleryStore;
  onAction(action: ImageAction, record: GalleryRecord): Promise<void>;
  log: { error(message: string): void };
}

export class ImagePanel implements vscode.Disposable {
  private static current: ImagePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: PendingGeneration[] = [];
  private ready = false;
  private focus: string | undefined;

  static createOrShow(deps: PanelDeps, focus?: string): ImagePanel {
    if (ImagePanel.current) {
      // Never cover the editor the user works in: move beside it when they share a column.
      const active = vscode.window.activeTextEditor?.viewColumn;
      const sameColumn = active !== undefined && active === ImagePanel.current.panel.viewColumn;
      ImagePanel.current.panel.reveal(sameColumn ? vscode.ViewColumn.Beside : undefined, true);
      if (focus) ImagePanel.current.focus = focus;
      return ImagePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('Gemini Images'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: false },
    );
    return new ImagePanel(panel, deps, focus);
  }

  static revive(panel: vscode.WebviewPanel, deps: PanelDeps): ImagePanel {
    ImagePanel.current?.dispose();
    return new ImagePanel(panel, deps);
  }

  static get instance(): ImagePanel | undefined {
    return ImagePanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    focus?: string,
  ) {
    ImagePanel.current = this;
    this.focus = focus;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    this.updateOptions();
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, vscode.Uri.joinPath, vscode.env.language);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => this.onMessage(m)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.updateOptions()),
    );
  }

  /** Shows newly generated images at the top. */
  async showImages(records: GalleryRecord[]): Promise<void> {
    this.updateOptions();
    this.focus = records[0]?.id ?? this.focus;
    if (this.ready) await this.post({ type: 'imagesAdded', images: records.map((r) => this.toImage(r)), focus: this.focus });
  }

  async setPending(pending: PendingGeneration[]): Promise<void> {
    this.pending = pending;
    if (this.ready) await this.post({ type: 'pending', pending });
  }

  async notice(level: 'info' | 'error', text: string): Promise<void> {
    if (this.ready) await this.post({ type: 'notice', level, text });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) {
      this.deps.log.error(`Dropped an unexpected message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      await this.sendAll();
      return;
    }
    const record = this.deps.gallery.get(message.id);
    if (!record) return;
    await this.deps.onAction(message.action, record);
  }

  private async sendAll(): Promise<void> {
    const records = await this.deps.gallery.prune(exists);
    this.updateOptions(records);
    await this.post({ type: 'init', images: records.map((r) => this.toImage(r)), pending: this.pending, strings: panelStrings(), focus: this.focus });
  }

  private toImage(r: GalleryRecord): GalleryImage {
    const uri = vscode.Uri.file(r.path);
    return {
      id: r.id,
      displayPath: vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1),
      src: this.panel.webview.asWebviewUri(uri).toString(),
      prompt: r.prompt,
      model: r.model,
      aspectRatio: r.aspectRatio,
      imageSize: r.imageSize,
      width: r.width,
      height: r.height,
      byteLength: r.byteLength,
      mimeType: r.mimeType,
      createdAt: r.createdAt,
      texts: r.texts,
    };
  }

  /** The webview may load our media and the folders that hold images, nothing else. */
  private updateOptions(records = this.deps.gallery.all()): void {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'media'), vscode.Uri.joinPath(this.deps.extensionUri, 'dist')];
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
    roots.push(...folders);
    const outside = new Set<string>();
    for (const r of records) {
      const inside = folders.some((f) => f.scheme === 'file' && !path.relative(f.fsPath, r.path).startsWith('..') && !path.isAbsolute(path.relative(f.fsPath, r.path)));
      if (!inside) outside.add(path.dirname(r.path));
    }
    roots.push(...[...outside].map((d) => vscode.Uri.file(d)));
    this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ImagePanel.current === this) ImagePanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(p));
    return true;
  } catch {
    return false;
  }
}

export class ImagePanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly deps: PanelDeps) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    try {
      ImagePanel.revive(panel, this.deps);
    } catch (e) {
      this.deps.log.error(`Could not restore the panel: ${(e as Error).message}`);
      panel.webview.html = errorHtml(vscode.l10n.t('The Gemini Images panel could not be restored. Run "Gemini Image: Show Images" to open it again.'));
    }
  }
}
