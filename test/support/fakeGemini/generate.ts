// POST /v1beta/models/{model}:generateContent: validate like the API, then answer with the
// queued behaviour (an image by default).
import { randomBytes } from 'node:crypto';
import type { Behaviour, Delivery, ImageBehaviour } from './behaviours';
import * as errors from './errors';
import type { Exchange } from './exchange';
import { resolveFile } from './files';
import { makeImage, type ImageMime } from './images';
import { imageDimensions, nearestRatio, type ModelInfo } from './models';
import { toSnake } from './payload';
import type { ServerState } from './state';
import { contentHash, validateGenerateRequest, type RequestSummary } from './validate';

type Json = Record<string, unknown>;

interface Turn {
  state: ServerState;
  model: ModelInfo;
  summary: RequestSummary;
  /** Groups the signatures of this answer. */
  reply: string;
}

export async function handleGenerate(ex: Exchange, state: ServerState, model: ModelInfo, key: string): Promise<void> {
  const parsed = ex.json();
  if (parsed.error) return ex.sendError(errors.badRequest(`Invalid JSON payload received. ${parsed.error}`));
  const checked = validateGenerateRequest(parsed.value, {
    model,
    resolveFile: (uri) => resolveFile(state, uri, key),
    issuedSignature: (signature) => state.signatures.get(signature),
    signaturesInReply: (reply) => state.signaturesPerReply.get(reply) ?? 0,
  });
  if ('error' in checked) return ex.sendError(checked.error);

  const behaviour = state.nextBehaviour();
  if (ex.record) ex.record.behaviour = behaviour.kind;
  const delivery: Delivery = { ...behaviour, delayMs: behaviour.delayMs ?? state.options.defaultDelayMs ?? 0 };
  if (!(await ex.sleep(delivery.delayMs ?? 0))) return;
  await answer(ex, { state, model, summary: checked.summary, reply: responseId() }, behaviour, delivery);
}

