// One generation, whoever asked for it: prompt and options in, images on disk and gallery records
// out. Everything outside (the key, where files go, progress and Cancel, the gallery, links, the
// stored conversations) comes in through GenerationDeps, so this runs in plain Node.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { GeminiClient } from '../gemini/client';
import { ConversationError, nextTurnRequest, type Conversation } from '../gemini/conversation';
import { automaticImageModel, imageModelSpec, lifecycleAt, type EndpointWord } from '../core/models';
import { GeminiError } from '../gemini/errors';
import { discoverModels, type Discovery } from '../gemini/modelLister';
import { buildImageRequest, withServiceTier } from '../gemini/request';
import type { GenerateContentRequest } from '../gemini/types';
import { maxReferenceImages, referenceParts, withFreshReferences } from '../references/referenceParts';
import { conversationKey, type GalleryRecord } from '../shared/gallery';
import { generateImages, type GenerationResult, type ReplyPreview } from './generateImages';
import type { GenerationDeps, GenerationJob, GenerationOutcome, GenerationSettings, RetryReason } from './ports';
import { recordsFor } from './records';
import { loadReferences, loadSentImage } from './references';

export function createClient(settings: GenerationSettings, apiKey: string, deps: Pick<GenerationDeps, 'log' | 'userAgent' | 'parameterMemory' | 'statusBook'>): GeminiClient {
  return new GeminiClient({
    endpoint: { baseUrl: settings.baseUrl, apiKey, authStyle: settings.authStyle },
    proxy: settings.proxy,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    log: deps.log,
    userAgent: deps.userAgent,
    parameterMemory: deps.parameterMemory,
    streaming: settings.streaming !== false,
    statusBook: deps.statusBook,
  });
}

/** How long listing the models may take before the catalogue's choice is used instead. */
const DISCOVERY_TIMEOUT_MS = 15_000;

/** The endpoint's models list: cached, or listed under the progress notification, which Cancel stops. */
async function listedModels(client: GeminiClient, deps: Pick<GenerationDeps, 'modelCache' | 'progress'>): Promise<Discovery> {
  const cached = deps.modelCache?.get(client.endpoint.baseUrl);
  if (cached) return { models: cached, cached: true };
  return deps.progress.run(async (report, signal) => {
    report({ type: 'choosingModel' });
    const listed = await discoverModels(client, deps.modelCache, { signal: AbortSignal.any([signal, AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)]) });
    if (signal.aborted) throw new GeminiError('cancelled', 'Cancelled.');
    return listed;
  });
}

/**
 * The setting's model, or the first in the catalogue's order that the endpoint lists (cached a
 * day). Listing runs under the progress notification: the user sees it and can cancel it.
 */
export async function chooseModel(settings: GenerationSettings, client: GeminiClient, deps: Pick<GenerationDeps, 'modelCache' | 'confirmModel' | 'log' | 'statusBook' | 'progress'>): Promise<string> {
  if (!settings.modelIsAutomatic) return deps.confirmModel ? deps.confirmModel(settings.model, undefined, await confirmedWord(settings.model, client, deps)) : settings.model;
  const found = await listedModels(client, deps);
  if ('error' in found) deps.log?.warn(`Could not list models, using the catalogue's choice: ${found.error.message}`);
  const listed = 'models' in found ? found.models.map((m) => m.id) : undefined;
  return automaticImageModel(listed, new Date(), deps.statusBook?.wordOf(client.endpoint.baseUrl, listed));
}

/**
 * What the endpoint said about a configured model; when only the catalogue's date has passed, its
 * models list (cached a day) is asked too, so "stopped" is said only when the endpoint confirms it.
 */
async function confirmedWord(model: string, client: GeminiClient, deps: Pick<GenerationDeps, 'modelCache' | 'statusBook' | 'progress'>): Promise<EndpointWord | undefined> {
  const word = deps.statusBook?.get(client.endpoint.baseUrl, model);
  const life = lifecycleAt(model, new Date(), word);
  if (life.state !== 'retiring' || !life.overdue || life.from !== 'catalogue') return word;
  const found = await listedModels(client, deps);
  if (!('models' in found) || found.models.length === 0) return word;
  return { ...word, listed: found.models.some((m) => m.id === model) };
}

/** The options as the request sends them to `model`: a ratio it lacks is not sent, so not recorded either. */
function sentOptions(options: GenerationJob['options'], model: string): GenerationJob['options'] {
  const ratio = options.aspectRatio;
  return { ...options, aspectRatio: ratio && imageModelSpec(model).aspectRatios.includes(ratio) ? ratio : undefined };
}

/**
 * Runs `job`. Undefined when the user stopped it before anything was sent (no key, a declined
 * question or dialog); throws the typed failure otherwise (the gallery hears of it first).
 */
