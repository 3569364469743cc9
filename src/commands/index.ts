// Every command object, and the wrapper that makes a failure log and show one clear message
// instead of VS Code's generic "command resulted in an error".
import { readSettings } from '../config';
import type { CommandId } from '../commandIds';
import type { Services } from '../services';
import { ClearApiKeyCommand, SetApiKeyCommand } from './apiKeyCommands';
import type { Command } from './command';
import { GenerateFromSelectionCommand, GenerateImageCommand } from './generateImage';
import { GenerateAltTextCommand } from './altText';
import { CombineImagesCommand, DescribeImageCommand, EditImageCommand, RemixCommand } from './imageCommands';
import { SelectModelCommand } from './selectModel';
import { WritePromptFromSelectionCommand } from './writePrompt';
import { ForgetMissingImagesCommand, ShowLogCommand, ShowPanelCommand } from './panelCommands';
import { GenerateDocImageCommand, GenerateMissingImagesCommand, ShowBatchJobsCommand, type DocsEditor } from '../docsEditor/docsCommands';
import { reportError } from './reportError';

function notStarted(): DocsEditor {
  throw new Error('The docs images were not started.');
}

/** `docs` starts the docs images on first use (the docs commands call it when run). */
export function createCommands(services: Services, docs: () => DocsEditor = notStarted): Map<CommandId, Command> {
  const commands: Command[] = [
    new GenerateDocImageCommand(services, docs),
    new GenerateMissingImagesCommand(services, docs),
    new ShowBatchJobsCommand(services, docs),
    new GenerateImageCommand(services),
    new GenerateFromSelectionCommand(services),
    new SetApiKeyCommand(services),
    new ClearApiKeyCommand(services),
    new ShowPanelCommand(services),
    new ShowLogCommand(services),
    new ForgetMissingImagesCommand(services),
    new EditImageCommand(services),
    new CombineImagesCommand(services),
    new DescribeImageCommand(services),
    new RemixCommand(services),
    new GenerateAltTextCommand(services),
    new SelectModelCommand(services),
    new WritePromptFromSelectionCommand(services),
  ];
  return new Map(commands.map((c) => [c.id, c]));
}

export async function runSafely(services: Services, command: Command, args: unknown[]): Promise<unknown> {
  try {
    return await command.execute(...args);
  } catch (e) {
    services.log.error(`${command.id} failed`);
    await reportError(e, { settings: readSettings(), log: services.log });
    return undefined;
  }
}
