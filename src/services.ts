// What the commands share, built once on first use. Only what they need: no ExtensionContext.
import type * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import type { ConversationStore } from './gallery/conversationStore';
import type { Gallery } from './gallery/gallery';
import type { Log } from './log';
import type { ReferenceTray } from './panel/referenceTray';
import type { RelayCheck } from './relayCheck';
import type { UploadCache } from './references/uploadCache';
import type { MarkdownTracker } from './workspace/markdownTracker';

export interface Services {
  keys: ApiKeyStore;
  /** Asks before the key leaves when a relay is set where VS Code does not apply it. */
  relay: RelayCheck;
  log: Log;
  gallery: Gallery;
  conversations: ConversationStore;
  uploads: UploadCache;
  references: ReferenceTray;
  markdown: MarkdownTracker;
  /** Workspace storage, for the last choices. */
  workspaceState: vscode.Memento;
  /** Global storage: the models list per endpoint, parameters models refused, notices shown. */
  globalState: vscode.Memento;
  /** The extension's id (for its walkthrough) and version (for the User-Agent). */
  extension: { id: string; version: string };
  /** Private storage for the draft images a refine sends back. */
  draftsDir: string;
}
