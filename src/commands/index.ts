// Registers every command, each wrapped so a failure logs and shows one clear message instead of
// VS Code's generic "command resulted in an error".
import * as vscode from 'vscode';
import type { Services } from '../services';
import { ClearApiKeyCommand, SetApiKeyCommand } from './apiKeyCommands';
import type { Command } from './command';
import { GenerateFromSelectionCommand, GenerateImageCommand } from './generateImage';
import {
  CombineImagesCommand,
  DescribeImageCommand,
  EditImageCommand,
  GenerateAltTextCommand,
  RemixCommand,
  SelectModelCommand,
  WritePromptFromSelectionCommand,
} from './imageCommands';
import { ShowLogCommand, ShowPanelCommand } from './panelCommands';

export function registerCommands(services: Services): vscode.Disposable[] {
  const commands: Command[] = [
    new GenerateImageCommand(services),
    new GenerateFromSelectionCommand(services),
    new SetApiKeyCommand(services),
    new ClearApiKeyCommand(services),
    new ShowPanelCommand(services),
    new ShowLogCommand(services),
    new EditImageCommand(services),
    new CombineImagesCommand(services),
    new DescribeImageCommand(services),
    new RemixCommand(services),
    new GenerateAltTextCommand(services),
    new SelectModelCommand(services),
    new WritePromptFromSelectionCommand(services),
  ];
  return commands.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      try {
        return await command.execute(...args);
      } catch (e) {
        services.log.error(`${command.id} failed: ${(e as Error)?.stack ?? e}`);
        const show = vscode.l10n.t('Show Log');
        const picked = await vscode.window.showErrorMessage(vscode.l10n.t('Gemini Image: {0}', (e as Error)?.message ?? String(e)), show);
        if (picked === show) services.log.show();
      }
    }),
  );
}