async function answer(ex: Exchange, turn: Turn, b: Behaviour, delivery: Delivery): Promise<void> {
  const { state, model } = turn;
  const sendReply = (reply: Json): Promise<void> => ex.send(200, serialize(reply, state), errors.JSON_TYPE, delivery);
  switch (b.kind) {
    case 'image': {
      if (!state.options.prebuiltReplies) return sendReply(imageReply(turn, b));
      const { delayMs: _d, chunkDelayMs: _c, chunkSize: _s, headers: _h, ...shape } = b;
      const key = JSON.stringify([shape, model.id, turn.summary.aspectRatio, turn.summary.imageSize, turn.summary.wantsImage, turn.summary.wantsText]);
      let body = state.prebuilt.get(key);
      if (!body) state.prebuilt.set(key, (body = Buffer.from(serialize(imageReply(turn, b), state))));
      return ex.send(200, body, errors.JSON_TYPE, delivery);
    }
    case 'badRequest':
      return ex.sendError(errors.badRequest(b.message ?? 'Request contains an invalid argument.'), delivery);
    case 'badKey':
      return ex.sendError(errors.apiKeyInvalid(b.message), delivery);
    case 'permission':
      return ex.sendError(errors.permissionDenied(b.message), delivery);
    case 'notFound':
      return ex.sendError(b.message ? errors.notFound(b.message) : errors.modelNotFound(model.id), delivery);
    case 'internal':
      return ex.sendError(errors.internal(b.message), delivery);
    case 'unavailable':
      return ex.sendError(errors.unavailable(b.message), delivery);
    case 'keyTypeUnsupported':
      return ex.sendError(errors.keyTypeUnsupported('GenerateContent', b.message), delivery);
    case 'rateLimited': {
      const retryAfter: Record<string, string> = b.retryAfter === undefined ? {} : { 'retry-after': String(b.retryAfter) };
      const delay = b.retryDelaySeconds === undefined ? 1 : b.retryDelaySeconds;
      return ex.sendError(errors.rateLimited(model.id, delay, b.message), { ...delivery, headers: { ...retryAfter, ...delivery.headers } });
    }
    case 'proxyHtml':
      return ex.sendError(errors.nginxPage(b.status ?? 502), delivery);
    case 'promptBlocked':
      return sendReply({
        promptFeedback: { blockReason: b.blockReason ?? 'SAFETY', safetyRatings: safetyRatings() },
        usageMetadata: { promptTokenCount: promptTokens(turn.summary), totalTokenCount: promptTokens(turn.summary) },
        modelVersion: model.id,
        responseId: turn.reply,
      });
    case 'finish': {
      const candidate: Json = {};
      if (b.text) candidate.content = { role: 'model', parts: [{ text: b.text }] };
      candidate.finishReason = b.finishReason;
      const finishMessage = b.finishMessage ?? FINISH_MESSAGES[b.finishReason];
      if (finishMessage) candidate.finishMessage = finishMessage;
      candidate.index = 0;
      return sendReply(envelope(turn, [candidate], 0));
    }
    case 'onlyThoughtImages': {
      const parts: Json[] = b.text ? [{ text: b.text }] : [];
      for (let i = 0; i < (b.count ?? 1); i++) parts.push(imagePart(turn, 'image/png', { thought: true }));
      return sendReply(envelope(turn, [candidateOf(parts)], parts.length));
    }
    case 'textOnly':
      return sendReply(envelope(turn, [candidateOf([{ text: b.text ?? "I can't draw that, but here is what I would draw: a quiet lighthouse at dawn." }])], 0));
    case 'unknownMime': {
      const bytes = randomBytes(2048);
      const part = { inlineData: { mimeType: 'application/x-unknown', data: bytes.toString('base64') }, thoughtSignature: sign(turn, bytes) };
      return sendReply(envelope(turn, [candidateOf([{ text: 'Here is your file.' }, part])], 1));
    }
    case 'badBase64': {
      const reply = imageReply(turn, { kind: 'image', count: 1 }, false);
      const part = findInlineData(reply);
      part.data = `${part.data.slice(0, 64)}!!**~~ not base64 ~~**!!${part.data.slice(64)}`;
      return sendReply(reply);
    }
    case 'truncated':
    case 'reset': {
      const body = Buffer.from(serialize(imageReply(turn, { kind: 'image' }, false), state));
      const cut = Math.min(body.length - 1, b.afterBytes ?? Math.floor(body.length / 2));
      if (b.kind === 'truncated') return ex.send(200, body.subarray(0, cut), errors.JSON_TYPE, delivery);
      ex.head(200, { 'content-type': errors.JSON_TYPE, 'content-length': body.length });
      ex.res.write(body.subarray(0, cut), () => ex.destroy());
      return;
    }
    case 'hang':
      return new Promise((resolve) => ex.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

function findInlineData(reply: Json): { data: string } {
  const parts = ((reply.candidates as Json[])[0].content as Json).parts as Json[];
  return parts.find((p) => p.inlineData)!.inlineData as { data: string };
}

function serialize(reply: Json, state: ServerState): string {
  return JSON.stringify(state.options.snakeCase ? snakeKeys(reply) : reply, null, 2);
}

function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith('@') ? k : toSnake(k), snakeKeys(v)]));
}

function responseId(): string {
  return randomBytes(16).toString('base64url');
}

/** An opaque signature, about 200 characters of base64 like the API's, tied to `bytes`. */
function sign(turn: Turn, bytes: Buffer): string {
  const signature = randomBytes(150).toString('base64');
  turn.state.issueSignature(signature, { hash: contentHash('data', bytes), model: turn.model.id, reply: turn.reply });
  return signature;
}

function safetyRatings(): Json[] {
  return ['HARM_CATEGORY_SEXUALLY_EXPLICIT', 'HARM_CATEGORY_HATE_SPEECH', 'HARM_CATEGORY_HARASSMENT', 'HARM_CATEGORY_DANGEROUS_CONTENT'].map((category) => ({
    category,
    probability: category === 'HARM_CATEGORY_DANGEROUS_CONTENT' ? 'MEDIUM' : 'NEGLIGIBLE',
  }));
}

function promptTokens(s: RequestSummary): number {
  return Math.max(1, Math.ceil(s.textChars / 4) + 258 * s.inputImages);
}

