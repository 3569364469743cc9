// Generate Image (palette) and Generate Image from Selection (editor context menu).
import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import type { Services } from '../services';
import { askAndGenerate } from './askAndGenerate';
import type { Command } from './command';
import { apiKeyOrAsk } from './editorPorts';

export class GenerateImageCommand implements Command {
  readonly id: CommandId = 'geminiImage.generate';
  constructor(private readonly services: Services) {}

  /** `prompt` prefills the box (Write Image Prompt, Remix). */
  async execute(prompt?: unknown): Promise<void> {
    await generateFlow(this.services, typeof prompt === 'string' ? prompt : undefined);
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
    await generateFlow(this.services);
  }
}

async function generateFlow(services: Services, prefill?: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor?.selection;
  const selectedText = editor && selection && !selection.isEmpty ? editor.document.getText(selection) : '';
  // Ask for the key before the user types a prompt that would go nowhere.
  const apiKey = await apiKeyOrAsk(services);
  if (!apiKey) return;
  await askAndGenerate(services, { prefill: prefill ?? selectedText, selectionText: selectedText, origin: { editor, selection, insertLink: true, apiKey } });
}
