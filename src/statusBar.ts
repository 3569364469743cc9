// The current model in the status bar, while the panel or a markdown file is in front; a click
// switches models.
import * as vscode from 'vscode';
import { withCachedModels } from './cachedModels';
import { readSettings } from './config';
import { Disposable } from './disposable';
import { PANEL_VIEW_TYPE } from './panel/viewType';

export class ModelStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('geminiImage.model', vscode.StatusBarAlignment.Right, 100));

  constructor(private readonly store: vscode.Memento) {
    super();
    this.item.name = vscode.l10n.t('Gemini Image Model');
    this.item.command = 'geminiImage.selectModel';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.update()));
    this._register(vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('geminiImage.model') && this.update()));
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
    this.item.tooltip = settings.modelIsAutomatic
      ? vscode.l10n.t('Gemini image model: {0} (chosen automatically). Click to switch.', model)
      : vscode.l10n.t('Gemini image model: {0}. Click to switch.', model);
    this.item.show();
  }
}
