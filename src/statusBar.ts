// The current model in the status bar, while the panel or a markdown file is in front; a click
// switches models. The tooltip says where the key comes from.
import * as vscode from 'vscode';
import { modelLifecycleLabel } from './lifecycleText';
import type { ApiKeyStore } from './apiKey';
import { withCachedModels } from './cachedModels';
import { readSettings } from './config';
import type { KeySource } from './core/keySource';
import { Disposable } from './disposable';
import { PANEL_VIEW_TYPE } from './panel/viewType';

export class ModelStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('geminiImage.model', vscode.StatusBarAlignment.Right, 100));
  private source: KeySource = 'none';

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly store: vscode.Memento,
  ) {
    super();
    this.item.name = vscode.l10n.t('Gemini Image Model');
    this.item.command = 'geminiImage.selectModel';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.update()));
    this._register(vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()));
    // The automatic choice depends on the endpoint's list, so a new base URL can change it too.
    this._register(vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('geminiImage.model') || e.affectsConfiguration('geminiImage.baseUrl')) && this.update()));
    this._register(keys.onDidChange(() => void this.readSource()));
    // The walkthrough shows its environment variant of the key step on this.
    void vscode.commands.executeCommand('setContext', 'geminiImage.environmentKey', !!keys.environmentKey());
    this.update();
    void this.readSource();
  }

  private async readSource(): Promise<void> {
    this.source = await this.keys.source();
    this.update();
  }

  private update(): void {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    const panelInFront = !!input && input instanceof vscode.TabInputWebview && input.viewType.endsWith(PANEL_VIEW_TYPE);
    const markdownInFront = vscode.window.activeTextEditor?.document.languageId === 'markdown';
    if (!panelInFront && !markdownInFront) {
      this.item.hide();
      return;
    }
    const settings = withCachedModels(this.store, readSettings());
    const model = settings.model;
    this.item.text = `$(file-media) ${model}`;
    const key =
      this.source === 'environment'
        ? vscode.l10n.t('Using GEMINI_API_KEY from the environment.')
        : this.source === 'secretStorage'
          ? vscode.l10n.t('Using the key in VS Code\'s secret storage.')
          : vscode.l10n.t('No key is set.');
    const chosen = settings.modelIsAutomatic
      ? vscode.l10n.t('Gemini image model: {0} (chosen automatically). Click to switch.', model)
      : vscode.l10n.t('Gemini image model: {0}. Click to switch.', model);
    const life = modelLifecycleLabel(this.store, settings.baseUrl, model);
    this.item.tooltip = [chosen, life ? `${model}: ${life}` : undefined, key].filter(Boolean).join('\n');
    this.item.show();
  }
}
