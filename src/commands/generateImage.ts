// Generate Image (palette) and Generate Image from Selection (editor context menu).
import * as vscode from 'vscode';
import { readSettings, type Settings } from '../config';
import { DestinationError } from '../core/destination';
import { GeminiClient } from '../gemini/client';
import { buildImageRequest } from '../gemini/request';
import { generateImages, type GeneratedImage } from '../generation/generateImages';
import { ImagePanel } from '../panel/imagePanel';
import type { Services } from '../services';
import { chooseImageTarget, describeDestinationError } from '../workspace/imageDestination';
import { insertImageLinks, isMarkdown } from '../workspace/markdownInsert';
import { showError } from './errorMessages';
import { askPrompt } from './promptInput';
import type { Command } from './command';

export class GenerateImageCommand implements Command {
  readonly id: string = 'geminiImage.generate';
  constructor(private readonly services: Services) {}

  execute(): Promise<void> {
    return generateFlow(this.services, 'palette');
  }
}

export class GenerateFromSelectionCommand implements Command {
  readonly id = 'geminiImage.generateFromSelection';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty || !editor.document.getText(editor.selection).trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select some text to use as the prompt first.'));
      return;
    }
    return generateFlow(this.services, 'selection');
  }
}

let pendingCounter = 0;

async function generateFlow(services: Services, _source: 'palette' | 'selection'): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor?.selection;
  const selectedText = editor && selection && !selection.isEmpty ? editor.document.getText(selection) : '';
  const settings = readSettings(editor?.document.uri);

  const apiKey = await services.keys.get();
  if (!apiKey) {
    const setKey = vscode.l10n.t('Set API Key');
    const picked = await vscode.window.showErrorMessage(vscode.l10n.t('No Gemini API key is set. Set one to generate images (it is kept in VS Code\'s secret storage).'), setKey);
    if (picked === setKey) await vscode.commands.executeCommand('geminiImage.setApiKey');
    return;
  }
  services.log.addSecret(apiKey);

  const asked = await askPrompt(selectedText, { aspectRatio: settings.aspectRatio, imageSize: settings.imageSize, count: settings.count }, settings.model);
  if (!asked) return;
  const { prompt, options } = asked;

  let target;
  try {
    target = await chooseImageTarget(settings, prompt, editor);
  } catch (e) {
    return reportDestinationError(e, services);
  }
  if (!target) return;

  const client = new GeminiClient({
    endpoint: { baseUrl: settings.baseUrl, apiKey, authStyle: settings.authStyle },
    proxy: settings.proxy,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    log: services.log,
    userAgent: `gemini-image-studio/${services.context.extension.packageJSON.version}`,
  });
  const request = buildImageRequest({ prompt, model: settings.model, aspectRatio: options.aspectRatio, imageSize: options.imageSize });
  const pendingId = `p${++pendingCounter}`;
  const panel = ImagePanel.instance;
  await panel?.setPending([{ id: pendingId, prompt, count: options.count }]);

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Gemini Image'), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        const total = options.count;
        let done = 0;
        progress.report({ message: total === 1 ? vscode.l10n.t('Generating an image with {0}…', settings.model) : vscode.l10n.t('Generating {0} images with {1}…', total, settings.model) });
        try {
          return await generateImages({
            client,
            model: settings.model,
            request,
            count: total,
            targetPath: target.targetPath,
            tempDir: target.tempDir,
            signal: abort.signal,
            onImage: () => {
              done++;
              progress.report({ increment: 100 / total, message: vscode.l10n.t('{0} of {1} images saved…', done, total) });
            },
            onRetry: (attempt, delayMs) =>
              progress.report({ message: vscode.l10n.t('Gemini is busy; retry {0} in {1} s…', attempt, Math.ceil(delayMs / 1000)) }),
          });
        } finally {
          subscription.dispose();
        }
      },
    );

    const records = await services.gallery.add(
      result.images.map((image) => ({
        path: image.path,
        prompt,
        model: settings.model,
        aspectRatio: options.aspectRatio,
        imageSize: image.width && image.height ? undefined : options.imageSize,
        width: image.width,
        height: image.height,
        byteLength: image.byteLength,
        mimeType: image.mimeType,
        createdAt: new Date().toISOString(),
        texts: result.texts,
      })),
    );
    services.log.info(`Saved ${result.images.map((i) => i.path).join(', ')}`);

    if (editor && isMarkdown(editor.document) && settings.insertIntoMarkdown && !editor.document.isClosed) {
      await insertIntoSourceEditor(editor, result.images, prompt, selection);
    }
    const shown = ImagePanel.createOrShow(services.panel, records[0]?.id);
    await shown.setPending([]);
    await shown.showImages(records);
    if (result.failures.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} of {1} images failed: {2}', result.failures.length, options.count, result.failures[0].message));
    }
  } catch (e) {
    await ImagePanel.instance?.setPending([]);
    if (e instanceof DestinationError) return reportDestinationError(e, services);
    await showError(e, errorContext(settings), errorActions(services), services.log);
  }
}

async function insertIntoSourceEditor(editor: vscode.TextEditor, images: GeneratedImage[], prompt: string, selection: vscode.Selection | undefined): Promise<void> {
  // The editor object may be stale if the user switched tabs meanwhile; find the live one.
  const live = vscode.window.visibleTextEditors.find((e) => e.document === editor.document) ?? editor;
  await insertImageLinks(live, images.map((i) => ({ path: i.path, prompt })), selection ?? live.selection);
}

function reportDestinationError(e: unknown, services: Services): void {
  if (!(e instanceof DestinationError)) throw e;
  services.log.error(e.message);
  const open = vscode.l10n.t('Open Settings');
  void vscode.window.showErrorMessage(describeDestinationError(e), open).then((picked) => {
    if (picked === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.destination');
  });
}

export function errorContext(settings: Settings) {
  return { model: settings.model, baseUrl: settings.baseUrl, timeoutSeconds: Math.round(settings.timeoutMs / 1000) };
}

export function errorActions(services: Services) {
  return {
    setApiKey: () => vscode.commands.executeCommand('geminiImage.setApiKey'),
    openSettings: (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id),
    showLog: () => services.log.show(),
  };
}
