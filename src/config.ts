// A typed, read-only snapshot of the settings, read fresh for each operation.
import * as vscode from 'vscode';
import type { AspectRatio, AuthStyle, ImageSize } from './gemini/types';
import { ASPECT_RATIOS, DEFAULT_BASE_URL, IMAGE_SIZES } from './gemini/request';
import { automaticImageModel, automaticTextModel, type PriceOverrides, type ThinkingLevel } from './core/models';

const THINKING_LEVELS: readonly string[] = ['minimal', 'low', 'medium', 'high'];
import type { ProxySettings } from './gemini/http';
import { isRestrictedSetting, userOrDefault } from './core/restrictedSettings';

export const SECTION = 'geminiImage';

export interface Settings {
  /** The model id in use: the setting, or the automatic choice (offline: the catalogue's; see modelChoice). */
  readonly model: string;
  /** The setting was empty: the model is chosen for the user. */
  readonly modelIsAutomatic: boolean;
  readonly textModelIsAutomatic: boolean;
  /** Undefined: the model's default. */
  readonly thinkingLevel?: ThinkingLevel;
  readonly priceOverrides: PriceOverrides;
  readonly baseUrl: string;
  readonly authStyle: AuthStyle;
  readonly aspectRatio: AspectRatio;
  readonly imageSize: ImageSize;
  readonly count: number;
  readonly destination: string;
  readonly allowOutsideWorkspace: boolean;
  readonly insertIntoMarkdown: boolean;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly referenceMode: 'auto' | 'files' | 'inline';
  readonly rememberChoices: boolean;
  readonly textModel: string;
  readonly chatModel: string;
  readonly proxy: ProxySettings;
  /** geminiImage.serviceTier for interactive generations (Flex is the docs filler's choice). */
  readonly serviceTier: 'standard' | 'priority';
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = trustAware(vscode.workspace.getConfiguration(SECTION, scope), vscode.workspace.isTrusted);
  const http = vscode.workspace.getConfiguration('http');
  const authStyle = c.get<string>('authStyle', 'x-goog-api-key');
  const aspectRatio = c.get<string>('aspectRatio', '1:1');
  const imageSize = c.get<string>('imageSize', '1K');
  const model = c.get<string>('model', '').trim().replace(/^models\//, '');
  const textModel = c.get<string>('promptWriter.geminiModel', '').trim().replace(/^models\//, '');
  const thinkingLevel = c.get<string>('thinkingLevel', '');
  const prices = c.get<unknown>('pricePerImage', {});
  return {
    model: model || automaticImageModel(undefined, new Date()),
    modelIsAutomatic: !model,
    textModelIsAutomatic: !textModel,
    thinkingLevel: THINKING_LEVELS.includes(thinkingLevel) ? (thinkingLevel as ThinkingLevel) : undefined,
    priceOverrides: prices && typeof prices === 'object' && !Array.isArray(prices) ? (prices as PriceOverrides) : {},
    baseUrl: c.get<string>('baseUrl', DEFAULT_BASE_URL).trim() || DEFAULT_BASE_URL,
    authStyle: authStyle === 'bearer' || authStyle === 'query' ? authStyle : 'x-goog-api-key',
    aspectRatio: (ASPECT_RATIOS as readonly string[]).includes(aspectRatio) ? (aspectRatio as AspectRatio) : '1:1',
    imageSize: (IMAGE_SIZES as readonly string[]).includes(imageSize) ? (imageSize as ImageSize) : '1K',
    count: clamp(c.get<number>('count', 1), 1, 8),
    destination: c.get<string>('destination', ''),
    allowOutsideWorkspace: c.get<boolean>('allowOutsideWorkspace', false),
    insertIntoMarkdown: c.get<boolean>('insertIntoMarkdown', true),
    timeoutMs: clamp(c.get<number>('timeoutSeconds', 300), 5, 1800) * 1000,
    serviceTier: c.get<string>('serviceTier', 'standard') === 'priority' ? 'priority' : 'standard',
    maxRetries: clamp(c.get<number>('maxRetries', 3), 0, 10),
    rememberChoices: c.get<boolean>('rememberChoices', true),
    textModel: textModel || automaticTextModel(undefined, new Date()),
    chatModel: c.get<string>('promptWriter.chatModel', '').trim(),
    referenceMode: ((m) => (m === 'files' || m === 'inline' ? m : 'auto'))(c.get<string>('referenceUpload', 'auto')),
    proxy: {
      proxyUrl: http.get<string>('proxy') || undefined,
      noProxy: http.get<string[]>('noProxy') ?? [],
      strictSSL: http.get<boolean>('proxyStrictSSL', true),
    },
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(Number.isFinite(n) ? n : min)));
}

/**
 * In an untrusted workspace the restricted settings come from the user's settings or the defaults.
 * VS Code already ignores workspace values of `restrictedConfigurations`; this does not rely on it.
 */
export function trustAware(c: vscode.WorkspaceConfiguration, trusted: boolean): Pick<vscode.WorkspaceConfiguration, 'get'> {
  if (trusted) return c;
  return {
    get: <T>(key: string, fallback?: T): T | undefined => (isRestrictedSetting(key) ? userOrDefault(c.inspect<T>(key), fallback) : c.get<T>(key, fallback as T)),
  } as Pick<vscode.WorkspaceConfiguration, 'get'>;
}
