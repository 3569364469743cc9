// What the commands share. Built once in activate(); nothing here does I/O on construction.
import type * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import type { Log } from './log';
import type { GalleryStore } from './panel/galleryStore';
import type { PanelDeps } from './panel/imagePanel';
import type { MarkdownTracker } from './workspace/markdownTracker';

export interface Services {
  context: vscode.ExtensionContext;
  keys: ApiKeyStore;
  log: Log;
  gallery: GalleryStore;
  markdown: MarkdownTracker;
  panel: PanelDeps;
}
