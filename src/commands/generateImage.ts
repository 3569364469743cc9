// Generate Image (palette) and Generate Image from Selection (editor context menu).
import type { CommandId } from '../commandIds';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { withChosenModels } from './modelChoice';
import { applyStyle } from '../core/styles';
import type { Services } from '../services';
import type { Command } from './command';
import { lastChoices, rememberChoices } from './lastChoices';
import { askPrompt } from './promptInput';
import { apiKeyOrAsk, runGeneration } from './runGeneration';
import { availableStyles, pickStyle } from './styles';
import { NO_STYLE_ID } from '../shared/constants';

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
  // The box names the model that will be used, the automatic choice included.
  const settings = await withChosenModels(services, readSettings(editor?.document.uri), apiKey);

  const state = services.context.workspaceState;
  const last = lastChoices(state, settings);
  const asked = await askPrompt(prefill ?? selectedText, last, settings.model, settings.priceOverrides);
  if (!asked) return;
  const styles = availableStyles(services.log);
  const style = await pickStyle(styles, last.styleId);
  if (style === null) return;
  const applied = applyStyle(style, asked.prompt, selectedText);
  await rememberChoices(state, settings, { ...asked.options, styleId: style?.id ?? NO_STYLE_ID });
  await runGeneration(services, {
    prompt: applied.finalPrompt,
    userPrompt: asked.prompt,
    styleName: applied.styleName,
    choices: asked.options,
    editor,
    selection,
    insertLink: true,
    apiKey,
  });
}


