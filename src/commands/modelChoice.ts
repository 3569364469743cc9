// The model a generation uses: the setting, or the automatic choice from the endpoint's models
// list (cached a day per endpoint). A configured model that is retiring or retired gets one
// notice offering its replacement; the switch is written where the setting was set. A saved id is
// never rewritten without the user's click.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { automaticImageModel, automaticTextModel, lifecycleAt, type EndpointWord } from '../core/models';
import { discoverModels, ModelListCache } from '../gemini/modelLister';
import { ModelStatusBook } from '../gemini/modelStatusBook';
import type { ModelStatus } from '../gemini/types';
import type { Services } from '../services';
import { clientFor } from './editorPorts';
import type { GenerationDeps } from '../generation/ports';
import { UnsupportedParameterMemory } from '../gemini/unsupportedParameters';

export { withCachedModels } from '../cachedModels';

const NOTICES_KEY = 'geminiImage.retirementNotices';

function modelCache(services: Services): ModelListCache {
  return new ModelListCache(services.globalState);
}

/** What the pipeline needs from the editor to choose, keep and question models. */
export function modelPorts(services: Services, settings: Settings, scope?: vscode.ConfigurationScope): Pick<GenerationDeps, 'parameterMemory' | 'modelCache' | 'statusBook' | 'confirmModel' | 'onModelStatus'> {
  return {
    parameterMemory: new UnsupportedParameterMemory(services.globalState),
    modelCache: modelCache(services),
    statusBook: statusBook(services),
    confirmModel: (model, status, word) => offerReplacement(services, { ...settings, model }, status, scope, word),
    onModelStatus: (model, status) => void offerReplacement(services, { ...settings, model }, status, scope),
  };
}

export function statusBook(services: Services): ModelStatusBook {
  return new ModelStatusBook(services.globalState);
}

/** The endpoint's model ids (cached), or undefined when it cannot list them. */
async function listedIds(services: Services, settings: Settings, apiKey: string): Promise<string[] | undefined> {
  const client = clientFor(services, { ...settings, timeoutMs: 15_000, maxRetries: 0 }, apiKey);
  const found = await discoverModels(client, modelCache(services));
  if ('error' in found) {
    services.log.warn(`Could not list models, using the catalogue's choice: ${found.error.message}`);
    return undefined;
  }
  return found.models.map((m) => m.id);
}

/** Settings with `model` (and `textModel`) resolved against the endpoint's list when automatic. */
export async function withChosenModels(services: Services, settings: Settings, apiKey: string): Promise<Settings> {
  if (!settings.modelIsAutomatic && !settings.textModelIsAutomatic) return settings;
  const ids = await listedIds(services, settings, apiKey);
  const now = new Date();
  const wordOf = statusBook(services).wordOf(settings.baseUrl, ids);
  return {
    ...settings,
    model: settings.modelIsAutomatic ? automaticImageModel(ids, now, wordOf) : settings.model,
    textModel: settings.textModelIsAutomatic ? automaticTextModel(ids, now, wordOf) : settings.textModel,
  };
}

/** Where the model setting's value comes from, so a switch goes to the same place. */
function targetOf(key: string, scope?: vscode.ConfigurationScope): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration('geminiImage', scope).inspect<string>(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

export async function switchModel(id: string, scope?: vscode.ConfigurationScope, key = 'model'): Promise<void> {
  await vscode.workspace.getConfiguration('geminiImage', scope).update(key, id, targetOf(key, scope));
}

/**
 * One notice per model and date: "X stops on D; switch to Y?", or "stopped" once the endpoint
 * confirmed it (a 404, or absent from its list), or what Google announced when a date passed and
 * nothing confirmed it. Resolves to the model to use now: the replacement when the user switched,
 * else the configured one. Only an offer: relays often keep old names as aliases, so the saved id
 * stays unless the user clicks.
 */
export async function offerReplacement(services: Services, settings: Settings, status?: ModelStatus, scope?: vscode.ConfigurationScope, word?: EndpointWord): Promise<string> {
  const model = settings.model;
  if (settings.modelIsAutomatic) return model;
  const now = new Date();
  const heard: EndpointWord = { ...(word ?? statusBook(services).get(settings.baseUrl, model)), ...(status?.modelStage ? { stage: status.modelStage } : {}), ...(status?.retirementTime ? { retirementTime: status.retirementTime } : {}) };
  const life = lifecycleAt(model, now, heard);
  if ((life.state !== 'retired' && life.state !== 'retiring') || !life.shutdown) return model;
  const date = life.shutdown;
  const key = `${model}|${date}`;
  const shown = services.globalState.get<string[]>(NOTICES_KEY, []);
  if (shown.includes(key)) return model;
  await services.globalState.update(NOTICES_KEY, [...shown, key]);
  const replacement = life.replacement;
  const past = life.state === 'retired';
  const text = noticeText(model, date, replacement, past ? 'stopped' : life.overdue ? 'announced' : 'stops', life.state === 'retiring' ? life.announced : undefined);
  const switchTo = replacement ? vscode.l10n.t('Switch to {0}', replacement) : undefined;
  const select = vscode.l10n.t('Select Model');
  const answer = (async () => {
    const picked = await vscode.window.showWarningMessage(text, ...(switchTo ? [switchTo] : []), select);
    if (picked && picked === switchTo && replacement) {
      await switchModel(replacement, scope);
      return replacement;
    }
    if (picked === select) await vscode.commands.executeCommand('geminiImage.selectModel');
    return model;
  })();
  // A model that still answers is used meanwhile; one the endpoint confirmed gone would only fail.
  return past ? answer : model;
}

function noticeText(model: string, date: string, replacement: string | undefined, how: 'stopped' | 'stops' | 'announced', announced?: string): string {
  if (how === 'announced') {
    return replacement
      ? vscode.l10n.t('Google announced on {0} that {1} stops on {2}; it still answers here. Switch to {3}?', announced ?? '', model, date, replacement)
      : vscode.l10n.t('Google announced on {0} that {1} stops on {2}; it still answers here. Pick another model?', announced ?? '', model, date);
  }
  if (how === 'stopped') return replacement ? vscode.l10n.t('{0} stopped on {1}; switch to {2}?', model, date, replacement) : vscode.l10n.t('{0} stopped on {1}; pick another model?', model, date);
  return replacement ? vscode.l10n.t('{0} stops on {1}; switch to {2}?', model, date, replacement) : vscode.l10n.t('{0} stops on {1}; pick another model?', model, date);
}
