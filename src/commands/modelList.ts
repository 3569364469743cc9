// The models offered by the model picker: GET /v1beta/models filtered to image models, with the
// known ones when the endpoint cannot list (no key yet, a relay without the route).
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { imageModelsFrom, KNOWN_IMAGE_MODELS, type ModelInfo } from '../core/modelFilter';
import type { Services } from '../services';
import { clientFor } from './editorPorts';

export async function listImageModels(services: Services, settings: Settings, apiKey: string | undefined): Promise<ModelInfo[]> {
  if (!apiKey) return [...KNOWN_IMAGE_MODELS];
  try {
    const client = clientFor(services, { ...settings, timeoutMs: 15_000, maxRetries: 0 }, apiKey);
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing Gemini models…') }, () =>
      client.requestJson({ method: 'GET', path: '/v1beta/models?pageSize=1000' }),
    );
    return imageModelsFrom(answer.body);
  } catch (e) {
    services.log.warn(`Could not list models: ${(e as Error).message}`);
    return [...KNOWN_IMAGE_MODELS];
  }
}
