// The models offered by the model picker: every page of GET /v1beta/models, filtered to image
// models by the catalogue; when listing fails, the catalogue's live models and the reason why.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { catalogueImageModels, imageModelsFrom, type ListedModel } from '../core/models';
import { isGeminiError } from '../gemini/errors';
import { listModels } from '../gemini/modelLister';
import type { Services } from '../services';
import { describeError } from './errorMessages';
import { clientFor } from './editorPorts';

export interface ModelChoices {
  models: ListedModel[];
  /** Every model the endpoint listed (for the automatic choice), when it answered. */
  listed?: ListedModel[];
  /** Why the endpoint's list is not shown. */
  failure?: string;
}

export async function listImageModels(services: Services, settings: Settings, apiKey: string | undefined): Promise<ModelChoices> {
  if (!apiKey) return { models: catalogueImageModels(new Date()), failure: vscode.l10n.t('no API key is set') };
  try {
    const client = clientFor(services, { ...settings, timeoutMs: 15_000, maxRetries: 0 }, apiKey);
    const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing Gemini models…') }, () => listModels(client));
    return { models: imageModelsFrom(listed), listed };
  } catch (e) {
    services.log.warn(`Could not list models: ${(e as Error).message}`);
    const failure = isGeminiError(e) ? describeError(e, { model: settings.model, baseUrl: settings.baseUrl, timeoutSeconds: 15 }).text : String((e as Error)?.message ?? e);
    return { models: catalogueImageModels(new Date()), failure };
  }
}
