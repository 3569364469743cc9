// One generation as the user experiences it, whatever started it (palette, selection, the studio,
// regenerate, refine, edit/combine): key, destination, references, progress with Cancel, files,
// metadata, the gallery and the markdown link. Every path through here reports failures itself.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, type Settings } from '../config';
import { DestinationError } from '../core/destination';
import { imageFormat, MIME_TYPE, mimeTypeForPath } from '../core/imageType';
import { isPng, removePngMetadata } from '../core/pngMetadata';
import { GeminiClient } from '../gemini/client';
import { addInstruction, addReply, ConversationError, nextTurnRequest, startConversation, type Conversation, type StoredImage } from '../gemini/conversation';
import { buildImageRequest } from '../gemini/request';
import { UnsupportedParameterMemory } from '../gemini/unsupportedParameters';
import type { AspectRatio, Endpoint, GenerateContentRequest, ImageSize, Part } from '../gemini/types';
import { generateImages, sha256File, type GenerationResult } from '../generation/generateImages';
import type { GalleryRecord } from '../panel/galleryStore';
import { ImagePanel } from '../panel/imagePanel';
import { maxReferenceImages, referenceParts, withFreshReferences, type ReferenceImage } from '../references/referenceParts';
import type { Services } from '../services';
import { chooseImageTarget, describeDestinationError } from '../workspace/imageDestination';
import { insertImageLinks, isMarkdown } from '../workspace/markdownInsert';
import { showError } from './errorMessages';
import { imageUsage } from './imageCost';
import { offerReplacement, switchModel, withChosenModels } from './modelChoice';

export interface GenerationChoicesInput {
  aspectRatio: AspectRatio;
  imageSize: ImageSize;
  count: number;
}

export interface GenerationJob {
  /** The prompt as sent (a style's text included). */
  prompt: string;
  /** What the user typed, for the file name and alt text; defaults to `prompt`. */
  userPrompt?: string;
  styleName?: string;
  choices: GenerationChoicesInput;
  /** The editor the generation belongs to (destination, link insertion). */
  editor?: vscode.TextEditor;
  selection?: vscode.Selection;
  /** Insert a link into `editor` when it is markdown (and the setting allows). */
  insertLink?: boolean;
  /** Reference images (edit / combine), by path. */
  references?: string[];
  /** Continue the conversation of this gallery image with `prompt` as the instruction. */
  refineOf?: GalleryRecord;
  /** The key, when the caller already asked for it (so it is not read twice). */
  apiKey?: string;
}

let pendingCounter = 0;

export async function apiKeyOrAsk(services: Services): Promise<string | undefined> {
  const apiKey = await services.keys.get();
  if (apiKey) {
    services.log.addSecret(apiKey);
    return apiKey;
  }
  const setKey = vscode.l10n.t('Set API Key');
  const walkthrough = vscode.l10n.t('Open Walkthrough');
  const picked = await vscode.window.showErrorMessage(vscode.l10n.t('No Gemini API key is set. Set one to generate images (it is kept in VS Code\'s secret storage).'), setKey, walkthrough);
  if (picked === setKey) await vscode.commands.executeCommand('geminiImage.setApiKey');
  if (picked === walkthrough) await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${services.context.extension.id}#geminiImage.gettingStarted`, false);
  return undefined;
}

export function createClient(services: Services, settings: Settings, apiKey: string): GeminiClient {
  return new GeminiClient({
    endpoint: { baseUrl: settings.baseUrl, apiKey, authStyle: settings.authStyle },
    proxy: settings.proxy,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    log: services.log,
    userAgent: `gemini-image-studio/${services.context.extension.packageJSON.version}`,
    parameterMemory: new UnsupportedParameterMemory(services.context.globalState),
  });
}

