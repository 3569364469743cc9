// The studio panel: one per window, revived after a reload by the serializer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  parseFromWebview,
  type GalleryImage,
  type GenerationChoices,
  type ImageAction,
  type PendingGeneration,
  type StudioOptions,
  type ToWebview,
} from '../shared/protocol';
import { isInside } from '../core/destination';
import { Disposable } from '../disposable';
import type { Gallery, GalleryView } from '../gallery/gallery';
import type { GalleryRecord } from '../shared/gallery';
import { errorHtml, panelHtml } from './panelHtml';
import { panelStrings } from './panelStrings';
import { ReferenceTray } from './referenceTray';

import { PANEL_VIEW_TYPE } from './viewType';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  gallery: Gallery;
  references: ReferenceTray;
  studioOptions(): StudioOptions;
  onAction(action: ImageAction, record: GalleryRecord): Promise<void>;
  /** The name of the markdown file in front when it links this image (for Use as Alt Text). */
  linkingDocument?(imagePath: string): string | undefined;
  onGenerate(prompt: string, choices: GenerationChoices): Promise<void>;
  onAddReference(): Promise<void>;
  onRemixDrop(file: vscode.Uri): Promise<void>;
  log: { error(message: string): void };
  reportError(error: unknown): Promise<void>;
}

export class ImagePanel extends Disposable implements GalleryView {
  private static current: ImagePanel | undefined;
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

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    focus?: string,
  ) {
    super();
    ImagePanel.current = this;
    this.focus = focus;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    this.updateOptions();
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, vscode.Uri.joinPath, vscode.env.language);
    this._register(deps.gallery.attach(this));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((m) => this.onMessage(m)));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.updateOptions()));
    this._register(deps.references.onDidChange(() => this.sendReferences()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('geminiImage')) void this.post({ type: 'options', options: deps.studioOptions() });
      }),
    );
  }

  /** Shows newly generated images at the top. */
  async showImages(records: GalleryRecord[]): Promise<void> {
    this.updateOptions();
    this.focus = records[0]?.id ?? this.focus;
    await this.post({ type: 'imagesAdded', images: records.map((r) => this.toImage(r)), focus: this.focus });
  }

  async updateImage(record: GalleryRecord): Promise<void> {
    await this.post({ type: 'imageUpdated', image: this.toImage(record) });
  }

  async removeImages(ids: string[]): Promise<void> {
    await this.post({ type: 'imagesRemoved', ids });
  }

  async setPending(pending: PendingGeneration[]): Promise<void> {
    await this.post({ type: 'pending', pending });
  }

  async updatePending(pending: PendingGeneration): Promise<void> {
    await this.post({ type: 'pendingUpdated', pending });
  }

  /** Fills the studio's prompt box (Remix, Copy Prompt to the box). */
  async setPrompt(prompt: string, choices?: Partial<GenerationChoices>): Promise<void> {
    await this.post({ type: 'prompt', prompt, choices });
  }

  async notice(level: 'info' | 'error', text: string): Promise<void> {
    await this.post({ type: 'notice', level, text });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) {
      this.deps.log.error(`Dropped an unexpected message from the panel: ${describeDropped(raw)}`);
      return;
    }
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          await this.sendAll();
          return;
        case 'generate':
          await this.deps.onGenerate(message.prompt, message.choices);
          return;
        case 'addReference':
          await this.deps.onAddReference();
          return;
        case 'removeReference':
          this.deps.references.remove(message.id);
          return;
        case 'remixDrop':
          await this.deps.onRemixDrop(vscode.Uri.parse(message.uri, true));
          return;
        case 'action': {
          const record = this.deps.gallery.get(message.id);
          if (record) await this.deps.onAction(message.action, record);
          return;
        }
      }
    } catch (e) {
      this.deps.log.error(`Panel ${message.type} failed`);
      await this.deps.reportError(e);
    }
  }

  private async sendAll(): Promise<void> {
    const records = await this.deps.gallery.prune(exists);
    this.updateOptions(records);
    await this.post({
      type: 'init',
      images: records.map((r) => this.toImage(r)),
      pending: this.deps.gallery.pending(),
      strings: panelStrings(),
      options: this.deps.studioOptions(),
      references: this.referenceChips(),
      focus: this.focus,
    });
  }

  private referenceChips() {
    return this.deps.references.all().map((item) => ({
      id: item.id,
      name: ReferenceTray.label(item),
      src: this.panel.webview.asWebviewUri(vscode.Uri.file(item.path)).toString(),
    }));
  }

  private async sendReferences(): Promise<void> {
    this.updateOptions();
    await this.post({ type: 'references', references: this.referenceChips() });
  }

  private toImage(record: GalleryRecord): GalleryImage {
    const { path: file, refinable, references, ...shown } = record;
    const uri = vscode.Uri.file(file);
    return {
      ...shown,
      displayPath: vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      src: this.panel.webview.asWebviewUri(uri).toString(),
      canRefine: !!refinable,
      sources: references?.map((p) => ({ name: path.basename(p), src: this.panel.webview.asWebviewUri(vscode.Uri.file(p)).toString() })),
      altTextFor: record.description ? this.deps.linkingDocument?.(file) : undefined,
    };
  }


  /** The webview may load our media and the folders that hold images, nothing else. */
  private updateOptions(records = this.deps.gallery.all()): void {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'media'), vscode.Uri.joinPath(this.deps.extensionUri, 'dist')];
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
    roots.push(...folders);
    const outside = new Set<string>();
    const paths = [...records.map((r) => r.path), ...this.deps.references.all().map((i) => i.path)];
    for (const p of paths) {
      const inside = folders.some((f) => f.scheme === 'file' && isInside(f.fsPath, p));
      if (!inside) outside.add(path.dirname(p));
    }
    roots.push(...[...outside].map((d) => vscode.Uri.file(d)));
    this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
  }

  private async post(message: ToWebview): Promise<void> {
    if (this.ready) await this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (ImagePanel.current === this) ImagePanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}

function describeDropped(raw: unknown): string {
  try {
    return String(JSON.stringify(raw)).slice(0, 200);
  } catch {
    return typeof raw;
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
      panel.webview.options = { enableScripts: false, localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media')] };
      panel.webview.html = errorHtml(panel.webview, this.deps.extensionUri, vscode.Uri.joinPath, vscode.l10n.t('The Gemini Images panel could not be restored. Run "Gemini Image: Show Images" to open it again.'));
    }
  }
}
