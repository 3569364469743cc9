import * as vscode from 'vscode';
import type { Services } from '../services';
import type { Command } from './command';

export class SetApiKeyCommand implements Command {
  readonly id = 'geminiImage.setApiKey';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Gemini API Key'),
      prompt: vscode.l10n.t('Kept in VS Code\'s secret storage, never in settings. For a relay, enter the key the relay gave you.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? (/\s/.test(v.trim()) ? vscode.l10n.t('An API key has no spaces.') : undefined) : vscode.l10n.t('The key cannot be empty.')),
    });
    if (!key) return;
    await this.services.keys.set(key);
    this.services.log.addSecret(key.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini API key saved.'));
  }
}

export class ClearApiKeyCommand implements Command {
  readonly id = 'geminiImage.clearApiKey';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    await this.services.keys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini API key removed from secret storage.'));
  }
}
