// The last style, aspect ratio, size and count, remembered per workspace unless turned off.
import type * as vscode from 'vscode';
import type { AspectRatio, ImageSize } from '../gemini/types';
import type { Settings } from '../config';
import { NO_STYLE_ID } from '../shared/constants';

export interface Choices {
  aspectRatio: AspectRatio;
  imageSize: ImageSize;
  count: number;
  styleId: string;
}

const KEY = 'geminiImage.lastChoices';

export function lastChoices(state: vscode.Memento, settings: Settings): Choices {
  const defaults: Choices = { aspectRatio: settings.aspectRatio, imageSize: settings.imageSize, count: settings.count, styleId: NO_STYLE_ID };
  if (!settings.rememberChoices) return defaults;
  return { ...defaults, ...state.get<Partial<Choices>>(KEY, {}) };
}

export async function rememberChoices(state: vscode.Memento, settings: Settings, choices: Choices): Promise<void> {
  if (settings.rememberChoices) await state.update(KEY, choices);
}