export async function runGeneration(services: Services, job: GenerationJob): Promise<GalleryRecord[] | undefined> {
  let settings = readSettings(job.editor?.document.uri);
  const apiKey = job.apiKey ?? (await apiKeyOrAsk(services));
  if (!apiKey) return undefined;
  const userPrompt = job.userPrompt ?? job.prompt;

  try {
    const refine = job.refineOf;
    const conversation = refine ? services.conversations.get(refine.id) : undefined;
    if (refine && !conversation) throw new ConversationError('notRefinable', 'This image has no stored conversation to continue.');
    settings = await withChosenModels(services, settings, apiKey);
    const model = conversation?.model ?? (await offerReplacement(services, settings, undefined, job.editor?.document.uri));
    settings = { ...settings, model };
    if ((job.references?.length ?? 0) > maxReferenceImages(model)) {
      const go = vscode.l10n.t('Send Anyway');
      const picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} takes at most {1} reference images; {2} are selected. The model may ignore some or refuse.', model, maxReferenceImages(model), job.references?.length ?? 0),
        { modal: true },
        go,
      );
      if (picked !== go) return undefined;
    }

    const target = await chooseImageTarget(settings, userPrompt, job.editor);
    if (!target) return undefined;
    const client = createClient(services, settings, apiKey);
    const endpoint = client.endpoint;

    const pendingId = `p${++pendingCounter}`;
    const count = refine ? 1 : job.choices.count;
    await ImagePanel.instance?.setPending([{ id: pendingId, prompt: userPrompt, count }]);
    const draftsRoot = vscode.Uri.joinPath(services.context.globalStorageUri, 'refine').fsPath;
    const conversationKey = randomUUID();

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Gemini Image'), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        let done = 0;
        progress.report({ message: count === 1 ? vscode.l10n.t('Generating an image with {0}…', model) : vscode.l10n.t('Generating {0} images with {1}…', count, model) });
        try {
          const references = await loadReferences(job.references ?? []);
          const partsFor = (): Promise<Part[]> =>
            referenceParts(references, { client, cache: services.uploads, mode: settings.referenceMode, signal: abort.signal, log: services.log });
          const build = async (): Promise<GenerateContentRequest> =>
            conversation
              ? nextTurnRequest(conversation, job.prompt, {
                  endpoint,
                  model,
                  loadImage: loadSentImage,
                })
              : buildImageRequest({ prompt: job.prompt, model, aspectRatio: job.choices.aspectRatio, imageSize: job.choices.imageSize, thinkingLevel: settings.thinkingLevel, references: await partsFor() });
          return await withFreshReferences(services.uploads, build, (request) =>
            generateImages({
              client,
              model,
              request,
              count,
              targetPath: target.targetPath,
              tempDir: target.tempDir,
              draftsDir: path.join(draftsRoot, conversationKey),
              metadataFor: (image) => ({
                version: 1,
                prompt: job.prompt,
                userPrompt: userPrompt !== job.prompt ? userPrompt : undefined,
                model,
                aspectRatio: job.choices.aspectRatio,
                imageSize: image.width && image.height ? `${image.width}x${image.height}` : job.choices.imageSize,
                style: job.styleName,
                createdAt: new Date().toISOString(),
              }),
              signal: abort.signal,
              onImage: () => {
                done++;
                progress.report({ increment: 100 / count, message: vscode.l10n.t('{0} of {1} images saved…', done, count) });
              },
              onRetry: (attempt, delayMs) => progress.report({ message: vscode.l10n.t('Gemini is busy; retry {0} in {1} s…', attempt, Math.ceil(delayMs / 1000)) }),
            }),
          );
        } finally {
          subscription.dispose();
        }
      },
    );

    const records = await recordResult(services, { job, settings, model, endpoint, result, conversation, userPrompt });
    const status = result.replies.find((r) => r.modelStatus?.retirementTime)?.modelStatus;
    if (status && !conversation) void offerReplacement(services, settings, status, job.editor?.document.uri);
    services.log.info(`Saved ${result.images.map((i) => i.path).join(', ')}`);

    if (job.insertLink && job.editor && isMarkdown(job.editor.document) && settings.insertIntoMarkdown && !job.editor.document.isClosed) {
      const live = vscode.window.visibleTextEditors.find((e) => e.document === job.editor?.document) ?? job.editor;
      await insertImageLinks(live, result.images.map((i) => ({ path: i.path, prompt: userPrompt })), job.selection ?? live.selection);
    }
    const panel = ImagePanel.createOrShow(services.panel, records[0]?.id);
    await panel.setPending([]);
    await panel.showImages(records);
    // A first refine makes its source "v1" of the conversation.
    const source = job.refineOf && services.gallery.get(job.refineOf.id);
    if (source) await panel.updateImage(source);
    if (result.failures.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} of {1} images failed: {2}', result.failures.length, count, result.failures[0].message));
    }
    return records;
  } catch (e) {
    await ImagePanel.instance?.setPending([]);
    if (e instanceof DestinationError) {
      services.log.error(e.message);
      const open = vscode.l10n.t('Open Settings');
      if ((await vscode.window.showErrorMessage(describeDestinationError(e), open)) === open) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'geminiImage.destination');
      }
      return undefined;
    }
    if (e instanceof ConversationError) {
      services.log.error(e.message);
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot refine this image: {0}', e.message));
      return undefined;
    }
    await showError(e, errorContext(settings), { ...errorActions(services, job.editor?.document.uri), startOver: job.refineOf && (() => vscode.commands.executeCommand('geminiImage.editImage', vscode.Uri.file(job.refineOf!.path))) }, services.log);
    return undefined;
  }
}

