// Select Model: the endpoint's image models (every page), the recommended one marked, any id typed
// in; when the list cannot be had, a row says why.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { automaticImageModel, imageModelSpec, knownImageModel, lifecycleAt, type WordOf } from '../core/models';
import { lifecycleLabel } from '../lifecycleText';
import { statusBook, targetOf } from './modelChoice';
import type { Services } from '../services';
import type { Command } from './command';
import { listImageModels } from './modelList';

type Item = vscode.QuickPickItem & { id?: string };

/** The row that clears the setting: the automatic choice, which moves on when a model retires. */
const AUTOMATIC = '\0automatic';
/** Set once a model (or the automatic choice) is picked: the walkthrough's step is done then, not when opened. */
export const MODEL_CHOSEN = 'geminiImage.modelChosen';

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
    const current = settings.modelIsAutomatic ? AUTOMATIC : settings.model;
    const automatic: Item = {
      label: vscode.l10n.t('Automatic (recommended: {0})', recommended),
      description: current === AUTOMATIC ? vscode.l10n.t('current') : undefined,
      detail: vscode.l10n.t('The best model your endpoint lists; it moves on when that model retires.'),
      id: AUTOMATIC,
    };
    const items: Item[] = [automatic, ...choices.models.map((m) => ({ label: m.id, description: describe(m.id, m.displayName, current, recommended, now, wordOf), detail: m.description, id: m.id }))];
    if (choices.failure) {
      items.splice(1, 0, { label: vscode.l10n.t('Could not list models: {0}', choices.failure), kind: vscode.QuickPickItemKind.Separator });
    }
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = vscode.l10n.t('Gemini image model');
    quickPick.placeholder = vscode.l10n.t('Pick a model, or type any model id and press Enter');
    quickPick.items = items;
    quickPick.activeItems = items.filter((i) => i.id === current);
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
    void vscode.commands.executeCommand('setContext', MODEL_CHOSEN, true);
    const config = vscode.workspace.getConfiguration('geminiImage');
    if (chosen === AUTOMATIC) {
      const inspected = config.inspect<string>('model');
      const layers: [unknown, vscode.ConfigurationTarget][] = [
        [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
        [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
        [inspected?.globalValue, vscode.ConfigurationTarget.Global],
      ];
      const cleared = layers.filter(([value]) => value !== undefined).map(([, target]) => target);
      for (const target of cleared) await config.update('model', undefined, target);
      void vscode.window.showInformationMessage(
        cleared.length
          ? vscode.l10n.t('The model is chosen automatically again (now {0}): geminiImage.model was cleared in {1}.', recommended, cleared.map(settingsName).join(', '))
          : vscode.l10n.t('The model is chosen automatically (now {0}); nothing was written.', recommended),
      );
      return;
    }
    const id = chosen.replace(/^models\//, '');
    const target = targetOf('model');
    await config.update('model', id, target);
    void vscode.window.showInformationMessage(vscode.l10n.t('geminiImage.model is now {0}, in {1}. Select Model offers the automatic choice again.', id, settingsName(target)));
  }
}

function settingsName(target: vscode.ConfigurationTarget): string {
  if (target === vscode.ConfigurationTarget.WorkspaceFolder) return vscode.l10n.t('the folder settings');
  if (target === vscode.ConfigurationTarget.Workspace) return vscode.l10n.t('the workspace settings');
  return vscode.l10n.t('your user settings');
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
