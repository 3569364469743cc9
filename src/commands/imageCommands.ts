// Commands on image files and markdown: Edit / Combine with a prompt, Describe, Remix,
// Generate Alt Text, Select Model, Write Image Prompt from Selection.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { readImageMetadata } from '../core/imageMetadata';
import { decodeTarget, imageLinkAt, isRemoteTarget } from '../core/markdownImageAt';
import { escapeAlt } from '../core/markdownLink';
import { boundText, sectionAt } from '../core/markdownSection';
import { applyStyle } from '../core/styles';
import { GeminiError } from '../gemini/errors';
import { writeImagePrompt, writeImagePromptWithChatModel, DEFAULT_SOURCE_MAX_CHARS, type ChatModelLike } from '../gemini/promptWriter';
import { ImagePanel } from '../panel/imagePanel';
import { maxReferenceImages } from '../references/referenceParts';
import type { Services } from '../services';
import { isMarkdown } from '../workspace/markdownInsert';
import type { Command } from './command';
import { showError } from './errorMessages';
import { lastChoices, rememberChoices } from './lastChoices';
import { askPrompt } from './promptInput';
import { apiKeyOrAsk, createClient, errorActions, errorContext, runGeneration } from './runGeneration';
import { availableStyles, pickStyle } from './styles';
import { altTextQuestion, askAboutImage, describeQuestion } from './understanding';
import { listImageModels } from './modelList';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp)$/i;

/** The explorer passes (clicked, selected[]); the palette passes nothing: ask. */
async function imageUris(clicked: unknown, selected: unknown, many: boolean): Promise<vscode.Uri[] | undefined> {
  const fromExplorer = (Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : []).filter(
    (u): u is vscode.Uri => u instanceof vscode.Uri,
  );
  if (fromExplorer.length) return fromExplorer;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: many,
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked;
}

async function oneImageUri(clicked: unknown): Promise<vscode.Uri | undefined> {
  return (await imageUris(clicked, undefined, false))?.[0];
}

abstract class ReferenceCommand implements Command {
  abstract readonly id: string;
  protected abstract readonly many: boolean;
  constructor(protected readonly services: Services) {}

  async execute(clicked?: unknown, selected?: unknown): Promise<void> {
    const uris = await imageUris(clicked, selected, this.many);
    if (!uris?.length) return;
    const unsupported = uris.filter((u) => !IMAGE_EXTENSIONS.test(u.fsPath));
    if (unsupported.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image.', unsupported.map((u) => path.basename(u.fsPath)).join(', ')));
      return;
    }
    if (!(await apiKeyOrAsk(this.services))) return;
    const settings = readSettings(uris[0]);
    const max = maxReferenceImages(settings.model);
    if (uris.length > max) {
      const go = vscode.l10n.t('Send Anyway');
      const picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} takes at most {1} reference images; {2} are selected. The model may ignore some or refuse.', settings.model, max, uris.length),
        { modal: true },
        go,
      );
      if (picked !== go) return;
    }
    const state = this.services.context.workspaceState;
    const last = lastChoices(state, settings);
    const asked = await askPrompt('', last, settings.model);
    if (!asked) return;
    const style = await pickStyle(availableStyles(this.services.log), last.styleId);
    if (style === null) return;
    const applied = applyStyle(style, asked.prompt);
    await rememberChoices(state, settings, { ...asked.options, styleId: style?.id ?? 'none' });
    await runGeneration(this.services, {
      prompt: applied.finalPrompt,
      userPrompt: asked.prompt,
      styleName: applied.styleName,
      choices: asked.options,
      references: uris.map((u) => u.fsPath),
    });
  }
}

export class EditImageCommand extends ReferenceCommand {
  readonly id = 'geminiImage.editImage';
  protected readonly many = false;
}

export class CombineImagesCommand extends ReferenceCommand {
  readonly id = 'geminiImage.combineImages';
  protected readonly many = true;
}

export class DescribeImageCommand implements Command {
  readonly id = 'geminiImage.describeImage';
  constructor(private readonly services: Services) {}

  async execute(clicked?: unknown): Promise<void> {
    const uri = await oneImageUri(clicked);
    if (!uri) return;
    const text = await askAboutImage(this.services, uri.fsPath, describeQuestion(), vscode.l10n.t('Describing the image…'));
    if (!text) return;
    const record = this.services.gallery.all().find((r) => r.path === uri.fsPath);
    if (record) {
      const updated = await this.services.gallery.update(record.id, { description: text });
      const panel = ImagePanel.createOrShow(this.services.panel, record.id);
      if (updated) await panel.updateImage(updated);
    }
    const copy = vscode.l10n.t('Copy');
    const picked = await vscode.window.showInformationMessage(text, copy);
    if (picked === copy) await vscode.env.clipboard.writeText(text);
  }
}

