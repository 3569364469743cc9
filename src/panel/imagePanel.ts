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
import { inlineImage } from '../workspace/outsideImages';
import { ReferenceTray } from './referenceTray';
import { fileExists } from '../workspace/fileExists';

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
  /** The toolbar's "Forget Missing Images". */
  onForgetMissing(): Promise<void>;
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
      if (focus) void ImagePanel.current.moveFocus(focus);
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
    this.focus = records[0]?.id ?? this.focus;
    await this.post({ type: 'imagesAdded', images: await Promise.all(records.map((r) => this.toImage(r))), focus: this.focus });
  }

  /** Puts an image's card in view in an open panel (Describe on an image already shown). */
  async moveFocus(id: string): Promise<void> {
    this.focus = id;
    await this.post({ type: 'imagesAdded', images: [], focus: id });
  }

  async updateImage(record: GalleryRecord): Promise<void> {
    await this.post({ type: 'imageUpdated', image: await this.toImage(record) });
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

  async setHidden(count: number): Promise<void> {
    await this.post({ type: 'hidden', count });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) {
      this.deps.log.error(`Dropped an unexpected message from the panel: ${describeDropped(raw)}`);
      // The composer waits for this after every Generate, even one that was refused.
      if ((raw as { type?: unknown } | undefined)?.type === 'generate') await this.post({ type: 'generateDone' });
      return;
    }
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          await this.sendAll();
          return;
        case 'generate':
          try {
            await this.deps.onGenerate(message.prompt, message.choices);
          } finally {
            await this.post({ type: 'generateDone' });
          }
          return;
        case 'forgetMissing':
          await this.deps.onForgetMissing();
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
      // The message handler's promise is nobody's: a failing report is logged, never left unhandled.
      try {
        await this.deps.reportError(e);
      } catch (failure) {
        this.deps.log.error(`Could not report the failure: ${(failure as Error)?.message ?? failure}`);
      }
    }
  }

  private async sendAll(): Promise<void> {
    const { shown: records, hidden } = await this.deps.gallery.visible(fileExists);
    await this.post({
      type: 'init',
      images: await Promise.all(records.map((r) => this.toImage(r))),
      pending: this.deps.gallery.pending(),
      strings: panelStrings(),
      options: this.deps.studioOptions(),
      references: await this.referenceChips(),
      focus: this.focus,
      hidden,
    });
  }

  private referenceChips() {
    return Promise.all(this.deps.references.all().map(async (item) => ({ id: item.id, name: ReferenceTray.label(item), src: await this.src(item.path) })));
  }

  private async sendReferences(): Promise<void> {
    await this.post({ type: 'references', references: await this.referenceChips() });
  }

  private async toImage(record: GalleryRecord): Promise<GalleryImage> {
    const { path: file, refinable, references, replyId: _reply, ...shown } = record;
    const uri = vscode.Uri.file(file);
    return {
      ...shown,
      displayPath: vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      src: await this.src(file),
      canRefine: !!refinable,
      sources: references && (await Promise.all(references.map(async (p) => ({ name: path.basename(p), src: await this.src(p) })))),
      altTextFor: record.description ? this.deps.linkingDocument?.(file) : undefined,
    };
  }

  /** A workspace file by its webview URI; a file from elsewhere inlined, since the webview may not read outside the workspace. */
  private async src(file: string): Promise<string> {
    if (fileFolders().some((f) => isInside(f, file))) return this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
    return (await inlineImage(file)) ?? '';
  }


  /** The webview may load our media and the workspace folders, nothing else (see src()). */
  private updateOptions(): void {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'media'), vscode.Uri.joinPath(this.deps.extensionUri, 'dist')];
    roots.push(...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri));
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

function fileFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

function describeDropped(raw: unknown): string {
  try {
    return String(JSON.stringify(raw)).slice(0, 200);
  } catch {
    return typeof raw;
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
