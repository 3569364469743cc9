// What the commands share. Built once in activate(); nothing here does I/O on construction.
import type * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import type { Log } from './log';
import type { ConversationStore } from './panel/conversationStore';
import type { GalleryStore } from './panel/galleryStore';
import type { PanelDeps } from './panel/imagePanel';
import type { ReferenceTray } from './panel/referenceTray';
import type { UploadCache } from './references/uploadCache';
import type { MarkdownTracker } from './workspace/markdownTracker';

export interface Services {
  context: vscode.ExtensionContext;
  keys: ApiKeyStore;
  log: Log;
  gallery: GalleryStore;
  conversations: ConversationStore;
  uploads: UploadCache;
  references: ReferenceTray;
  markdown: MarkdownTracker;
  panel: PanelDeps;
}