export class RemixCommand implements Command {
  readonly id = 'geminiImage.remix';
  constructor(private readonly services: Services) {}

  async execute(clicked?: unknown): Promise<void> {
    const uri = await oneImageUri(clicked);
    if (!uri) return;
    await remixFile(this.services, uri);
  }
}

/** Reopens the studio's prompt box with the prompt an image carries. */
export async function remixFile(services: Services, uri: vscode.Uri): Promise<void> {
  const meta = await readImageMetadata(uri.fsPath).catch(() => undefined);
  if (!meta) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no prompt: it was not made by Gemini Image Studio, or its metadata was removed.', path.basename(uri.fsPath)));
    return;
  }
  const panel = ImagePanel.createOrShow(services.panel);
  await panel.setPrompt(meta.userPrompt ?? meta.prompt, meta.aspectRatio ? { aspectRatio: meta.aspectRatio } : undefined);
}

/**
 * A file dropped on the panel: only an image inside a workspace folder (or one the gallery
 * knows) is read; anything else is refused, since the webview's word is not trusted.
 */
export async function remixDropped(services: Services, uri: vscode.Uri): Promise<void> {
  const inWorkspace = uri.scheme === 'file' && !!vscode.workspace.getWorkspaceFolder(uri);
  const known = services.gallery.all().some((r) => r.path === uri.fsPath);
  if (!IMAGE_EXTENSIONS.test(uri.fsPath) || !(inWorkspace || known)) {
    services.log.warn(`Refused a drop on the panel: ${uri.toString()}`);
    await ImagePanel.instance?.notice('error', vscode.l10n.t('Only images in the workspace can be dropped here.'));
    return;
  }
  await remixFile(services, uri);
}

export class GenerateAltTextCommand implements Command {
  readonly id = 'geminiImage.generateAltText';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isMarkdown(editor.document)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an image link (![alt](path)) in a markdown file.'));
      return;
    }
    const position = editor.selection.active;
    const line = editor.document.lineAt(position.line).text;
    const link = imageLinkAt(line, position.character);
    if (!link) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an image link (![alt](path)) in a markdown file.'));
      return;
    }
    if (isRemoteTarget(link.target)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Only images in the workspace can be described, not {0}.', link.target));
      return;
    }
    const target = link.target.startsWith('file:') ? vscode.Uri.parse(link.target).fsPath : path.resolve(path.dirname(editor.document.uri.fsPath), decodeTarget(link.target));
    const version = editor.document.version;
    const text = await askAboutImage(this.services, target, altTextQuestion(), vscode.l10n.t('Writing alt text…'));
    if (!text) return;
    const alt = escapeAlt(text.replace(/\s+/g, ' ').replace(/^["'“”]+|["'“”]+$/g, '').trim());
    const live = vscode.window.visibleTextEditors.find((e) => e.document === editor.document) ?? editor;
    // Only the alt text changes; if the line moved meanwhile, find the link again.
    let range = new vscode.Range(position.line, link.altStart, position.line, link.altEnd);
    if (live.document.version !== version) {
      const again = imageLinkAt(live.document.lineAt(position.line).text, position.character);
      if (!again || again.target !== link.target) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The document changed while the alt text was written; nothing was replaced.'));
        return;
      }
      range = new vscode.Range(position.line, again.altStart, position.line, again.altEnd);
    }
    await live.edit((edit) => edit.replace(range, alt));
  }
}

/** Offers Generate Alt Text on image links in markdown. */
export class AltTextCodeActionProvider implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const link = imageLinkAt(document.lineAt(range.start.line).text, range.start.character);
    if (!link || isRemoteTarget(link.target)) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Generate Alt Text with Gemini'), vscode.CodeActionKind.RefactorRewrite);
    action.command = { command: 'geminiImage.generateAltText', title: action.title };
    return [action];
  }
}

