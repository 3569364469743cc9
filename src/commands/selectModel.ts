// Select Model: the endpoint's image models, or any id typed in.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import type { Services } from '../services';
import type { Command } from './command';
import { listImageModels } from './modelList';

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
