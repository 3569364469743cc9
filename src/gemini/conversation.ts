// Refine: multi-turn image editing. A Conversation is plain JSON (the caller persists it, e.g. one
// per result in the panel's state): which endpoint and model it belongs to, and its turns. Model
// turns are kept as the parser gave them (ParsedReply.modelTurn: every part and field as received,
// thoughtSignature and thought parts included, each image's base64 replaced by a ref), with the
// paths where the images' bytes were saved. The next request puts the bytes back as canonical
// base64, which is the text the server sent whenever its base64 was canonical (Google's is).
//
// Thought (draft) images must go back too (their parts carry signatures, and a turn sent back
// without them is not "as received"), so a conversation needs their bytes: they are stored like
// the final images, as files, but not where the user looks. The caller writes them (with the same
// sink as the final images) into private storage, e.g. `globalStorageUri/refine/<id>/draft-<n>.png`,
// and lists them in `thoughtImages`. Files and not memory: a conversation must survive a reload of
// the window, and a few drafts per turn are megabytes we would otherwise hold for the whole session.
// Saved final images may be edited or moved by the user; each stored image carries its sha256 so
// such a change is a clear ConversationError, not the server's "Corrupted thought signature".
import { createHash } from 'node:crypto';
import { StudioError, type ConversationErrorCode } from '../core/studioError';
import { endpointId, baseUrlOf } from './files';
import { buildImageRequest } from './request';
import { fillImageRefs, type ImageRef } from './responseParser';
import type { AspectRatio, Content, Endpoint, GenerateContentRequest, ImageSize, Part } from './types';

/** An image's bytes saved somewhere the caller can read back. */
export interface StoredImage {
  path: string;
  mimeType: string;
  /** Hex sha256 of the bytes; when present, a changed file is refused before sending. */
  sha256?: string;
}

export interface ConversationUserTurn {
  role: 'user';
  text: string;
  /** Reference images of this turn, by path (sent again with every later turn). */
  references?: StoredImage[];
}

export interface ConversationModelTurn {
  role: 'model';
  /** ParsedReply.modelTurn: the content as received, base64 replaced by { imageRef } / { thoughtImageRef }. */
  content: unknown;
  /** images[n] holds the bytes of { imageRef: n }. */
  images: StoredImage[];
  /** thoughtImages[n] holds the bytes of { thoughtImageRef: n }. */
  thoughtImages: StoredImage[];
}

export type ConversationTurn = ConversationUserTurn | ConversationModelTurn;

export interface Conversation {
  version: 1;
  /** Base URL and key hash (files.endpointId): never the key. */
  endpointId: string;
  model: string;
  imageConfig?: { aspectRatio?: AspectRatio; imageSize?: ImageSize };
  turns: ConversationTurn[];
}

export type ConversationErrorReason = ConversationErrorCode;

export class ConversationError extends StudioError<ConversationErrorCode> {
  override readonly name = 'ConversationError';

  constructor(
    readonly reason: ConversationErrorReason,
    message: string,
    readonly path?: string,
  ) {
    super(reason, message, path ? { file: path } : {});
  }
}

export interface StartInput {
  endpoint: Endpoint;
  model: string;
  prompt: string;
  references?: StoredImage[];
  imageConfig?: Conversation['imageConfig'];
}

/** A conversation holding the first user turn; add the reply with addReply. */
export function startConversation(input: StartInput): Conversation {
  const first: ConversationUserTurn = { role: 'user', text: input.prompt };
  if (input.references?.length) first.references = input.references;
  const conversation: Conversation = { version: 1, endpointId: endpointId(input.endpoint), model: input.model, turns: [first] };
  if (input.imageConfig && Object.keys(input.imageConfig).length) conversation.imageConfig = { ...input.imageConfig };
  return conversation;
}

/** The conversation with the model's reply (after a user turn). */
export function addReply(conversation: Conversation, modelTurn: unknown, images: StoredImage[], thoughtImages: StoredImage[] = []): Conversation {
  if (conversation.turns.at(-1)?.role !== 'user') throw new ConversationError('notRefinable', 'A reply must follow a user turn.');
  checkModelTurn({ role: 'model', content: modelTurn, images, thoughtImages });
  return { ...conversation, turns: [...conversation.turns, { role: 'model', content: modelTurn, images, thoughtImages }] };
}

/** The conversation with a refine instruction as its next user turn (after a model turn). */
export function addInstruction(conversation: Conversation, instruction: string, references?: StoredImage[]): Conversation {
  if (conversation.turns.at(-1)?.role !== 'model') throw new ConversationError('notRefinable', 'An instruction must follow a reply.');
  const turn: ConversationUserTurn = { role: 'user', text: instruction };
  if (references?.length) turn.references = references;
  return { ...conversation, turns: [...conversation.turns, turn] };
}

