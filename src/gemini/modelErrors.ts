// A 404 for a model says which model, and what replaces it when the catalogue knows: the front end
// offers that switch (and Select Model) instead of a bare "not found".
import { replacementFor } from '../core/models';
import { isGeminiError } from './errors';

export function namingModel(e: unknown, model: string, now: Date): unknown {
  if (isGeminiError(e) && e.kind === 'notFound') {
    e.details.model = model.replace(/^models\//, '');
    e.details.replacement = replacementFor(model, now);
  }
  return e;
}
