// Set API Key checks a key with one cheap call before it replaces the one in use, and says where
// the key in use comes from; Clear API Key says which key is used afterwards.
import * as vscode from 'vscode';
import { GeminiError } from '../gemini/errors';
import { KEY_PAGE_URL, KEY_WORKS_CONTEXT, markKeyWorks } from '../apiKey';
import { readSettings } from '../config';
import type { KeySource } from '../core/keySource';
import { checkApiKey, saveDecision, type KeyCheck } from '../gemini/keyCheck';
import type { Services } from '../services';
import type { Command } from './command';
import { clientFor } from './editorPorts';
import { withCachedModels } from '../cachedModels';
import { describeError, errorContext } from './errorMessages';

export function keySourceText(source: KeySource): string {
  switch (source) {
    case 'secretStorage':
      return vscode.l10n.t('Using the key in VS Code\'s secret storage.');
    case 'environment':
      return vscode.l10n.t('Using GEMINI_API_KEY from the environment.');
    default:
      return vscode.l10n.t('No key is set.');
  }
}

export class SetApiKeyCommand implements Command {
  readonly id = 'geminiImage.setApiKey';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const keys = this.services.keys;
    const source = await keys.source();
    const environmentKey = keys.environmentKey();
    const box = vscode.window.createInputBox();
    const getKey: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('link-external'), tooltip: vscode.l10n.t('Get a key in Google AI Studio') };
    box.title = vscode.l10n.t('Gemini API Key');
    box.password = true;
    box.ignoreFocusOut = true;
    box.buttons = [getKey];
    const intro =
      source === 'environment'
        ? vscode.l10n.t('Using GEMINI_API_KEY from the environment. Enter a key to use instead, or press Enter with the box empty to check the environment\'s key.')
        : vscode.l10n.t('Kept in VS Code\'s secret storage, never in settings. For a relay, enter the key the relay gave you.');
    box.prompt = intro;
    box.placeholder = vscode.l10n.t('Paste the key (get one with the button at the top right)');
    const checked = new Promise<{ key: string; check: KeyCheck } | undefined>((resolve) => {
      box.onDidTriggerButton(() => void vscode.env.openExternal(vscode.Uri.parse(KEY_PAGE_URL)));
      box.onDidChangeValue((v) => {
        box.validationMessage = /\s/.test(v.trim()) ? vscode.l10n.t('An API key has no spaces.') : undefined;
        box.prompt = intro;
      });
      box.onDidAccept(async () => {
        const key = box.value.trim() || (source === 'environment' ? environmentKey : undefined);
        if (!key) {
          box.validationMessage = vscode.l10n.t('The key cannot be empty.');
          return;
        }
        if (/\s/.test(key)) return;
        box.busy = true;
        box.enabled = false;
        box.prompt = vscode.l10n.t('Checking the key with {0}…', readSettings().baseUrl);
        const check = await this.check(key);
        box.busy = false;
        box.enabled = true;
        if (saveDecision(check) === 'askAgain' && check.kind === 'refused') {
          box.prompt = intro;
          box.validationMessage = vscode.l10n.t('The server refused this key: {0}', describeError(check.error, errorContext(readSettings())).text);
          return;
        }
        resolve({ key, check });
        box.hide();
      });
      box.onDidHide(() => resolve(undefined));
    });
    box.show();
    const result = await checked;
    box.dispose();
    if (!result) return;
    await this.finish(result.key, result.check, result.key === environmentKey && !box.value.trim());
  }

  private async check(key: string): Promise<KeyCheck> {
    this.services.keys.seen(key);
    if (!(await this.services.relay.confirm())) return { kind: 'unknown', error: new GeminiError('cancelled', 'Cancelled: the relay settings are not applied here.') };
    const settings = readSettings();
    const client = clientFor(this.services, { ...settings, timeoutMs: 15_000, maxRetries: 0 }, key);
    return checkApiKey(client, undefined, withCachedModels(this.services.globalState, settings).model);
  }

  private async finish(key: string, check: KeyCheck, environment: boolean): Promise<void> {
    if (check.kind === 'works') {
      if (!environment) await this.services.keys.set(key);
      await markKeyWorks();
      void vscode.window.showInformationMessage(environment ? vscode.l10n.t('GEMINI_API_KEY from the environment works.') : vscode.l10n.t('Gemini API key checked and saved.'));
      return;
    }
    if (check.kind !== 'unknown') return;
    this.services.log.warn(`The key could not be checked: ${check.error.message}`);
    const saveAnyway = vscode.l10n.t('Save Anyway');
    const reason = describeError(check.error, errorContext(readSettings())).text;
    if (environment) {
      void vscode.window.showWarningMessage(vscode.l10n.t('GEMINI_API_KEY could not be checked: {0}', reason));
      return;
    }
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('The key could not be checked (a relay may not offer the model list): {0}', reason),
      { modal: true },
      saveAnyway,
    );
    if (picked !== saveAnyway) return;
    await this.services.keys.set(key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini API key saved without a check.'));
  }
}

export class ClearApiKeyCommand implements Command {
  readonly id = 'geminiImage.clearApiKey';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    await this.services.keys.clear();
    const source = await this.services.keys.source();
    await vscode.commands.executeCommand('setContext', KEY_WORKS_CONTEXT, false);
    const now = source === 'environment' ? vscode.l10n.t('Now using GEMINI_API_KEY from the environment.') : vscode.l10n.t('No key is set now: generating asks for one.');
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini API key removed from secret storage. {0}', now));
  }
}
