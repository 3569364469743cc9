// What a parsed reply is, and how the built JSON becomes one: which begun images are kept, the
// texts, the metadata, and modelTurn with placeholders for the images (fillImageRefs undoes them).

import { GeminiError } from './errors';
import { PendingImage, TextWithImages } from './replyStreams';
import type { ModalityTokenCount, ModelStatus, UsageMetadata } from './types';
import { sniffMimeType } from '../core/imageType';

export interface ParsedImage<H> {
  handle: H;
  mimeType: string;
  byteLength: number;
  thoughtSignature?: string;
  /** Index of the part in the model turn. */
  partIndex: number;
}

export interface ParsedReply<H> {
  /** Non-thought images, in order. */
  images: ParsedImage<H>[];
  /** Thought (draft) images, kept only so the turn can be sent back; not for the user. */
  thoughtImages: ParsedImage<H>[];
  /** Non-thought text parts, data-URL images removed; blank remains are left out. */
  texts: string[];
  finishReason?: string;
  /** Google's own explanation of a block or a missing image. */
  finishMessage?: string;
  /** promptFeedback.blockReason */
  blockReason?: string;
  safetyRatings?: unknown;
  usage?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** A deprecated model says when it retires. */
  modelStatus?: ModelStatus;
  /** Parameters left out after the endpoint said the model does not take them (set by the client). */
  droppedParameters?: string[];
  /** A top-level `error` object (some relays answer 200 with one). */
  error?: { code?: number; message?: string; status?: string };
  /**
   * Candidate 0's content as received, except: an image's base64 is replaced by { imageRef: n }
   * (index into images) or { thoughtImageRef: n } (into thoughtImages; -1 when discarded), and a
   * text part holding data-URL images becomes an array of strings and such refs. fillImageRefs()
   * turns it back into a sendable Content.
   */
  modelTurn: unknown;
}

export type ImageRef = { imageRef: number } | { thoughtImageRef: number };

const BLOCKING_FINISH_REASONS = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'RECITATION',
  'BLOCKLIST',
  'SPII',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string') return v;
  return undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function tokenDetails(v: unknown): ModalityTokenCount[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter(isObject).map((d) => ({ modality: str(d.modality) ?? 'MODALITY_UNSPECIFIED', tokenCount: num(d.tokenCount ?? d.token_count) ?? 0 }));
  return out.length ? out : undefined;
}

function usageOf(u: Record<string, unknown>): UsageMetadata {
  return {
    ...defined('promptTokenCount', num(u.promptTokenCount ?? u.prompt_token_count)),
    // The protos call it response_token_count; the REST API and SDKs say candidatesTokenCount.
    ...defined('candidatesTokenCount', num(u.candidatesTokenCount ?? u.candidates_token_count ?? u.responseTokenCount ?? u.response_token_count)),
    ...defined('thoughtsTokenCount', num(u.thoughtsTokenCount ?? u.thoughts_token_count)),
    ...defined('totalTokenCount', num(u.totalTokenCount ?? u.total_token_count)),
    ...defined('promptTokensDetails', tokenDetails(u.promptTokensDetails ?? u.prompt_tokens_details)),
    ...defined('candidatesTokensDetails', tokenDetails(u.candidatesTokensDetails ?? u.candidates_tokens_details ?? u.responseTokensDetails ?? u.response_tokens_details)),
    ...defined('serviceTier', str(u.serviceTier, u.service_tier)),
  };
}

