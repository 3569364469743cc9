// Where a model stands, in the user's words, wherever the editor names the model (status bar
// tooltip, Select Model): the endpoint's word first, the catalogue's dated hint otherwise.
import * as vscode from 'vscode';
import { ModelStatusBook } from './gemini/modelStatusBook';
import { lifecycleAt, type EndpointWord, type LifecycleState } from './core/models';

export function lifecycleLabel(life: LifecycleState): string | undefined {
  if (life.state === 'retired') return life.shutdown ? vscode.l10n.t('stopped on {0}', life.shutdown) : vscode.l10n.t('not found on this endpoint');
  if (life.state !== 'retiring') return undefined;
  if (!life.shutdown) return vscode.l10n.t('deprecated');
  if (life.from === 'endpoint' || !life.overdue) return life.from === 'endpoint' ? vscode.l10n.t('retires on {0} (the endpoint says so)', life.shutdown) : vscode.l10n.t('Google announced on {0}: stops {1}', life.announced ?? '', life.shutdown);
  return vscode.l10n.t('Google announced on {0}: stops {1}; it still answers here', life.announced ?? '', life.shutdown);
}

/** The label for `model` on this base URL, from what the endpoint said (kept in `store`) and the catalogue. */
export function modelLifecycleLabel(store: vscode.Memento, baseUrl: string, model: string, word?: EndpointWord): string | undefined {
  return lifecycleLabel(lifecycleAt(model, new Date(), word ?? new ModelStatusBook(store).get(baseUrl, model)));
}