/** Throws a ConversationError unless the refine goes to the conversation's base URL, key and model. */
export function assertSameSession(conversation: Conversation, endpoint: Endpoint, model: string): void {
  const id = endpointId(endpoint);
  if (id !== conversation.endpointId) {
    const was = baseUrlOf(conversation.endpointId);
    const now = baseUrlOf(id);
    if (was !== now) throw new ConversationError('baseUrlChanged', `This image was made through ${was}; the base URL is now ${now}. Refine it on the same base URL, or start anew.`);
    throw new ConversationError('keyChanged', 'This image was made with another API key. Refine it with the same key, or start anew.');
  }
  if (model.replace(/^models\//, '') !== conversation.model.replace(/^models\//, '')) {
    throw new ConversationError('modelChanged', `This image was made by ${conversation.model}; the model is now ${model}. Refine it with the same model, or start anew.`);
  }
}

export interface RefineInput {
  /** Where the refine goes: must be the conversation's (assertSameSession). */
  endpoint: Endpoint;
  model: string;
  /** The bytes saved at a StoredImage path (throw when unreadable). */
  loadImage: (path: string) => Promise<Uint8Array>;
  /** A user turn's reference image as a part (e.g. referencePart through the upload cache). Default inlineData. */
  referencePart?: (image: StoredImage, bytes: Uint8Array) => Promise<Part>;
}

/**
 * The generateContent request for the next turn: every earlier turn, model turns exactly as
 * received (images re-encoded from their saved bytes), then `instruction` as the new user turn.
 */
export async function nextTurnRequest(conversation: Conversation, instruction: string, input: RefineInput): Promise<GenerateContentRequest> {
  assertSameSession(conversation, input.endpoint, input.model);
  if (conversation.turns.at(-1)?.role !== 'model') throw new ConversationError('notRefinable', 'There is no reply to refine yet.');
  const history: Content[] = [];
  for (const turn of conversation.turns) {
    history.push(turn.role === 'user' ? await userContent(turn, input) : await modelContent(turn, input));
  }
  return buildImageRequest({
    prompt: instruction,
    model: conversation.model,
    aspectRatio: conversation.imageConfig?.aspectRatio,
    imageSize: conversation.imageConfig?.imageSize,
    history,
  });
}

async function userContent(turn: ConversationUserTurn, input: RefineInput): Promise<Content> {
  const parts: Part[] = [{ text: turn.text }];
  for (const image of turn.references ?? []) {
    const bytes = await load(image, input);
    parts.push(input.referencePart ? await input.referencePart(image, bytes) : { inlineData: { mimeType: image.mimeType, data: base64(bytes) } });
  }
  return { role: 'user', parts };
}

async function modelContent(turn: ConversationModelTurn, input: RefineInput): Promise<Content> {
  const refs = checkModelTurn(turn);
  const data = new Map<string, string>();
  for (const ref of refs) {
    const image = 'imageRef' in ref ? turn.images[ref.imageRef] : turn.thoughtImages[ref.thoughtImageRef];
    data.set(refKey(ref), base64(await load(image, input)));
  }
  const filled = fillImageRefs(turn.content, (ref) => data.get(refKey(ref)) as string) as Record<string, unknown>;
  // Role is ours to name when a relay left it out; every part stays as received.
  return { ...filled, role: 'model' } as unknown as Content;
}

async function load(image: StoredImage, input: RefineInput): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await input.loadImage(image.path);
  } catch (e) {
    throw new ConversationError('imageMissing', `An image of this conversation cannot be read: ${image.path} (${(e as Error)?.message ?? e})`, image.path);
  }
  if (image.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== image.sha256) {
    throw new ConversationError('imageChanged', `An image of this conversation was changed since the model made it: ${image.path}`, image.path);
  }
  return bytes;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function refKey(ref: ImageRef): string {
  return 'imageRef' in ref ? `i${ref.imageRef}` : `t${ref.thoughtImageRef}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isRef(v: unknown): v is ImageRef {
  return isRecord(v) && (typeof v.imageRef === 'number' || typeof v.thoughtImageRef === 'number');
}

/** The refs a model turn holds, each checked against its stored images. */
function checkModelTurn(turn: ConversationModelTurn): ImageRef[] {
  const content = turn.content;
  if (!isRecord(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
    throw new ConversationError('notRefinable', 'The reply has no parts to send back.');
  }
  const refs: ImageRef[] = [];
  for (const part of content.parts) {
    if (!isRecord(part)) continue;
    for (const key of ['inlineData', 'inline_data']) {
      const inline = part[key];
      if (isRecord(inline) && isRef(inline.data)) refs.push(inline.data);
    }
    if (Array.isArray(part.text)) refs.push(...part.text.filter(isRef));
  }
  for (const ref of refs) {
    if ('thoughtImageRef' in ref && ref.thoughtImageRef < 0) {
      throw new ConversationError('draftsDiscarded', "The reply's draft images were not kept (thoughtImages: 'discard'), so it cannot be refined.");
    }
    const image = 'imageRef' in ref ? turn.images[ref.imageRef] : turn.thoughtImages[ref.thoughtImageRef];
    if (!image) throw new ConversationError('notRefinable', `The reply refers to an image that was not stored (${JSON.stringify(ref)}).`);
  }
  return refs;
}

/** A stored conversation read back (globalState, webview state): undefined unless it has the right shape. */
export function parseConversation(value: unknown): Conversation | undefined {
  if (!isRecord(value) || value.version !== 1 || typeof value.endpointId !== 'string' || typeof value.model !== 'string' || !Array.isArray(value.turns)) return undefined;
  const images = (v: unknown): v is StoredImage[] =>
    Array.isArray(v) && v.every((i) => isRecord(i) && typeof i.path === 'string' && typeof i.mimeType === 'string' && (i.sha256 === undefined || typeof i.sha256 === 'string'));
  for (const turn of value.turns) {
    if (!isRecord(turn)) return undefined;
    if (turn.role === 'user') {
      if (typeof turn.text !== 'string' || (turn.references !== undefined && !images(turn.references))) return undefined;
    } else if (turn.role === 'model') {
      if (!isRecord(turn.content) || !images(turn.images) || !images(turn.thoughtImages)) return undefined;
    } else {
      return undefined;
    }
  }
  if (value.imageConfig !== undefined && !isRecord(value.imageConfig)) return undefined;
  return value as unknown as Conversation;
}
