// What a finished generation leaves behind besides its files: a gallery record per image, and
// the conversation a refine continues from.
import { randomUUID } from 'node:crypto';
import { mimeTypeForPath } from '../core/imageType';
import type { Logger } from '../gemini/client';
import { addInstruction, addReply, startConversation, type Conversation, type StoredImage } from '../gemini/conversation';
import type { Endpoint } from '../gemini/types';
import type { GalleryRecord } from '../shared/gallery';
import { sha256File, type GenerationResult } from './generateImages';
import type { ConversationStore, GenerationJob } from './ports';
import { lifecycleAt, type PriceOverrides } from '../core/models';
import { imageUsage } from './usage';

export interface RecordInput {
  job: GenerationJob;
  model: string;
  endpoint: Endpoint;
  result: GenerationResult;
  /** The conversation a refine continued. */
  conversation?: Conversation;
  conversations: ConversationStore;
  log?: Logger;
  priceOverrides?: PriceOverrides;
}

/** The records of every image of the result; each image's conversation is stored under its id. */
export async function recordsFor(input: RecordInput): Promise<GalleryRecord[]> {
  const { job, model, endpoint, result } = input;
  const userPrompt = job.userPrompt ?? job.prompt;
  const createdAt = new Date().toISOString();
  const refine = job.refineOf;
  // References of the first turn are part of the conversation only when it began with them.
  const references = !input.conversation && job.references?.length ? await Promise.all(job.references.map(async (p) => ({ path: p, mimeType: mimeTypeForPath(p), sha256: await sha256File(p) }))) : undefined;
  const records: GalleryRecord[] = [];
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
        : startConversation({ endpoint, model, prompt: job.prompt, imageConfig: { aspectRatio: job.options.aspectRatio, imageSize: job.options.imageSize } });
      if (references) base.turns[0] = { ...base.turns[0], references } as (typeof base.turns)[0];
      conversation = addReply(base, reply.modelTurn, stored, reply.drafts);
    } catch (e) {
      input.log?.warn(`This reply cannot be refined: ${(e as Error).message}`);
    }
    for (const image of reply.images) {
      const id = randomUUID();
      if (conversation) await input.conversations.set(id, conversation);
      records.push({
        id,
        path: image.path,
        prompt: userPrompt,
        model,
        aspectRatio: job.options.aspectRatio,
        imageSize: image.width && image.height ? undefined : job.options.imageSize,
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
        references: job.references ? [...job.references] : undefined,
        ...imageUsage(reply, model, job.options.imageSize, input.priceOverrides),
        ...retires(model, reply.modelStatus),
      });
    }
  }
  return records;
}

/** The day the model retires, when the reply's modelStatus or the catalogue names one still ahead. */
function retires(model: string, status: GenerationResult['replies'][number]['modelStatus']): { modelRetires?: string } {
  const life = lifecycleAt(model, new Date(), status ? { stage: status.modelStage, retirementTime: status.retirementTime } : undefined);
  return life.state === 'retiring' && life.shutdown && !life.overdue ? { modelRetires: life.shutdown } : {};
}