function candidateOf(parts: Json[], index = 0): Json {
  return { content: { role: 'model', parts }, finishReason: 'STOP', index };
}

/** Google's own words for the finish reasons that come with one (as real replies carry them). */
const FINISH_MESSAGES: Record<string, string> = {
  IMAGE_SAFETY: "Unable to show the generated image. The image was filtered out because it violated Google's Generative AI Prohibited Use policy. You will not be charged for blocked images. Try rephrasing the prompt.",
  IMAGE_PROHIBITED_CONTENT: 'Unable to show the generated image. The image was filtered out because it may contain prohibited content. You will not be charged for blocked images.',
  IMAGE_RECITATION: 'Unable to show the generated image. The image was filtered out because it resembles existing content too closely.',
  IMAGE_OTHER: 'Unable to show the generated image. Try rephrasing the prompt.',
  NO_IMAGE: 'The model did not generate an image. Try rephrasing the prompt, or ask for an image explicitly.',
  MISSING_THOUGHT_SIGNATURE: 'A thought signature is missing from a previous model turn. Send previous turns back exactly as received.',
};

/** Thinking models spend thought tokens; 2.5 Flash Image does not think. */
function thoughtTokens(model: ModelInfo): number {
  return model.image && model.thinkingLevels.length === 0 && model.sizes.length === 0 ? 0 : 96;
}

function envelope(turn: Turn, candidates: Json[], images: number): Json {
  const { model, summary } = turn;
  const prompt = promptTokens(summary);
  const perImage = summary.imageSize === '4K' ? model.imageTokens[1] : model.imageTokens[0];
  const textTokens = 12;
  const output = images * perImage + textTokens;
  const thoughts = thoughtTokens(model);
  const promptDetails = [{ modality: 'TEXT', tokenCount: Math.max(1, Math.ceil(summary.textChars / 4)) }];
  if (summary.inputImages) promptDetails.push({ modality: 'IMAGE', tokenCount: 258 * summary.inputImages });
  const candidateDetails = [{ modality: 'TEXT', tokenCount: textTokens }];
  if (images) candidateDetails.push({ modality: 'IMAGE', tokenCount: images * perImage });
  const retirementTime = turn.state.options.retirementTimes?.[model.id] ?? model.retirementTime;
  const status = model.stage === 'DEPRECATED' || retirementTime ? { modelStatus: { modelStage: model.stage, ...(retirementTime ? { retirementTime } : {}) } } : {};
  return {
    candidates,
    usageMetadata: {
      promptTokenCount: prompt,
      candidatesTokenCount: output,
      ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
      totalTokenCount: prompt + output + thoughts,
      promptTokensDetails: promptDetails,
      candidatesTokensDetails: candidateDetails,
      // The reply says which tier served it (the JS SDK's UsageMetadata.serviceTier).
      serviceTier: summary.serviceTier,
    },
    modelVersion: model.id,
    responseId: turn.reply,
    ...status,
  };
}

function imageBytes(turn: Turn, mimeType: ImageMime, thought: boolean, targetBytes?: number): Buffer {
  const { summary } = turn;
  const ratio = summary.aspectRatio ?? (summary.firstImage ? nearestRatio(summary.firstImage.width, summary.firstImage.height) : '1:1');
  const { width, height } = imageDimensions(ratio, summary.imageSize ?? '1K');
  return makeImage({ mimeType, width, height, seed: ++turn.state.imageSeq, draft: thought, targetBytes }).bytes;
}

/** An inlineData part with a fresh signature tied to its bytes and this model. */
function imagePart(turn: Turn, mimeType: ImageMime, opts: { thought?: boolean; dataFirst?: boolean; targetBytes?: number; record?: boolean } = {}): Json {
  const thought = opts.thought ?? false;
  const bytes = imageBytes(turn, mimeType, thought, opts.targetBytes);
  if (opts.record !== false) turn.state.recordSent(bytes, mimeType, thought);
  const data = bytes.toString('base64');
  const sig = sign(turn, bytes);
  const inlineData = opts.dataFirst ? { data, mimeType } : { mimeType, data };
  return thought ? { inlineData, thought: true, thoughtSignature: sig } : { inlineData, thoughtSignature: sig };
}

