// The automatic model choice from the cached models list alone (no request), for what shows the
// model before anything is sent: the status bar, the panel's options.
import type * as vscode from 'vscode';
import type { Settings } from './config';
import { automaticImageModel, automaticTextModel } from './core/models';
import { ModelListCache } from './gemini/modelLister';

export function withCachedModels(store: vscode.Memento, settings: Settings): Settings {
  if (!settings.modelIsAutomatic && !settings.textModelIsAutomatic) return settings;
  const ids = new ModelListCache(store).get(settings.baseUrl)?.map((m) => m.id);
  const now = new Date();
  return {
    ...settings,
    model: settings.modelIsAutomatic ? automaticImageModel(ids, now) : settings.model,
    textModel: settings.textModelIsAutomatic ? automaticTextModel(ids, now) : settings.textModel,
  };
}
