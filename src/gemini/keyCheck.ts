// Is a key any good, before it replaces the one in use? One cheap authenticated call (models.list
// with pageSize=1, a real query parameter), then one that exercises generation's auth at no image
// cost (countTokens on the chosen model): Google lists models for an old "Standard" key it then
// refuses to generate with (401 ACCESS_TOKEN_TYPE_UNSUPPORTED).
import type { GeminiClient } from './client';
import { GeminiError } from './errors';
import { apiUrl } from './request';

export type KeyCheck =
  /** The server accepted the key. */
  | { kind: 'works' }
  /** The server refused the key (400 "API key not valid", 401, 403). */
  | { kind: 'refused'; error: GeminiError }
  /** The answer says nothing about the key: a relay without the route, an outage, no network. */
  | { kind: 'unknown'; error: GeminiError };

/** What to do with a key after its check: keep it, ask for another, or let the user decide. */
export function saveDecision(check: KeyCheck): 'save' | 'askAgain' | 'offerSaveAnyway' {
  return check.kind === 'works' ? 'save' : check.kind === 'refused' ? 'askAgain' : 'offerSaveAnyway';
}

export function keyCheckUrl(client: Pick<GeminiClient, 'endpoint'>): URL {
  // Built without the key: the client adds it (header, bearer or ?key=) like for every call.
  const url = apiUrl({ ...client.endpoint, authStyle: 'x-goog-api-key' }, '/v1beta/models');
  url.searchParams.set('pageSize', '1');
  return url;
}

export async function checkApiKey(client: Pick<GeminiClient, 'endpoint' | 'requestJson'>, signal?: AbortSignal, model?: string): Promise<KeyCheck> {
  try {
    const answer = await client.requestJson({ method: 'GET', path: keyCheckUrl(client), auth: true, retryable: () => false }, { signal });
    // A relay that answers anything at all to an unknown route must still look like models.list.
    const models = (answer.body as { models?: unknown } | undefined)?.models;
    if (!Array.isArray(models)) return { kind: 'unknown', error: new GeminiError('badResponse', 'The answer to models.list has no model list.') };
  } catch (e) {
    return judged(e);
  }
  if (!model) return { kind: 'works' };
  try {
    await client.requestJson(
      { method: 'POST', path: `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:countTokens`, body: { contents: [{ role: 'user', parts: [{ text: 'ping' }] }] }, retryable: () => false },
      { signal },
    );
    return { kind: 'works' };
  } catch (e) {
    const check = judged(e);
    // The list worked: a relay without countTokens, or a model it lacks, says nothing against the key.
    return check.kind === 'refused' ? check : { kind: 'works' };
  }
}

function judged(e: unknown): KeyCheck {
  if (!(e instanceof GeminiError)) throw e;
  if (e.kind === 'cancelled') throw e;
  if (e.kind === 'auth' || e.kind === 'permission') return { kind: 'refused', error: e };
  // Rate limited means the key was read and accepted: only its quota is used up.
  if (e.kind === 'rateLimited') return { kind: 'works' };
  return { kind: 'unknown', error: e };
}
