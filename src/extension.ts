// Wiring only: build the services, register commands, the panel serializer and the providers.
// No I/O here; the HTTP stack loads on the first request.
import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { registerCommands } from './commands';
import { AltTextCodeActionProvider } from './commands/imageCommands';
import { addReferenceFromDialog, generateFromStudio, runImageAction, studioOptions } from './commands/panelCommands';
import { closeDispatchers } from './gemini/http';
import { Log } from './log';
import { ConversationStore } from './panel/conversationStore';
import { GalleryStore } from './panel/galleryStore';
import { ImagePanelSerializer, PANEL_VIEW_TYPE } from './panel/imagePanel';
import { ReferenceTray } from './panel/referenceTray';
import { UploadCache } from './references/uploadCache';
import type { Services } from './services';
import { ModelStatusBar } from './statusBar';
import { GalleryImageDropProvider } from './workspace/imageDropProvider';
import { MarkdownTracker } from './workspace/markdownTracker';

const UPLOAD_CACHE_KEY = 'geminiImage.uploads';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const gallery = new GalleryStore(context.workspaceState);
  const references = new ReferenceTray();
  const uploads = new UploadCache(
    { get: () => context.globalState.get(UPLOAD_CACHE_KEY), set: (value) => Promise.resolve(context.globalState.update(UPLOAD_CACHE_KEY, value)) },
    {
      onFallback: (baseUrl) =>
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no Files API upload route: reference images are sent inside each request instead.', baseUrl)),
    },
  );
  const services: Services = {
    context,
    keys: new ApiKeyStore(context.secrets),
    log,
    gallery,
    conversations: new ConversationStore(context.workspaceState),
    uploads,
    references,
    markdown: new MarkdownTracker(),
    panel: {
      extensionUri: context.extensionUri,
      gallery,
      references,
      log,
      studioOptions: () => studioOptions(services),
      onAction: (action, record) => runImageAction(services, action, record),
      onGenerate: (prompt, choices) => generateFromStudio(services, prompt, choices),
      onAddReference: () => addReferenceFromDialog(services),
    },
  };
  const markdown: vscode.DocumentSelector = { language: 'markdown' };
  context.subscriptions.push(
    log,
    references,
    services.markdown,
    new ModelStatusBar(),
    ...registerCommands(services),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ImagePanelSerializer(services.panel)),
    vscode.languages.registerCodeActionsProvider(markdown, new AltTextCodeActionProvider(), { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite] }),
    vscode.languages.registerDocumentDropEditProvider(markdown, new GalleryImageDropProvider(gallery), GalleryImageDropProvider.metadata()),
  );
}

export function deactivate(): Promise<void> {
  return closeDispatchers();
}
