// The last style, aspect ratio, size and count, remembered per workspace unless turned off.
import type * as vscode from 'vscode';
import type { Settings } from '../config';
import type { GenerationChoices } from '../shared/choices';
import { NO_STYLE_ID } from '../shared/constants';

const KEY = 'geminiImage.lastChoices';

export function lastChoices(state: vscode.Memento, settings: Settings): GenerationChoices {
  const defaults: GenerationChoices = { aspectRatio: settings.aspectRatio, imageSize: settings.imageSize, count: settings.count, styleId: NO_STYLE_ID };
  if (!settings.rememberChoices) return defaults;
  return { ...defaults, ...state.get<Partial<GenerationChoices>>(KEY, {}) };
}

export async function rememberChoices(state: vscode.Memento, settings: Settings, choices: GenerationChoices): Promise<void> {
  if (settings.rememberChoices) await state.update(KEY, choices);
}