export class SelectModelCommand implements Command {
  readonly id = 'geminiImage.selectModel';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const settings = readSettings();
    const apiKey = await this.services.keys.get();
    const models = await listImageModels(this.services, settings, apiKey);
    type Item = vscode.QuickPickItem & { id?: string };
    const items: Item[] = models.map((m) => ({ label: m.id, description: m.id === settings.model ? vscode.l10n.t('current') : m.displayName, detail: m.description, id: m.id }));
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = vscode.l10n.t('Gemini image model');
    quickPick.placeholder = vscode.l10n.t('Pick a model, or type any model id and press Enter');
    quickPick.items = items;
    quickPick.activeItems = items.filter((i) => i.id === settings.model);
    const chosen = await new Promise<string | undefined>((resolve) => {
      quickPick.onDidAccept(() => {
        const typed = quickPick.value.trim();
        resolve(quickPick.selectedItems[0]?.id ?? (typed || undefined));
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        resolve(undefined);
        quickPick.dispose();
      });
      quickPick.show();
    });
    if (!chosen) return;
    await vscode.workspace.getConfiguration('geminiImage').update('model', chosen.replace(/^models\//, ''), vscode.ConfigurationTarget.Global);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Gemini image model: {0}', chosen), 4000);
  }
}

export class WritePromptFromSelectionCommand implements Command {
  readonly id = 'geminiImage.writePromptFromSelection';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select some text, or put the cursor in a markdown section.'));
      return;
    }
    const document = editor.document;
    let source = editor.selection.isEmpty ? '' : document.getText(editor.selection);
    if (!source.trim() && isMarkdown(document)) source = sectionAt(document.getText(), editor.selection.active.line).text;
    if (!source.trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select some text, or put the cursor in a markdown section.'));
      return;
    }
    const settings = readSettings(document.uri);
    const state = this.services.context.workspaceState;
    const last = lastChoices(state, settings);
    const style = await pickStyle(availableStyles(this.services.log), last.styleId);
    if (style === null) return;
    const { truncated } = boundText(source, DEFAULT_SOURCE_MAX_CHARS);

    let written: string | undefined;
    try {
      written = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing an image prompt…'), cancellable: true },
        async (_p, token) => {
          const options = { style: style ? { name: style.name, prompt: style.prompt } : undefined, maxChars: DEFAULT_SOURCE_MAX_CHARS };
          const chat = await this.chatModel(settings.chatModel);
          if (chat) {
            this.services.log.info(`Writing the prompt with the chat model ${chat.name}`);
            return (await writeImagePromptWithChatModel(adaptChatModel(chat), source, options, token)).prompt;
          }
          const apiKey = await apiKeyOrAsk(this.services);
          if (!apiKey) return undefined;
          const abort = new AbortController();
          const subscription = token.onCancellationRequested(() => abort.abort());
          try {
            return (await writeImagePrompt(createClient(this.services, settings, apiKey), settings.textModel, source, options, { signal: abort.signal })).prompt;
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (e) {
      await showError(e, { ...errorContext(settings), model: settings.textModel }, errorActions(this.services), this.services.log);
      return;
    }
    if (!written) return;
    if (truncated) void vscode.window.showInformationMessage(vscode.l10n.t('The text was long: only its first {0} characters were used.', DEFAULT_SOURCE_MAX_CHARS));
    const asked = await askPrompt(written, last, settings.model);
    if (!asked) return;
    const applied = applyStyle(style, asked.prompt, source);
    await rememberChoices(state, settings, { ...asked.options, styleId: style?.id ?? 'none' });
    await runGeneration(this.services, {
      prompt: applied.finalPrompt,
      userPrompt: asked.prompt,
      styleName: applied.styleName,
      choices: asked.options,
      editor,
      selection: editor.selection.isEmpty ? undefined : editor.selection,
      insertLink: true,
    });
  }

  /** A vscode.lm chat model when the user has one (VS Code asks for consent itself). */
  private async chatModel(preference: string): Promise<vscode.LanguageModelChat | undefined> {
    if (!vscode.lm?.selectChatModels) return undefined;
    try {
      const all = await vscode.lm.selectChatModels(preference ? undefined : {});
      if (!preference) return all[0];
      return all.find((m) => m.id === preference || m.family === preference || m.vendor === preference || m.name === preference);
    } catch (e) {
      this.services.log.warn(`No chat model: ${(e as Error).message}`);
      return undefined;
    }
  }
}

/** vscode.LanguageModelChat seen as the small interface the core uses. */
export function adaptChatModel(model: vscode.LanguageModelChat): ChatModelLike {
  return {
    async sendRequest(messages, token) {
      const cancellation = token && 'onCancellationRequested' in token ? (token as vscode.CancellationToken) : undefined;
      try {
        const response = await model.sendRequest(
          messages.map((m) => (m.role === 'user' ? vscode.LanguageModelChatMessage.User(m.content) : vscode.LanguageModelChatMessage.Assistant(m.content))),
          {},
          cancellation,
        );
        return { text: response.text };
      } catch (e) {
        if (e instanceof vscode.LanguageModelError) throw new GeminiError('permission', e.message);
        throw e;
      }
    },
  };
}