/**
 * A text-only answer shaped like what a text model writes when asked for an image prompt: a
 * paragraph about the first sentence of the text it was given (markup and tags left out).
 */
export function promptFor(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s*(?:#+|[-*+>]|\d+[.)])\s+/gm, '')
    .replace(/[`*_[\]()!]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = (plain.match(/^.*?[.!?。！？](?=\s|$)/)?.[0] ?? plain).replace(/[.!?。！？]$/, '');
  const topic = sentence.split(' ').slice(0, 16).join(' ');
  if (!topic) return 'A calm, minimal illustration of an empty page in soft morning light, muted colours, no text.';
  return `An editorial illustration of ${topic.charAt(0).toLowerCase()}${topic.slice(1)}: one clear central subject, a simple composition with soft natural light and a calm, muted palette, no text in the image.`;
}

function describeReply(turn: Turn): Json {
  const n = turn.summary.inputImages;
  const images = `${n} image${n === 1 ? '' : 's'}`;
  const text =
    n > 0
      ? `A fake description of the image${n === 1 ? '' : 's'}: a soft gradient sky over two hills, with a round sun. (The stand-in received ${images}.)`
      : promptFor(turn.summary.lastText);
  const candidates = Array.from({ length: turn.summary.candidateCount }, (_, i) => candidateOf([{ text }], i));
  return envelope(turn, candidates, 0);
}

function imageReply(turn: Turn, b: ImageBehaviour, record = true): Json {
  if (!turn.summary.wantsImage) return describeReply(turn);
  const mimeType = b.mimeType ?? turn.model.defaultMime;
  const text = b.text ?? (turn.summary.wantsText ? 'Here is your image.' : '');
  const parts: Json[] = [];
  for (let i = 0; i < (b.thoughtImages ?? 0); i++) parts.push(imagePart(turn, mimeType, { thought: true, record }));
  const count = b.count ?? 1;
  if (b.hostedUrl) {
    // A relay that hosts the image and answers with its URL in a text part (no inlineData).
    const links: string[] = [];
    for (let i = 0; i < count; i++) {
      const bytes = imageBytes(turn, mimeType, false, b.bytes);
      if (record) turn.state.recordSent(bytes, mimeType, false);
      const url = turn.state.imageHost!.put(bytes, mimeType, b.hostRedirect);
      links.push(b.hostedUrl === 'markdown' ? `![image](${url})` : url);
    }
    parts.push({ text: [text, ...links].filter(Boolean).join('\n\n') });
  } else if (b.dataUrlInText) {
    const links: string[] = [];
    for (let i = 0; i < count; i++) {
      const bytes = imageBytes(turn, mimeType, false, b.bytes);
      if (record) turn.state.recordSent(bytes, mimeType, false);
      links.push(`![image](data:${mimeType};base64,${bytes.toString('base64')})`);
    }
    parts.push({ text: [text, ...links].filter(Boolean).join('\n\n') });
  } else {
    if (text) parts.push({ text });
    for (let i = 0; i < count; i++) parts.push(imagePart(turn, mimeType, { dataFirst: b.keyOrder === 'dataFirst', targetBytes: b.bytes, record }));
  }
  return envelope(turn, [candidateOf(parts)], count + (b.thoughtImages ?? 0));
}

/** What a batch answers one of its requests: the reply, or the error a generateContent call would get. */
export function batchAnswer(state: ServerState, model: ModelInfo, key: string, body: unknown, bytes?: number): { response: Json } | { error: errors.ErrorAnswer } {
  const checked = validateGenerateRequest(body, {
    model,
    resolveFile: (uri) => resolveFile(state, uri, key),
    issuedSignature: (signature) => state.signatures.get(signature),
    signaturesInReply: (reply) => state.signaturesPerReply.get(reply) ?? 0,
  });
  if ('error' in checked) return { error: checked.error };
  return { response: imageReply({ state, model, summary: checked.summary, reply: responseId() }, { kind: 'image', bytes }) };
}
