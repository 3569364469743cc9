// The command line asks the endpoint which models exist, as the editor does: models.list, kept a
// day per endpoint in the cache folder, and what the endpoint said about each model (modelStatus,
// 404s), so a relay's lineup is used as it is and a retirement is told once per run.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { automaticImageModel, lifecycleAt, type EndpointWord } from '../core/models';
import type { GeminiClient } from '../gemini/client';
import { discoverModels, ModelListCache } from '../gemini/modelLister';
import { ModelStatusBook } from '../gemini/modelStatusBook';
import type { KeyValueStore } from '../gemini/storage';
import { writeAtomically } from '../workspace/metadataFiles';

/** A JSON file as a key-value store; a file that cannot be read starts empty (it is only a cache). */
export function fileStore(file: string): KeyValueStore {
  let values: Record<string, unknown> = {};
  try {
    values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    values = {};
  }
  let writing = Promise.resolve();
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    update(key, value) {
      values = { ...values, [key]: value };
      const text = JSON.stringify(values);
      writing = writing.then(async () => {
        mkdirSync(path.dirname(file), { recursive: true });
        await writeAtomically(file, text);
      }).catch(() => undefined);
      return writing;
    },
  };
}

export interface EndpointModels {
  store: KeyValueStore;
  book: ModelStatusBook;
}

/** The store under the cache folder, and a book that warns once per model and run about a retirement. */
export function endpointModels(cacheRoot: string, warn: (text: string) => void): EndpointModels {
  const store = fileStore(path.join(cacheRoot, 'endpoints.json'));
  const told = new Set<string>();
  const book = new ModelStatusBook(store, () => new Date(), (model, word) => {
    const text = retirementWarning(model, word);
    if (text && !told.has(model)) {
      told.add(model);
      warn(text);
    }
  });
  return { store, book };
}

export function retirementWarning(model: string, word: EndpointWord): string | undefined {
  if (!word.retirementTime) return undefined;
  const life = lifecycleAt(model, new Date(), word);
  const day = word.retirementTime.slice(0, 10);
  const instead = life.state === 'retiring' || life.state === 'retired' ? life.replacement : undefined;
  return `warning: ${model} retires on ${day} (the endpoint's modelStatus${word.stage ? `: ${word.stage}` : ''})${instead ? `; ${instead} replaces it` : ''}.`;
}

/** `configured` when one was given; otherwise the first model of the catalogue's order the endpoint lists. */
export async function chooseCliModel(configured: string | undefined, client: GeminiClient, models: EndpointModels, signal?: AbortSignal): Promise<{ model: string; how: string }> {
  if (configured) return { model: configured, how: 'as set' };
  const found = await discoverModels(client, new ModelListCache(models.store), { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000) });
  const listed = 'models' in found ? found.models.map((m) => m.id) : undefined;
  const model = automaticImageModel(listed, new Date(), models.book.wordOf(client.endpoint.baseUrl, listed));
  const how = 'error' in found ? `the catalogue's choice: the endpoint could not list its models (${found.error.message})` : `chosen from the endpoint's models list${found.cached ? ', cached' : ''}`;
  return { model, how };
}
