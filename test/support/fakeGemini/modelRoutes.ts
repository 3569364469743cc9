// GET /v1beta/models (paged), GET /v1beta/models/{id}, and which model a generateContent call
// reaches: a relay's alias, a retired id (404 NOT_FOUND, or a retired text id Google re-routes).
import * as errors from './errors';
import type { Exchange } from './exchange';
import { findModel, LISTED_MODELS, modelResource, RELAY_LINEUP, type ModelInfo } from './models';
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
    else void listModels(ex, state);
    return true;
  }
  const one = /^\/v1beta\/models\/([^/:]+)$/.exec(path);
  if (!one) return false;
  const model = findModel(one[1]);
  if (!model || model.retired || !inLineup(model.id, state)) void ex.sendError(errors.notFound(`Model is not found: models/${one[1]} for api version v1beta`));
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
  const relay = state.options.lineup === 'relay';
  const listed = relay ? RELAY_LINEUP.map((id) => findModel(id)!) : LISTED_MODELS;
  if (!Number.isInteger(start) || start < 0 || start > listed.length) return ex.sendError(errors.badRequest('Invalid page token.'));
  // A relay's page: names and display names, no methods.
  const resource = relay ? (m: ModelInfo) => ({ name: `models/${m.id}`, displayName: m.displayName }) : modelResource;
  const answer: Record<string, unknown> = { models: listed.slice(start, start + pageSize).map(resource) };
  if (start + pageSize < listed.length) answer.nextPageToken = Buffer.from(String(start + pageSize)).toString('base64url');
  return ex.send(200, JSON.stringify(answer, null, 2), errors.JSON_TYPE);
}

function inLineup(id: string, state: ServerState): boolean {
  return state.options.lineup !== 'relay' || RELAY_LINEUP.includes(id);
}

/** POST models/{id}:countTokens with {contents}: the prompt's tokens, no image made, nothing billed. */
export function handleCountTokens(ex: Exchange, state: ServerState, id: string): Promise<void> {
  const model = generationTarget(id, state);
  if (!('id' in model)) return ex.sendError(model.status === 404 ? errors.modelNotFound(id, 'countTokens') : model);
  const parsed = ex.json();
  const contents = (parsed.value as { contents?: unknown } | undefined)?.contents;
  if (parsed.error || !Array.isArray(contents)) return ex.sendError(errors.badRequest('* CountTokensRequest.contents: contents is not specified\n'));
  const chars = JSON.stringify(contents).length;
  const tokens = Math.max(1, Math.ceil(chars / 4));
  return ex.send(200, JSON.stringify({ totalTokens: tokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }] }, null, 2), errors.JSON_TYPE);
}

/** The model a generateContent call for `id` reaches, or the 404 Google answers. */
export function generationTarget(id: string, state: ServerState): ModelInfo | errors.ErrorAnswer {
  const aliased = state.options.modelAliases?.[id];
  const model = findModel(aliased ?? id);
  if (!model || !model.methods.includes('generateContent') || (!aliased && !inLineup(model.id, state))) return errors.modelNotFound(id);
  if (aliased) return model.retired ? { ...model, retired: false } : model;
  if (model.retired) {
    const successor = model.routedTo ? findModel(model.routedTo) : undefined;
    return successor ?? errors.modelNotFound(id);
  }
  return model;
}
