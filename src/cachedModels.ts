// The automatic model choice from the cached models list alone (no request), for what shows the
// model before anything is sent: the status bar, the panel's options.
import type * as vscode from 'vscode';
import type { Settings } from './config';
import { automaticImageModel, automaticTextModel } from './core/models';
import { ModelListCache } from './gemini/modelLister';
import { ModelStatusBook } from './gemini/modelStatusBook';

export function withCachedModels(store: vscode.Memento, settings: Settings): Settings {
  if (!settings.modelIsAutomatic && !settings.textModelIsAutomatic) return settings;
  const ids = new ModelListCache(store).get(settings.baseUrl)?.map((m) => m.id);
  const now = new Date();
  const wordOf = new ModelStatusBook(store).wordOf(settings.baseUrl, ids);
  return {
    ...settings,
    model: settings.modelIsAutomatic ? automaticImageModel(ids, now, wordOf) : settings.model,
    textModel: settings.textModelIsAutomatic ? automaticTextModel(ids, now, wordOf) : settings.textModel,
  };
}
