// Activation: small stubs only. Commands, the panel serializer and the markdown providers load
// their implementation (dist/lazy.js, and undici on the first request) when first used.
import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { COMMAND_IDS } from './commandIds';
import { BATCHES_PENDING_FLAG } from './docsEditor/flags';
import type * as Lazy from './lazy';
import { PANEL_VIEW_TYPE } from './panel/viewType';
import { DROP_EDIT_KIND, GALLERY_MIME } from './shared/constants';
import { ModelStatusBar } from './statusBar';
import { TOOL_NAMES } from './tools/toolNames';
import { MarkdownTracker } from './workspace/markdownTracker';

let lazyModule: typeof Lazy | undefined;
let extension: Lazy.Extension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // The last markdown editor must be known from the start, for the panel's Insert.
  const markdown = new MarkdownTracker();
  const load = (): Lazy.Extension => {
    // A plain require: esbuild keeps it as a run-time load of the sibling dist/lazy.js.
    lazyModule ??= require('./lazy') as typeof Lazy;
    extension ??= lazyModule.createExtension(context, markdown);
    return extension;
  };
  const markdownFiles: vscode.DocumentSelector = { language: 'markdown' };
  // The docs images start with the first markdown file that links an image, or when batch jobs
  // were left pending: a look at the open documents and one workspace-state read.
  const linksImages = (d: vscode.TextDocument) => d.languageId === 'markdown' && d.uri.scheme === 'file' && d.getText().includes('![');
  if (vscode.workspace.textDocuments.some(linksImages) || context.workspaceState.get(BATCHES_PENDING_FLAG)) load().startDocs();
  context.subscriptions.push(
    markdown,
    new ModelStatusBar(new ApiKeyStore(context.secrets)),
    ...COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => load().run(id, args))),
    // The chat's tools: the implementation loads when one is about to run, not when chat lists them.
    ...TOOL_NAMES.map((name) =>
      vscode.lm.registerTool<object>(name, {
        prepareInvocation: (options, token) => load().tools[name].prepareInvocation?.(options, token),
        invoke: (options, token) => load().tools[name].invoke(options, token),
      }),
    ),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel) => load().serializer.deserializeWebviewPanel(panel),
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (linksImages(d)) load().startDocs();
    }),
    vscode.languages.registerCodeActionsProvider(
      markdownFiles,
      {
        provideCodeActions: (document, range, codeContext) =>
          /!\[/.test(document.lineAt(range.start.line).text) ? [...load().codeActions.provideCodeActions(document, range), ...load().docCodeActions(document, codeContext)] : [],
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite, vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerDocumentDropEditProvider(
      markdownFiles,
      { provideDocumentDropEdits: (document, position, dataTransfer, token) => load().drops.provideDocumentDropEdits(document, position, dataTransfer, token) },
      { dropMimeTypes: [GALLERY_MIME, 'text/uri-list'], providedDropEditKinds: [vscode.DocumentDropOrPasteEditKind.Empty.append(...DROP_EDIT_KIND)] },
    ),
  );
}

export function deactivate(): Promise<void> | undefined {
  return lazyModule?.closeDispatchers();
}
