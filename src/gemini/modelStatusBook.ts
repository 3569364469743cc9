// What each endpoint said about its models: a reply's modelStatus, a generateContent 404. Kept per
// base URL and model (a relay's lineup is not Google's), so the lifecycle shown and the automatic
// choice follow the endpoint rather than the catalogue's dated hints.
import type { EndpointWord } from '../core/models';
import type { KeyValueStore } from './storage';
import type { ModelStatus } from './types';

const KEY = 'geminiImage.modelStatus';

type Book = Record<string, Record<string, EndpointWord>>;

export function endpointKey(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1beta$/, '');
}

export class ModelStatusBook {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
    /** Told of every modelStatus heard (the CLI warns once per run about a retirement). */
    private readonly onHeard?: (model: string, word: EndpointWord) => void,
  ) {}

  private book(): Book {
    return this.store.get<Book>(KEY) ?? {};
  }

  get(baseUrl: string, model: string): EndpointWord | undefined {
    return this.book()[endpointKey(baseUrl)]?.[model.replace(/^models\//, '')];
  }

  /** The endpoint's word on `model` merged with its models list (absent from it: listed false). */
  wordOf(baseUrl: string, listed?: readonly string[]): (model: string) => EndpointWord | undefined {
    const words = this.book()[endpointKey(baseUrl)] ?? {};
    const ids = listed && listed.length > 0 ? new Set(listed) : undefined;
    return (model) => {
      const word = words[model];
      if (!ids) return word;
      return { ...word, listed: ids.has(model) };
    };
  }

  /** A reply's modelStatus; a reply without one says nothing new (the last word stands). */
  async heard(baseUrl: string, model: string, status: ModelStatus | undefined): Promise<void> {
    if (!status || (!status.modelStage && !status.retirementTime)) return;
    const word: EndpointWord = { at: this.now().toISOString() };
    if (status.modelStage) word.stage = status.modelStage;
    if (status.retirementTime) word.retirementTime = status.retirementTime;
    if (status.message) word.message = status.message.slice(0, 300);
    this.onHeard?.(model.replace(/^models\//, ''), word);
    await this.write(baseUrl, model, word);
  }

  /** generateContent answered 404 for this model on this endpoint. */
  async notFound(baseUrl: string, model: string): Promise<void> {
    await this.write(baseUrl, model, { ...this.get(baseUrl, model), gone: true, at: this.now().toISOString() });
  }

  /** It answered again (a relay restored it): forget the 404. */
  async answered(baseUrl: string, model: string): Promise<void> {
    const word = this.get(baseUrl, model);
    if (word?.gone) await this.write(baseUrl, model, { ...word, gone: undefined });
  }

  private async write(baseUrl: string, model: string, word: EndpointWord): Promise<void> {
    const all = { ...this.book() };
    const key = endpointKey(baseUrl);
    all[key] = { ...all[key], [model.replace(/^models\//, '')]: JSON.parse(JSON.stringify(word)) as EndpointWord };
    await this.store.update(KEY, all);
  }
}
