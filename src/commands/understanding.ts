// Image understanding (Describe Image, Generate Alt Text): the same generateContent, an image part
// and a question, text out. It never writes a file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { imageFormat, MIME_TYPE } from '../core/imageType';
import { StudioError } from '../core/studioError';
import { GeminiError } from '../gemini/errors';
import { buildUnderstandingRequest } from '../gemini/request';
import { memorySink } from '../gemini/responseParser';
import { referencePart, withFreshReferences } from '../references/referenceParts';
import type { Services } from '../services';
import { apiKeyOrAsk, clientFor } from './editorPorts';
import { reportError } from './reportError';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  'zh-cn': 'Simplified Chinese',
  'zh-tw': 'Traditional Chinese',
  ja: 'Japanese',
  ko: 'Korean',
  th: 'Thai',
  vi: 'Vietnamese',
};

/** The language answers are written in: the setting, else VS Code's display language. */
export function answerLanguage(): string {
  const configured = vscode.workspace.getConfiguration('geminiImage').get<string>('altTextLanguage', '').trim();
  if (configured) return configured;
  const lang = vscode.env.language.toLowerCase();
  return LANGUAGE_NAMES[lang] ?? LANGUAGE_NAMES[lang.split('-')[0]] ?? 'English';
}

export function describeQuestion(): string {
  return `Describe this image in a few sentences for a technical document: what it shows, its style and notable details. Answer in ${answerLanguage()}, plain text, no preamble.`;
}

export function altTextQuestion(): string {
  return `Write alt text for this image: one short sentence (at most 125 characters) saying what it shows, for a reader who cannot see it. Answer in ${answerLanguage()} with the alt text only: no quotes, no "Alt text:" prefix, no markdown.`;
}

/** Asks the model about an image file; undefined when the user cancelled or it failed (reported). */
export async function askAboutImage(
  services: Services,
  imagePath: string,
  question: string,
  title: string,
  options: { rethrow?: boolean; cancellation?: vscode.CancellationToken; apiKey?: string } = {},
): Promise<string | undefined> {
  const settings = readSettings(vscode.Uri.file(imagePath));
  const apiKey = options.apiKey ?? (await apiKeyOrAsk(services));
  if (!apiKey) return undefined;
  const client = clientFor(services, settings, apiKey);
  const model = settings.textModel;
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const subscriptions = [token, options.cancellation].map((t) => t?.onCancellationRequested(() => abort.abort()));
      try {
        const name = path.basename(imagePath);
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(imagePath)).then(
          (b) => b,
          (e: unknown) => Promise.reject(new StudioError('fileUnreadable', `Cannot read ${imagePath}: ${(e as Error).message}`, { file: name }, { cause: e })),
        );
        const format = imageFormat(undefined, bytes);
        if (!format || format === 'gif') throw new StudioError('notAnImage', `${imagePath} is not a PNG, JPEG or WebP image.`, { file: name });
        const image = { bytes, mimeType: MIME_TYPE[format], name: path.basename(imagePath) };
        const reply = await withFreshReferences(
          services.uploads,
          async () => [await referencePart(image, { client, cache: services.uploads, mode: settings.referenceMode, signal: abort.signal, log: services.log })],
          ([part]) => client.generateContent(model, buildUnderstandingRequest(question, part), memorySink(), { signal: abort.signal, parse: { thoughtImages: 'discard' } }),
        );
        const text = reply.texts.join('\n').trim();
        if (!text) {
          throw new GeminiError(reply.blockReason ? 'blocked' : 'noText', 'The model gave no text.', { finishReason: reply.finishReason, blockReason: reply.blockReason });
        }
        return text;
      } finally {
        subscriptions.forEach((subscription) => subscription?.dispose());
      }
    });
  } catch (e) {
    if (options.rethrow) throw e;
    await reportError(e, { settings, model, log: services.log });
    return undefined;
  }
}
