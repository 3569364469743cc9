// The current model in the status bar, while the panel or a markdown file is in front; a click
// switches models.
import * as vscode from 'vscode';
import { readSettings } from './config';
import { PANEL_VIEW_TYPE } from './panel/viewType';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('geminiImage.model', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item.name = vscode.l10n.t('Gemini Image Model');
    this.item.command = 'geminiImage.selectModel';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('geminiImage.model') && this.update()),
    );
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
    const model = readSettings().model;
    this.item.text = `$(file-media) ${model}`;
    this.item.tooltip = vscode.l10n.t('Gemini image model: {0}. Click to switch.', model);
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
