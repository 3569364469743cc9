// GET /v1beta/models, every page (pageSize and pageToken as query parameters, nextPageToken
// followed), and a one-day cache of the answer per endpoint.
import { listedModels, type ListedModel } from '../core/models';
import type { GeminiClient } from './client';
import { GeminiError } from './errors';
import type { KeyValueStore } from './storage';

const PAGE_SIZE = 1000;
const MAX_PAGES = 50;
const CACHE_KEY = 'geminiImage.modelLists';
export const MODEL_LIST_TTL_MS = 24 * 60 * 60 * 1000;

export interface ListOptions {
  signal?: AbortSignal;
  pageSize?: number;
}

export async function listModels(client: GeminiClient, options: ListOptions = {}): Promise<ListedModel[]> {
  const models: ListedModel[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.requestJson(
      { method: 'GET', path: '/v1beta/models', query: { pageSize: options.pageSize ?? PAGE_SIZE, pageToken } },
      { signal: options.signal },
    );
    const body = answer.body as { models?: unknown; nextPageToken?: unknown } | undefined;
    if (!body || typeof body !== 'object' || (body.models !== undefined && !Array.isArray(body.models))) {
      throw new GeminiError('badResponse', 'The models list is not a ListModelsResponse.', { status: answer.status });
    }
    models.push(...listedModels(body));
    const next = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
    if (!next || seen.has(next)) return models;
    seen.add(next);
    pageToken = next;
  }
  return models;
}

interface CachedList {
  at: number;
  models: ListedModel[];
}

/** The last answer per base URL, kept a day. */
export class ModelListCache {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  private static key(baseUrl: string): string {
    return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1beta$/, '');
  }

  get(baseUrl: string): ListedModel[] | undefined {
    const entry = this.store.get<Record<string, CachedList>>(CACHE_KEY)?.[ModelListCache.key(baseUrl)];
    if (!entry || this.now() - entry.at > MODEL_LIST_TTL_MS || this.now() < entry.at) return undefined;
    return entry.models;
  }

  async set(baseUrl: string, models: ListedModel[]): Promise<void> {
    const all = { ...(this.store.get<Record<string, CachedList>>(CACHE_KEY) ?? {}) };
    all[ModelListCache.key(baseUrl)] = { at: this.now(), models };
    await this.store.update(CACHE_KEY, all);
  }
}

export type Discovery = { models: ListedModel[]; cached: boolean } | { error: GeminiError };

/** The endpoint's models, from the cache when fresh (unless `refresh`); a failure is returned, not cached. */
export async function discoverModels(client: GeminiClient, cache: ModelListCache | undefined, options: ListOptions & { refresh?: boolean } = {}): Promise<Discovery> {
  const baseUrl = client.endpoint.baseUrl;
  const cached = options.refresh ? undefined : cache?.get(baseUrl);
  if (cached) return { models: cached, cached: true };
  try {
    const models = await listModels(client, options);
    await cache?.set(baseUrl, models);
    return { models, cached: false };
  } catch (e) {
    if (e instanceof GeminiError) return { error: e };
    throw e;
  }
}
