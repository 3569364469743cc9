// Write Image Prompt from Selection: a language model turns text into an image prompt.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { boundText, sectionAt } from '../core/markdownSection';
import { GeminiError } from '../gemini/errors';
import { writeImagePrompt, writeImagePromptWithChatModel, DEFAULT_SOURCE_MAX_CHARS, type ChatModelLike } from '../gemini/promptWriter';
import type { Services } from '../services';
import { isMarkdown } from '../workspace/markdownInsert';
import type { Command } from './command';
import { askAndGenerate } from './askAndGenerate';
import { apiKeyOrAsk, clientFor } from './editorPorts';
import { withChosenModels } from './modelChoice';
import { reportError } from './reportError';

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
    const { truncated } = boundText(source, DEFAULT_SOURCE_MAX_CHARS);

    let written: string | undefined;
    try {
      written = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing an image prompt…'), cancellable: true },
        async (_p, token) => {
          // The style is asked after the prompt, as Generate Image asks it, and applied to what is written.
          const options = { maxChars: DEFAULT_SOURCE_MAX_CHARS };
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
            const textModel = (await withChosenModels(this.services, settings, apiKey, abort.signal)).textModel;
            return (await writeImagePrompt(clientFor(this.services, settings, apiKey), textModel, source, options, { signal: abort.signal })).prompt;
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (e) {
      await reportError(e, { settings, model: settings.textModel, log: this.services.log });
      return;
    }
    if (!written) return;
    if (truncated) void vscode.window.showInformationMessage(vscode.l10n.t('The text was long: only its first {0} characters were used.', DEFAULT_SOURCE_MAX_CHARS));
    await askAndGenerate(this.services, {
      prefill: written,
      selectionText: source,
      origin: { editor, selection: editor.selection.isEmpty ? undefined : editor.selection, insertLink: true },
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
        if (e instanceof vscode.LanguageModelError) throw new GeminiError('chatRefused', `The chat model refused (${e.code}): ${e.message}`, { serverMessage: e.message, apiStatus: e.code }, { cause: e });
        throw e;
      }
    },
  };
}