function modelStatusOf(root: Record<string, unknown>): ModelStatus | undefined {
  const m = isObject(root.modelStatus) ? root.modelStatus : isObject(root.model_status) ? root.model_status : undefined;
  if (!m) return undefined;
  return {
    ...defined('modelStage', str(m.modelStage, m.model_stage)),
    ...defined('retirementTime', str(m.retirementTime, m.retirement_time)),
    ...defined('message', str(m.message)),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads the built reply (after the whole body was valid JSON, so duplicate keys resolved like
 * JSON.parse) and decides which begun images are kept. Mutates the built content into modelTurn.
 */
export class ReplyAssembly<H> {
  /** Images referenced by the final reply; the target is where their handle goes (none: discard). */
  readonly keep = new Map<PendingImage, ParsedImage<H> | undefined>();
  readonly result: ParsedReply<H>;

  constructor(
    root: Record<string, unknown>,
    private readonly thoughtMode: 'keep' | 'discard',
  ) {
    const candidates = root.candidates;
    const candidate = Array.isArray(candidates) && isObject(candidates[0]) ? candidates[0] : undefined;
    const feedback = isObject(root.promptFeedback) ? root.promptFeedback : isObject(root.prompt_feedback) ? root.prompt_feedback : undefined;
    const usage = isObject(root.usageMetadata) ? root.usageMetadata : isObject(root.usage_metadata) ? root.usage_metadata : undefined;
    const error = isObject(root.error) ? root.error : undefined;
    const content = candidate?.content;
    this.result = {
      images: [],
      thoughtImages: [],
      texts: [],
      finishReason: str(candidate?.finishReason, candidate?.finish_reason),
      finishMessage: str(candidate?.finishMessage, candidate?.finish_message),
      blockReason: str(feedback?.blockReason, feedback?.block_reason),
      safetyRatings: candidate?.safetyRatings ?? candidate?.safety_ratings ?? feedback?.safetyRatings ?? feedback?.safety_ratings,
      usage: usage && usageOf(usage),
      modelVersion: str(root.modelVersion, root.model_version),
      responseId: str(root.responseId, root.response_id),
      modelStatus: modelStatusOf(root),
      error: error && { ...defined('code', num(error.code)), ...defined('message', str(error.message)), ...defined('status', str(error.status)) },
      modelTurn: content,
    };
    const parts = isObject(content) && Array.isArray(content.parts) ? content.parts : [];
    parts.forEach((part, index) => {
      if (isObject(part)) this.readPart(part, index);
    });
  }

  private readPart(part: Record<string, unknown>, partIndex: number): void {
    const thought = part.thought === true;
    const thoughtSignature = str(part.thoughtSignature, part.thought_signature);
    for (const key of ['inlineData', 'inline_data']) {
      const inline = part[key];
      if (!isObject(inline) || !(inline.data instanceof PendingImage)) continue;
      const image = inline.data;
      if (image.byteLength === 0) {
        // "data": "" is no image; the turn keeps what came.
        this.keep.set(image, undefined);
        inline.data = '';
        continue;
      }
      const mimeType = str(inline.mimeType, inline.mime_type) ?? sniffMimeType(image.head) ?? 'application/octet-stream';
      inline.data = this.take(image, mimeType, thought, partIndex, thoughtSignature);
    }
    const text = part.text;
    if (typeof text === 'string') {
      if (!thought && /\S/.test(text)) this.result.texts.push(text);
    } else if (text instanceof TextWithImages) {
      const turnText: (string | ImageRef)[] = [text.segments[0]];
      text.images.forEach((image, i) => {
        turnText.push(this.take(image, image.urlMimeType as string, thought, partIndex, thoughtSignature), text.segments[i + 1]);
      });
      part.text = turnText;
      const rest = text.remainingText();
      if (!thought && /\S/.test(rest)) this.result.texts.push(rest);
    }
  }

  private take(image: PendingImage, mimeType: string, thought: boolean, partIndex: number, thoughtSignature: string | undefined): ImageRef {
    if (thought && this.thoughtMode === 'discard') {
      this.keep.set(image, undefined);
      return { thoughtImageRef: -1 };
    }
    const parsed: ParsedImage<H> = { handle: undefined as H, mimeType, byteLength: image.byteLength, partIndex };
    if (thoughtSignature !== undefined) parsed.thoughtSignature = thoughtSignature;
    this.keep.set(image, parsed);
    const list = thought ? this.result.thoughtImages : this.result.images;
    list.push(parsed);
    return thought ? { thoughtImageRef: list.length - 1 } : { imageRef: list.length - 1 };
  }
}

/** The reply's images, or the typed error the user should see when there are none. */
export function requireImages<H>(reply: ParsedReply<H>): ParsedReply<H> {
  if (reply.images.length > 0) return reply;
  const { finishReason, blockReason, finishMessage } = reply;
  const details = {
    finishReason,
    blockReason,
    finishMessage,
    modelText: reply.texts.length > 0 ? reply.texts.join('\n\n') : undefined,
    serverMessage: reply.error?.message,
    apiStatus: reply.error?.status,
  };
  if (blockReason !== undefined) {
    throw new GeminiError('blocked', `The prompt was blocked (${blockReason})`, details);
  }
  if (finishReason !== undefined && BLOCKING_FINISH_REASONS.has(finishReason)) {
    throw new GeminiError('blocked', `The output was blocked (${finishReason})`, details);
  }
  const why = reply.thoughtImages.length > 0 ? 'only draft images' : finishReason ? `finishReason ${finishReason}` : 'no image part';
  throw new GeminiError('noImage', `The model answered without an image (${why})`, details);
}

/**
 * modelTurn with the images put back as base64, ready to send as a model Content. `base64Of`
 * gives the base64 of images[n] ({ imageRef: n }) or thoughtImages[n] ({ thoughtImageRef: n }).
 */
export function fillImageRefs(modelTurn: unknown, base64Of: (ref: ImageRef) => string): unknown {
  if (!isObject(modelTurn) || !Array.isArray(modelTurn.parts)) return modelTurn;
  const isRef = (v: unknown): v is ImageRef => isObject(v) && (typeof v.imageRef === 'number' || typeof v.thoughtImageRef === 'number');
  const parts = modelTurn.parts.map((part) => {
    if (!isObject(part)) return part;
    const copy: Record<string, unknown> = { ...part };
    for (const key of ['inlineData', 'inline_data']) {
      const inline = copy[key];
      if (isObject(inline) && isRef(inline.data)) copy[key] = { ...inline, data: base64Of(inline.data) };
    }
    if (Array.isArray(copy.text)) {
      copy.text = copy.text.map((piece: unknown) => (isRef(piece) ? base64Of(piece) : piece)).join('');
    }
    return copy;
  });
  return { ...modelTurn, parts };
}
