// Everything but the activation stubs: loaded on the first command, panel restore, code action or
// drop (esbuild keeps it as dist/lazy.js), so activating costs every window next to nothing.
import type { CommandId } from './commandIds';
import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { createCommands, runSafely } from './commands';
import { AltTextCodeActionProvider, linkingDocument } from './commands/altText';
import { remixDropped } from './commands/imageCommands';
import { addReferenceFromDialog, generateFromStudio, runImageAction, studioOptions } from './commands/panelCommands';
import { withCachedModels } from './cachedModels';
import { readSettings } from './config';
import { reportError } from './commands/reportError';
import { Log } from './log';
import { ConversationStore } from './gallery/conversationStore';
import { Gallery } from './gallery/gallery';
import { GalleryStore } from './gallery/galleryStore';
import { ImagePanel, ImagePanelSerializer, type PanelDeps } from './panel/imagePanel';
import { ReferenceTray } from './panel/referenceTray';
import { UploadCache } from './references/uploadCache';
import { RelayCheck } from './relayCheck';
import type { Services } from './services';
import { DescribeImageTool } from './tools/describeImageTool';
import { GenerateImageTool } from './tools/generateImageTool';
import { DESCRIBE_IMAGE_TOOL, GENERATE_IMAGE_TOOL } from './tools/toolNames';
import { GalleryImageDropProvider } from './workspace/imageDropProvider';
import { BatchJobs } from './docsEditor/batchJobs';
import { DocImageDiagnostics } from './docsEditor/docDiagnostics';
import { resumeBatches, type DocsEditor } from './docsEditor/docsCommands';
import { DocImageCodeLens, docImageCodeActions } from './docsEditor/docProviders';
import type { MarkdownTracker } from './workspace/markdownTracker';

export { closeDispatchers } from './gemini/http';

const UPLOAD_CACHE_KEY = 'geminiImage.uploads';

export interface Extension {
  run(id: CommandId, args: unknown[]): Promise<unknown>;
  serializer: ImagePanelSerializer;
  codeActions: AltTextCodeActionProvider;
  drops: GalleryImageDropProvider;
  tools: Record<string, vscode.LanguageModelTool<object>>;
  /** Starts the docs images (diagnostics, CodeLens, pending batch jobs) on first use. */
  startDocs(): DocsEditor;
  docCodeActions(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[];
}

export function createExtension(context: vscode.ExtensionContext, markdown: MarkdownTracker): Extension {
  const log = new Log();
  const references = new ReferenceTray();
  const uploads = new UploadCache(
    { get: () => context.globalState.get(UPLOAD_CACHE_KEY), set: (value) => Promise.resolve(context.globalState.update(UPLOAD_CACHE_KEY, value)) },
    {
      onFallback: (baseUrl) =>
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no Files API upload route: reference images are sent inside each request instead.', baseUrl)),
    },
  );
  // The panel is created on demand and registers itself with the gallery; nothing else knows it.
  // One file per reply under the workspace's storage; those of earlier versions move there from workspace state.
  const draftsDir = vscode.Uri.joinPath(context.globalStorageUri, 'refine').fsPath;
  const conversations = new ConversationStore(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'conversations').fsPath, context.workspaceState, draftsDir);
  const store = new GalleryStore(context.workspaceState, (gone, kept) => conversations.release(gone, kept));
  const gallery = new Gallery(store, (focus) => ImagePanel.createOrShow(panel, focus), conversations);
  const relay = new RelayCheck(log, context.globalStorageUri);
  const services: Services = {
    keys: new ApiKeyStore(context.secrets, log, process.env, () => relay.confirm()),
    relay,
    log,
    gallery,
    conversations,
    uploads,
    references,
    markdown,
    workspaceState: context.workspaceState,
    globalState: context.globalState,
    extension: { id: context.extension.id, version: String(context.extension.packageJSON.version) },
    draftsDir,
  };
  const panel: PanelDeps = {
    extensionUri: context.extensionUri,
    gallery,
    references,
    log,
    studioOptions: () => studioOptions(services),
    onAction: (action, record) => runImageAction(services, action, record),
    linkingDocument: (imagePath) => linkingDocument(services.markdown.document(), imagePath),
    onGenerate: (prompt, choices) => generateFromStudio(services, prompt, choices),
    onAddReference: () => addReferenceFromDialog(services),
    onRemixDrop: (file) => remixDropped(services, file),
    onForgetMissing: async () => void (await vscode.commands.executeCommand('geminiImage.forgetMissingImages')),
    reportError: (e) => reportError(e, { settings: readSettings(), log }),
  };
  context.subscriptions.push(log, references);
  let docs: DocsEditor | undefined;
  const startDocs = (): DocsEditor => {
    if (docs) return docs;
    const diagnostics = new DocImageDiagnostics(log);
    const started: DocsEditor = { diagnostics, batches: new BatchJobs(services, vscode.Uri.joinPath(context.globalStorageUri, 'batches').fsPath, () => diagnostics.refreshAll()) };
    docs = started;
    context.subscriptions.push(diagnostics, started.batches, vscode.languages.registerCodeLensProvider({ language: 'markdown', scheme: 'file' }, new DocImageCodeLens(diagnostics, (uri) => withCachedModels(services.globalState, readSettings(uri)))));
    void resumeBatches(services, started).catch((e: unknown) => log.error(`Resuming batch jobs failed: ${(e as Error)?.message ?? e}`));
    return started;
  };
  const commands = createCommands(services, startDocs);
  return {
    run: (id, args) => {
      const command = commands.get(id);
      return command ? runSafely(services, command, args) : Promise.resolve(undefined);
    },
    serializer: new ImagePanelSerializer(panel),
    codeActions: new AltTextCodeActionProvider(),
    drops: new GalleryImageDropProvider(gallery),
    tools: {
      [GENERATE_IMAGE_TOOL]: new GenerateImageTool(services) as vscode.LanguageModelTool<object>,
      [DESCRIBE_IMAGE_TOOL]: new DescribeImageTool(services) as vscode.LanguageModelTool<object>,
    },
    startDocs,
    docCodeActions: (document, codeContext) => (docs ? docImageCodeActions(document, codeContext) : []),
  };
}