/** An image as the model sent it: the prompt chunks this extension added are taken out again. */
async function loadSentImage(p: string): Promise<Uint8Array> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(p));
  return isPng(bytes) ? removePngMetadata(bytes) : bytes;
}

async function loadReferences(paths: string[]): Promise<ReferenceImage[]> {
  return Promise.all(
    paths.map(async (p) => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(p));
      const format = imageFormat(undefined, bytes);
      if (!format || format === 'gif') throw new Error(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image.', path.basename(p)));
      return { bytes, mimeType: MIME_TYPE[format], name: path.basename(p) };
    }),
  );
}

interface RecordInput {
  job: GenerationJob;
  settings: Settings;
  model: string;
  endpoint: Endpoint;
  result: GenerationResult;
  conversation?: Conversation;
  userPrompt: string;
}

/** Gallery records, PNG metadata and the stored conversation for every image of the result. */
async function recordResult(services: Services, input: RecordInput): Promise<GalleryRecord[]> {
  const { job, model, endpoint, result, userPrompt } = input;
  const createdAt = new Date().toISOString();
  const refine = job.refineOf;
  const records: (Omit<GalleryRecord, 'id'> & { id: string })[] = [];
  for (const reply of result.replies) {
    const stored: StoredImage[] = [];
    for (const image of reply.images) {
      // The hash of the bytes as the model sent them: a refine sends those back (see loadSentImage).
      stored.push({ path: image.path, mimeType: image.mimeType, sha256: image.sha256 ?? (await sha256File(image.path)) });
    }
    let conversation: Conversation | undefined;
    try {
      const base = input.conversation
        ? addInstruction(input.conversation, job.prompt)
        : startConversation({ endpoint, model, prompt: job.prompt, imageConfig: { aspectRatio: job.choices.aspectRatio, imageSize: job.choices.imageSize } });
      // References of the first turn are part of the conversation only when it began with them.
      if (!input.conversation && job.references?.length) {
        base.turns[0] = { ...base.turns[0], references: await Promise.all(job.references.map(async (p) => ({ path: p, mimeType: mimeTypeForPath(p), sha256: await sha256File(p) }))) } as typeof base.turns[0];
      }
      conversation = addReply(base, reply.modelTurn, stored, reply.drafts);
    } catch (e) {
      services.log.warn(`This reply cannot be refined: ${(e as Error).message}`);
    }
    for (const image of reply.images) {
      const id = randomUUID();
      if (conversation) await services.conversations.set(id, conversation);
      records.push({
        id,
        path: image.path,
        prompt: userPrompt,
        model,
        aspectRatio: job.choices.aspectRatio,
        imageSize: image.width && image.height ? undefined : job.choices.imageSize,
        width: image.width,
        height: image.height,
        byteLength: image.byteLength,
        mimeType: image.mimeType,
        createdAt,
        texts: reply.texts,
        styleName: job.styleName,
        sentPrompt: job.prompt !== userPrompt ? job.prompt : undefined,
        conversationId: refine ? (refine.conversationId ?? refine.id) : undefined,
        version: refine ? (refine.version ?? 1) + 1 : undefined,
        refinable: !!conversation,
        references: job.references,
        ...imageUsage(reply, input.settings, model, job.choices.imageSize),
      });
    }
  }
  if (refine && !refine.version) await services.gallery.update(refine.id, { conversationId: refine.id, version: 1 });
  return services.gallery.add(records);
}

export function errorContext(settings: Settings) {
  return { model: settings.model, baseUrl: settings.baseUrl, timeoutSeconds: Math.round(settings.timeoutMs / 1000) };
}

export function errorActions(services: Services, scope?: vscode.ConfigurationScope) {
  return {
    setApiKey: () => vscode.commands.executeCommand('geminiImage.setApiKey'),
    openSettings: (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id),
    showLog: () => services.log.show(),
    selectModel: () => vscode.commands.executeCommand('geminiImage.selectModel'),
    useModel: (id: string) => switchModel(id, scope),
  };
}