export async function generate(asked: GenerationJob, deps: GenerationDeps): Promise<GenerationOutcome | undefined> {
  const apiKey = await deps.keys.apiKey();
  if (!apiKey) return undefined;
  const refine = asked.refineOf;
  const conversation = refine ? await deps.conversations.get(conversationKey(refine)) : undefined;
  if (refine && !conversation) throw new ConversationError('notRefinable', 'This image has no stored conversation to continue.');
  // A refine is sent with its conversation's ratio and size: its metadata, record and price say those.
  let job = conversation?.imageConfig ? { ...asked, options: { ...asked.options, ...definedOnly(conversation.imageConfig) } } : asked;
  // Asked before anything is sent (the models list included), with the settings' model.
  const askedModel = conversation?.model ?? deps.settings.model;
  const referenceCount = job.references?.length ?? 0;
  const max = maxReferenceImages(askedModel);
  if (referenceCount > max && deps.confirmReferenceLimit && !(await deps.confirmReferenceLimit({ model: askedModel, max, count: referenceCount }))) return undefined;

  const userPrompt = job.userPrompt ?? job.prompt;
  const client = createClient(deps.settings, apiKey, deps);
  // The model is settled before a destination that names it (`${model}`) is resolved, once.
  let chosen: Promise<string> | undefined;
  const chooseOnce = () => (chosen ??= conversation ? Promise.resolve(conversation.model) : chooseModel(deps.settings, client, deps));
  const target = await deps.targets.choose(userPrompt, chooseOnce);
  if (!target) return undefined;
  const model = await chooseOnce();
  job = { ...job, options: sentOptions(job.options, model) };
  const count = refine ? 1 : job.options.count;
  const pendingId = randomUUID();
  deps.gallery.addPending(pendingId, { prompt: userPrompt, count });
  let outcome: GenerationOutcome;
  try {
    const result = await deps.progress.run(async (report, signal) => {
      report({ type: 'started', count, model });
      const references = await loadReferences(job.references ?? []);
      const build = async (): Promise<GenerateContentRequest> =>
        conversation
          ? withServiceTier(await nextTurnRequest(conversation, job.prompt, { endpoint: client.endpoint, model, loadImage: loadSentImage }), model, deps.settings.serviceTier)
          : buildImageRequest({
              prompt: job.prompt,
              model,
              aspectRatio: job.options.aspectRatio,
              imageSize: job.options.imageSize,
              thinkingLevel: deps.settings.thinkingLevel,
              serviceTier: deps.settings.serviceTier,
              references: await referenceParts(references, { client, cache: deps.uploads, mode: deps.settings.referenceMode, signal, log: deps.log }),
            });
      let done = 0;
      return withFreshReferences(deps.uploads, build, (request) =>
        generateImages({
          client,
          model,
          request,
          count,
          targetPath: target.targetPath,
          tempDir: target.tempDir,
          draftsDir: join(deps.draftsDir, randomUUID()),
          metadataFor: (image) => ({
            version: 1,
            prompt: job.prompt,
            userPrompt: userPrompt !== job.prompt ? userPrompt : undefined,
            model,
            aspectRatio: job.options.aspectRatio,
            imageSize: job.options.imageSize,
            width: image.width,
            height: image.height,
            style: job.styleName,
            sources: [...(job.sourceNames ?? job.references?.map((r) => basename(r)) ?? [])],
            createdAt: new Date().toISOString(),
          }),
          signal,
          preview: previewFor(pendingId, deps),
          onImage: () => report({ type: 'saved', done: ++done, count }),
          onRetry: (attempt, delayMs, error) => report({ type: 'retry', attempt, delayMs, reason: retryReason(error.code), status: error.details.status }),
        }),
      );
    });
    outcome = await finish(job, deps, { pendingId, model, client, conversation, result, count });
  } catch (e) {
    deps.gallery.failPending(pendingId, e);
    throw e;
  }
  // Recorded first, linked after: an editor closed meanwhile costs the link, never the records.
  await deps.links?.insert(outcome.records.map((r) => ({ path: r.path, prompt: r.prompt })));
  return outcome;
}

function retryReason(code: string): RetryReason | undefined {
  return code === 'rateLimited' || code === 'server' || code === 'proxy' || code === 'network' ? code : undefined;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A draft bigger than this is not shown: the card shows it scaled down anyway. */
const MAX_DRAFT_BYTES = 8 * 1024 * 1024;

/** Drafts and words go to the pending card, when the gallery shows them. */
function previewFor(pendingId: string, deps: GenerationDeps): ReplyPreview | undefined {
  const { gallery, log } = deps;
  if (!gallery.draftPending && !gallery.textPending) return undefined;
  return {
    onDraft: async (index, draft) => {
      try {
        const { size } = await fs.stat(draft.path);
        if (size > MAX_DRAFT_BYTES) return;
        gallery.draftPending?.(pendingId, { index, mimeType: draft.mimeType, bytes: await fs.readFile(draft.path) });
      } catch (e) {
        log?.warn(`Could not show a draft image: ${(e as Error).message}`);
      }
    },
    onText: (index, text) => gallery.textPending?.(pendingId, index, text),
  };
}

interface Finished {
  pendingId: string;
  model: string;
  client: GeminiClient;
  conversation: Conversation | undefined;
  result: GenerationResult;
  count: number;
}

async function finish(job: GenerationJob, deps: GenerationDeps, f: Finished): Promise<GenerationOutcome> {
  const records = await recordsFor({ job, model: f.model, endpoint: f.client.endpoint, result: f.result, conversation: f.conversation, conversations: deps.conversations, log: deps.log, priceOverrides: deps.settings.priceOverrides });
  const status = f.result.replies.find((r) => r.modelStatus?.retirementTime)?.modelStatus;
  if (status) deps.onModelStatus?.(f.model, status);
  deps.log?.info(`Saved ${f.result.images.map((i) => i.path).join(', ')}`);
  // A first refine makes its source "v1" of the conversation.
  const source = job.refineOf;
  const updated: GalleryRecord[] = source && !source.version ? [{ ...source, conversationId: source.id, version: 1 }] : [];
  await deps.gallery.resolvePending(f.pendingId, records, updated);
  return { records, failures: f.result.failures, count: f.count };
}
