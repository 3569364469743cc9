// Select Model: the endpoint's image models (every page), the recommended one marked, any id typed
// in; when the list cannot be had, a row says why.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { automaticImageModel, imageModelSpec, knownImageModel, lifecycleAt, type WordOf } from '../core/models';
import { lifecycleLabel } from '../lifecycleText';
import { statusBook } from './modelChoice';
import type { Services } from '../services';
import type { Command } from './command';
import { listImageModels } from './modelList';

type Item = vscode.QuickPickItem & { id?: string };

export class SelectModelCommand implements Command {
  readonly id = 'geminiImage.selectModel';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const settings = readSettings();
    const apiKey = await this.services.keys.get();
    const choices = await listImageModels(this.services, settings, apiKey);
    const now = new Date();
    const listed = choices.listed?.map((m) => m.id);
    const wordOf = statusBook(this.services).wordOf(settings.baseUrl, listed);
    const recommended = automaticImageModel(listed, now, wordOf);
    const items: Item[] = choices.models.map((m) => ({ label: m.id, description: describe(m.id, m.displayName, settings.model, recommended, now, wordOf), detail: m.description, id: m.id }));
    if (choices.failure) {
      items.unshift({ label: vscode.l10n.t('Could not list models: {0}', choices.failure), kind: vscode.QuickPickItemKind.Separator });
    }
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

function describe(id: string, displayName: string | undefined, current: string, recommended: string, now: Date, wordOf: WordOf): string {
  const marks: string[] = [];
  if (id === recommended) marks.push(vscode.l10n.t('recommended'));
  if (id === current) marks.push(vscode.l10n.t('current'));
  const life = lifecycleLabel(lifecycleAt(id, now, wordOf(id)));
  if (life) marks.push(life);
  const name = displayName ?? knownImageModel(id)?.displayName ?? imageModelSpec(id).displayName;
  return [name === id ? undefined : name, ...marks].filter(Boolean).join(' · ');
}
