// The model a generation uses: the setting, or the automatic choice from the endpoint's models
// list (cached a day per endpoint). A configured model that is retiring or retired gets one
// notice offering its replacement; the switch is written where the setting was set. A saved id is
// never rewritten without the user's click.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { automaticImageModel, automaticTextModel, isoDay, lifecycleAt, replacementFor } from '../core/models';
import { discoverModels, ModelListCache } from '../gemini/modelLister';
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
export function modelPorts(services: Services, settings: Settings, scope?: vscode.ConfigurationScope): Pick<GenerationDeps, 'parameterMemory' | 'modelCache' | 'confirmModel' | 'onModelStatus'> {
  return {
    parameterMemory: new UnsupportedParameterMemory(services.globalState),
    modelCache: modelCache(services),
    confirmModel: (model, status) => offerReplacement(services, { ...settings, model }, status, scope),
    onModelStatus: (model, status) => void offerReplacement(services, { ...settings, model }, status, scope),
  };
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
  return {
    ...settings,
    model: settings.modelIsAutomatic ? automaticImageModel(ids, now) : settings.model,
    textModel: settings.textModelIsAutomatic ? automaticTextModel(ids, now) : settings.textModel,
  };
}

/** Where the model setting's value comes from, so a switch goes to the same place. */
export function targetOf(key: string, scope?: vscode.ConfigurationScope): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration('geminiImage', scope).inspect<string>(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

export async function switchModel(id: string, scope?: vscode.ConfigurationScope, key = 'model'): Promise<void> {
  await vscode.workspace.getConfiguration('geminiImage', scope).update(key, id, targetOf(key, scope));
}

/**
 * One notice per model and date: "X stops on D; switch to Y?" (or "stopped"). Resolves to the
 * model to use now: the replacement when the user switched, else the configured one. Only an offer:
 * relays often keep old names as aliases, so the saved id stays unless the user clicks.
 */
export async function offerReplacement(services: Services, settings: Settings, status?: ModelStatus, scope?: vscode.ConfigurationScope): Promise<string> {
  const model = settings.model;
  if (settings.modelIsAutomatic) return model;
  const now = new Date();
  const life = lifecycleAt(model, now);
  let date = status?.retirementTime?.slice(0, 10);
  if (!date && (life.state === 'retired' || life.state === 'retiring')) date = life.shutdown;
  if (!date) return model;
  const key = `${model}|${date}`;
  const shown = services.globalState.get<string[]>(NOTICES_KEY, []);
  if (shown.includes(key)) return model;
  await services.globalState.update(NOTICES_KEY, [...shown, key]);
  const replacement = replacementFor(model, now);
  const past = date <= isoDay(now);
  const text = replacement
    ? past
      ? vscode.l10n.t('{0} stopped on {1}; switch to {2}?', model, date, replacement)
      : vscode.l10n.t('{0} stops on {1}; switch to {2}?', model, date, replacement)
    : past
      ? vscode.l10n.t('{0} stopped on {1}; pick another model?', model, date)
      : vscode.l10n.t('{0} stops on {1}; pick another model?', model, date);
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
  // A model that still answers is used meanwhile; one that stopped would only fail.
  return past ? answer : model;
}
