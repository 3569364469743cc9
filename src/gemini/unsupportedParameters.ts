// A 400 that names a parameter the model does not take (a relay's alias, a model newer than the
// catalogue): the request is sent once more without it, and that is remembered for this model on
// this base URL, so the next request leaves it out from the start.
import { isGeminiError, type GeminiError } from './errors';
import { withoutParameter, type OptionalParameter } from './request';
import type { KeyValueStore } from './storage';
import type { GenerateContentRequest } from './types';

const KEY = 'geminiImage.unsupportedParameters';

const NAMES: readonly [OptionalParameter, RegExp][] = [
  ['imageSize', /image[_ ]?size/i],
  ['aspectRatio', /aspect[_ ]?ratio/i],
  ['thinkingLevel', /thinking[_ ]?(level|config)/i],
  ['serviceTier', /service[_ ]?tier/i],
];

/** The parameter a 400 is about, if it names one that this request carries. */
export function parameterNamedIn(error: GeminiError, request: GenerateContentRequest): OptionalParameter | undefined {
  if (error.kind !== 'badRequest') return undefined;
  const text = `${error.details.serverMessage ?? ''} ${error.message}`;
  for (const [parameter, pattern] of NAMES) {
    if (pattern.test(text) && withoutParameter(request, parameter)) return parameter;
  }
  return undefined;
}

export class UnsupportedParameterMemory {
  constructor(private readonly store: KeyValueStore) {}

  private key(baseUrl: string, model: string): string {
    return `${baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '')}|${model.replace(/^models\//, '')}`;
  }

  omitted(baseUrl: string, model: string): Set<OptionalParameter> {
    const all = this.store.get<Record<string, OptionalParameter[]>>(KEY) ?? {};
    return new Set(all[this.key(baseUrl, model)] ?? []);
  }

  async remember(baseUrl: string, model: string, parameter: OptionalParameter): Promise<void> {
    const all = { ...(this.store.get<Record<string, OptionalParameter[]>>(KEY) ?? {}) };
    const key = this.key(baseUrl, model);
    all[key] = [...new Set([...(all[key] ?? []), parameter])];
    await this.store.update(KEY, all);
  }

  /** Forget what was learned (Select Model, or a user who changed the relay). */
  async forget(baseUrl: string, model: string): Promise<void> {
    const all = { ...(this.store.get<Record<string, OptionalParameter[]>>(KEY) ?? {}) };
    delete all[this.key(baseUrl, model)];
    await this.store.update(KEY, all);
  }
}

/** The request without the parameters remembered as unsupported. */
export function stripRemembered(request: GenerateContentRequest, omitted: ReadonlySet<OptionalParameter>): GenerateContentRequest {
  let current = request;
  for (const parameter of omitted) current = withoutParameter(current, parameter) ?? current;
  return current;
}

/** Sends `first`; after a 400 naming a parameter it carries, tells `onUnsupported` and sends once more without it. */
export async function sendWithParameterFallback<T extends { droppedParameters?: string[] }>(
  first: GenerateContentRequest,
  send: (request: GenerateContentRequest) => Promise<T>,
  onUnsupported: (parameter: OptionalParameter) => Promise<void>,
): Promise<T> {
  try {
    return await send(first);
  } catch (e) {
    const parameter = isGeminiError(e) ? parameterNamedIn(e, first) : undefined;
    const retry = parameter && withoutParameter(first, parameter);
    if (!parameter || !retry) throw e;
    await onUnsupported(parameter);
    const reply = await send(retry);
    reply.droppedParameters = [...(reply.droppedParameters ?? []), parameter];
    return reply;
  }
}
