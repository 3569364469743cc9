// Where a model stands, from two witnesses: the catalogue's dated hints, and what the endpoint
// itself said (a reply's modelStatus, a 404, its models list). The endpoint's word wins; a hint
// whose date has passed is "overdue", never "stopped", until the endpoint confirms it.
import { bareId, knownImageModel, knownTextModel } from './catalogue';
import type { ModelLifecycle } from './types';

/** What one endpoint said about one model, kept per endpoint (gemini/modelStatusBook.ts). */
export interface EndpointWord {
  /** modelStatus.modelStage as sent: PREVIEW, STABLE, LEGACY, DEPRECATED, RETIRED... */
  stage?: string;
  /** modelStatus.retirementTime (RFC 3339). */
  retirementTime?: string;
  message?: string;
  /** generateContent answered 404 for it. */
  gone?: boolean;
  /** false: absent from a models list the endpoint gave; undefined: no list. */
  listed?: boolean;
  /** When we heard it (ISO). */
  at?: string;
}

export type LifecycleState =
  | { state: 'unknown' }
  | { state: 'live'; lifecycle?: ModelLifecycle }
  /** Deprecated, or with a shutdown date; `overdue` when that date passed but nothing confirmed it. */
  | { state: 'retiring'; lifecycle?: ModelLifecycle; shutdown?: string; announced?: string; replacement?: string; from: 'endpoint' | 'catalogue'; overdue: boolean; message?: string }
  | { state: 'retired'; lifecycle?: ModelLifecycle; shutdown?: string; replacement?: string; from: 'endpoint' };

/** Day as YYYY-MM-DD in UTC: shutdown dates are calendar days. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function lifecycleHint(id: string): ModelLifecycle | undefined {
  return (knownImageModel(id) ?? knownTextModel(id))?.lifecycle;
}

/** Deprecated on that day by the catalogue (a deprecation without a date counts from the start). */
export function hintDeprecated(lifecycle: ModelLifecycle, now: Date): boolean {
  return lifecycle.stage === 'deprecated' && (lifecycle.deprecated === undefined || lifecycle.deprecated <= isoDay(now));
}

const LEAVING_STAGES = new Set(['DEPRECATED', 'LEGACY', 'RETIRED']);

/** The endpoint says the model is on its way out (or gone). */
export function endpointRetiring(word: EndpointWord | undefined): boolean {
  return !!word && (word.gone === true || LEAVING_STAGES.has(word.stage ?? '') || !!word.retirementTime);
}

export function lifecycleAt(id: string, now: Date, word?: EndpointWord): LifecycleState {
  const lifecycle = lifecycleHint(id);
  const today = isoDay(now);
  const endpointDate = word?.retirementTime?.slice(0, 10);
  const shutdown = endpointDate ?? lifecycle?.shutdown;
  const replacement = lifecycle ? replacementFor(id, now) : undefined;
  if (word?.gone || word?.stage === 'RETIRED' || (shutdown !== undefined && shutdown <= today && word?.listed === false)) {
    return { state: 'retired', lifecycle, shutdown, replacement, from: 'endpoint' };
  }
  const fromEndpoint = endpointRetiring(word);
  // A stage the endpoint reports as current outweighs a deprecation we wrote down.
  const endpointSaysLive = !!word?.stage && !fromEndpoint;
  const hinted = !!lifecycle && !endpointSaysLive && (lifecycle.shutdown !== undefined || hintDeprecated(lifecycle, now));
  if (fromEndpoint || hinted) {
    return {
      state: 'retiring',
      lifecycle,
      shutdown: fromEndpoint ? (endpointDate ?? lifecycle?.shutdown) : lifecycle?.shutdown,
      announced: fromEndpoint && endpointDate ? undefined : (lifecycle?.announced ?? lifecycle?.checked),
      replacement,
      from: fromEndpoint ? 'endpoint' : 'catalogue',
      overdue: shutdown !== undefined && shutdown <= today,
      ...(word?.message ? { message: word.message } : {}),
    };
  }
  if (!lifecycle && !word?.stage) return { state: 'unknown' };
  return { state: 'live', lifecycle };
}

/**
 * The model to move to: Google's replacement, followed on while that one is itself deprecated or
 * past its announced shutdown, so a user is never sent to a model that is on its way out too.
 */
export function replacementFor(id: string, now: Date): string | undefined {
  let current = lifecycleHint(id)?.replacement;
  const seen = new Set([bareId(id)]);
  while (current && !seen.has(current)) {
    seen.add(current);
    const next = lifecycleHint(current);
    const leaving = next && (hintDeprecated(next, now) || (next.shutdown !== undefined && next.shutdown <= isoDay(now)));
    if (!leaving || !next.replacement) return current;
    current = next.replacement;
  }
  return current;
}

/** True once the catalogue's shutdown day has come (a hint: the endpoint may still answer). */
export function isRetired(id: string, now: Date): boolean {
  const shutdown = lifecycleHint(id)?.shutdown;
  return shutdown !== undefined && shutdown <= isoDay(now);
}

/**
 * How far down the automatic order a model goes for one endpoint: 0 healthy, 1 deprecated (by the
 * endpoint or the catalogue), 2 past its announced shutdown, Infinity gone (the endpoint's 404).
 */
export function demotion(id: string, now: Date, word?: EndpointWord): number {
  if (word?.gone || word?.stage === 'RETIRED') return Infinity;
  const life = lifecycleAt(id, now, word);
  if (life.state === 'retired') return Infinity;
  if (life.state !== 'retiring') return 0;
  return life.overdue ? 2 : 1;
}
