// One generation, whoever asked for it: prompt and options in, images on disk and gallery records
// out. Everything outside (the key, where files go, progress and Cancel, the gallery, links, the
// stored conversations) comes in through GenerationDeps, so this runs in plain Node.
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { GeminiClient } from '../gemini/client';
import { ConversationError, nextTurnRequest, type Conversation } from '../gemini/conversation';
import { automaticImageModel, lifecycleAt, type EndpointWord } from '../core/models';
import { discoverModels } from '../gemini/modelLister';
import { buildImageRequest, withServiceTier } from '../gemini/request';
import type { GenerateContentRequest } from '../gemini/types';
import { maxReferenceImages, referenceParts, withFreshReferences } from '../references/referenceParts';
import type { GalleryRecord } from '../shared/gallery';
import { generateImages, type GenerationResult } from './generateImages';
import type { GenerationDeps, GenerationJob, GenerationOutcome, GenerationSettings } from './ports';
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
    statusBook: deps.statusBook,
  });
}

/** The setting's model, or the first in the catalogue's order that the endpoint lists (cached a day). */
export async function chooseModel(settings: GenerationSettings, client: GeminiClient, deps: Pick<GenerationDeps, 'modelCache' | 'confirmModel' | 'log' | 'statusBook'>): Promise<string> {
  if (!settings.modelIsAutomatic) return deps.confirmModel ? deps.confirmModel(settings.model, undefined, await confirmedWord(settings.model, client, deps)) : settings.model;
  const found = await discoverModels(client, deps.modelCache, { signal: AbortSignal.timeout(15_000) });
  if ('error' in found) deps.log?.warn(`Could not list models, using the catalogue's choice: ${found.error.message}`);
  const listed = 'models' in found ? found.models.map((m) => m.id) : undefined;
  return automaticImageModel(listed, new Date(), deps.statusBook?.wordOf(client.endpoint.baseUrl, listed));
}

/**
 * What the endpoint said about a configured model; when only the catalogue's date has passed, its
 * models list (cached a day) is asked too, so "stopped" is said only when the endpoint confirms it.
 */
async function confirmedWord(model: string, client: GeminiClient, deps: Pick<GenerationDeps, 'modelCache' | 'statusBook'>): Promise<EndpointWord | undefined> {
  const word = deps.statusBook?.get(client.endpoint.baseUrl, model);
  const life = lifecycleAt(model, new Date(), word);
  if (life.state !== 'retiring' || !life.overdue || life.from !== 'catalogue') return word;
  const found = await discoverModels(client, deps.modelCache, { signal: AbortSignal.timeout(15_000) });
  if (!('models' in found) || found.models.length === 0) return word;
  return { ...word, listed: found.models.some((m) => m.id === model) };
}

/**
 * Runs `job`. Undefined when the user stopped it before anything was sent (no key, a declined
 * question or dialog); throws the typed failure otherwise (the gallery hears of it first).
 */
export async function generate(job: GenerationJob, deps: GenerationDeps): Promise<GenerationOutcome | undefined> {
  const apiKey = await deps.keys.apiKey();
  if (!apiKey) return undefined;
  const refine = job.refineOf;
  const conversation = refine ? deps.conversations.get(refine.id) : undefined;
  if (refine && !conversation) throw new ConversationError('notRefinable', 'This image has no stored conversation to continue.');
  // Asked before anything is sent (the models list included), with the settings' model.
  const asked = conversation?.model ?? deps.settings.model;
  const referenceCount = job.references?.length ?? 0;
  const max = maxReferenceImages(asked);
  if (referenceCount > max && deps.confirmReferenceLimit && !(await deps.confirmReferenceLimit({ model: asked, max, count: referenceCount }))) return undefined;

  const userPrompt = job.userPrompt ?? job.prompt;
  const target = await deps.targets.choose(userPrompt);
  if (!target) return undefined;
  const client = createClient(deps.settings, apiKey, deps);
  const model = conversation?.model ?? (await chooseModel(deps.settings, client, deps));
  const count = refine ? 1 : job.options.count;
  const pendingId = randomUUID();
  deps.gallery.addPending(pendingId, { prompt: userPrompt, count });
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
          onImage: () => report({ type: 'saved', done: ++done, count }),
          onRetry: (attempt, delayMs) => report({ type: 'retry', attempt, delayMs }),
        }),
      );
    });
    return await finish(job, deps, { pendingId, model, client, conversation, result, count });
  } catch (e) {
    deps.gallery.failPending(pendingId, e);
    throw e;
  }
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
  await deps.links?.insert(records.map((r) => ({ path: r.path, prompt: r.prompt })));
  await deps.gallery.resolvePending(f.pendingId, records, updated);
  return { records, failures: f.result.failures, count: f.count };
}
