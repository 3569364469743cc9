// Wiring only: build the services, register commands and the panel serializer. No I/O here;
// the HTTP stack loads on the first request.
import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { registerCommands } from './commands';
import { runImageAction } from './commands/panelCommands';
import { closeDispatchers } from './gemini/http';
import { Log } from './log';
import { GalleryStore } from './panel/galleryStore';
import { ImagePanelSerializer, PANEL_VIEW_TYPE } from './panel/imagePanel';
import type { Services } from './services';
import { MarkdownTracker } from './workspace/markdownTracker';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const markdown = new MarkdownTracker();
  const gallery = new GalleryStore(context.workspaceState);
  const services: Services = {
    context,
    keys: new ApiKeyStore(context.secrets),
    log,
    gallery,
    markdown,
    panel: {
      extensionUri: context.extensionUri,
      gallery,
      log,
      onAction: (action, record) => runImageAction(services, action, record),
    },
  };
  context.subscriptions.push(
    log,
    markdown,
    ...registerCommands(services),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ImagePanelSerializer(services.panel)),
  );
}

export function deactivate(): Promise<void> {
  return closeDispatchers();
}
