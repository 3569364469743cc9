// GET /v1beta/models (paged), GET /v1beta/models/{id}, and which model a generateContent call
// reaches: a relay's alias, a retired id (404 NOT_FOUND, or a retired text id Google re-routes).
import * as errors from './errors';
import type { Exchange } from './exchange';
import { findModel, LISTED_MODELS, modelResource, type ModelInfo } from './models';
import type { ServerState } from './state';

/** Answers the models routes; false when the path is not one of them. */
export function handleModels(ex: Exchange, state: ServerState): boolean {
  const path = ex.url.pathname;
  if (ex.req.method !== 'GET') return false;
  if (path === '/v1beta/models') {
    const status = state.options.modelsListStatus;
    if (status === 404) void ex.sendError(errors.notFound(`The requested URL ${path} was not found on this server.`));
    else if (status === 403) void ex.sendError(errors.permissionDenied());
    else if (status === 500) void ex.sendError(errors.internal());
    else if (state.options.modelsListDelayMs) setTimeout(() => void listModels(ex, state), state.options.modelsListDelayMs);
    else void listModels(ex, state);
    return true;
  }
  const one = /^\/v1beta\/models\/([^/:]+)$/.exec(path);
  if (!one) return false;
  const model = findModel(one[1]);
  if (!model || model.retired) void ex.sendError(errors.notFound(`Model is not found: models/${one[1]} for api version v1beta`));
  else void ex.send(200, JSON.stringify(modelResource(model), null, 2), errors.JSON_TYPE);
  return true;
}

function listModels(ex: Exchange, state: ServerState): Promise<void> {
  const asked = ex.url.searchParams.get('pageSize');
  const size = asked === null ? 50 : Number(asked);
  if (!Number.isInteger(size) || size < 0) return ex.sendError(errors.badRequest(`Invalid value at 'page_size' (TYPE_INT32), "${asked}"`));
  const pageSize = Math.min(state.options.maxModelsPageSize ?? 1000, size === 0 ? 50 : size);
  const token = ex.url.searchParams.get('pageToken') ?? '';
  const start = token === '' ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > LISTED_MODELS.length) return ex.sendError(errors.badRequest('Invalid page token.'));
  const answer: Record<string, unknown> = { models: LISTED_MODELS.slice(start, start + pageSize).map(modelResource) };
  if (start + pageSize < LISTED_MODELS.length) answer.nextPageToken = Buffer.from(String(start + pageSize)).toString('base64url');
  return ex.send(200, JSON.stringify(answer, null, 2), errors.JSON_TYPE);
}

/** The model a generateContent call for `id` reaches, or the 404 Google answers. */
export function generationTarget(id: string, state: ServerState): ModelInfo | errors.ErrorAnswer {
  const aliased = state.options.modelAliases?.[id];
  const model = findModel(aliased ?? id);
  if (!model || !model.methods.includes('generateContent')) return errors.modelNotFound(id);
  if (aliased) return model.retired ? { ...model, retired: false } : model;
  if (model.retired) {
    const successor = model.routedTo ? findModel(model.routedTo) : undefined;
    return successor ?? errors.modelNotFound(id);
  }
  return model;
}
