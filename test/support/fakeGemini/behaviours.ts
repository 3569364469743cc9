// What the next generateContent call does: a picture, an API error, a block, or a transport fault.
import { IMAGE_MIMES, type ImageMime } from './images';

/** How any answer travels; every behaviour takes these. */
export interface Delivery {
  /** Wait before the status line, like a model thinking. Default: the server's defaultDelayMs. */
  delayMs?: number;
  /** Send the body in pieces of `chunkSize` bytes (default 64 KiB) with this pause between them. */
  chunkDelayMs?: number;
  chunkSize?: number;
  /** JSON-escape every `/` as `\/` (PHP relays do). */
  escapeSlashes?: boolean;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface ImageBehaviour extends Delivery {
  kind: 'image';
  /** Default image/png. */
  mimeType?: ImageMime;
  /** Images in the one reply. Default 1. */
  count?: number;
  /** A text part before the images. Default "Here is your image." ('' for none). */
  text?: string;
  /** Approximate size of each image: it becomes incompressible noise (for benchmarks). */
  bytes?: number;
  /** Draft images (`"thought": true`) before the real ones. */
  thoughtImages?: number;
  /** The image as a markdown data URL inside a text part, not an inlineData part. */
  dataUrlInText?: boolean;
  /** Key order inside inlineData. Default mimeFirst. */
  keyOrder?: 'mimeFirst' | 'dataFirst';
  /** The image as a hosted URL (on the image host, another origin) in a text part: a markdown image or a bare URL. */
  hostedUrl?: 'markdown' | 'bare';
  /** The hosted URL redirects first, within the image host or to another host. */
  hostRedirect?: 'sameHost' | 'otherHost';
}

export interface GoogleErrorBehaviour extends Delivery {
  /** keyTypeUnsupported: Google's 401 for an old unrestricted "Standard" key (since 2026-06-19). */
  kind: 'badRequest' | 'badKey' | 'permission' | 'notFound' | 'internal' | 'unavailable' | 'keyTypeUnsupported';
  /** Replaces Google's message. */
  message?: string;
}

export interface RateLimitedBehaviour extends Delivery {
  kind: 'rateLimited';
  /** google.rpc.RetryInfo retryDelay in seconds (fractions allowed); null leaves RetryInfo out. Default 1. */
  retryDelaySeconds?: number | null;
  /** A Retry-After header (seconds, or an HTTP date). Default none. */
  retryAfter?: number | string;
  message?: string;
}

export interface ProxyHtmlBehaviour extends Delivery {
  kind: 'proxyHtml';
  /** Default 502. */
  status?: 502 | 504;
}

export interface PromptBlockedBehaviour extends Delivery {
  kind: 'promptBlocked';
  /** Default SAFETY. */
  blockReason?: string;
}

export interface FinishBehaviour extends Delivery {
  kind: 'finish';
  /** e.g. IMAGE_SAFETY, NO_IMAGE, RECITATION, PROHIBITED_CONTENT, MAX_TOKENS. */
  finishReason: string;
  /** A text part; default none. */
  text?: string;
  finishMessage?: string;
}

export interface OnlyThoughtImagesBehaviour extends Delivery {
  kind: 'onlyThoughtImages';
  /** Default 1. */
  count?: number;
  text?: string;
}

export interface TextOnlyBehaviour extends Delivery {
  kind: 'textOnly';
  text?: string;
}

export interface TransportBehaviour extends Delivery {
  /**
   * reset: headers and `afterBytes` of the body, then the socket is destroyed.
   * truncated: a complete HTTP answer whose JSON stops after `afterBytes`.
   * hang: never answers (the socket closes when the client gives up or the server closes).
   * badBase64: the image data holds characters outside base64.
   * unknownMime: an inlineData part of type application/x-unknown with random bytes.
   */
  kind: 'reset' | 'truncated' | 'hang' | 'badBase64' | 'unknownMime';
  /** reset/truncated: bytes of the body sent. Default half of it. */
  afterBytes?: number;
}

export type Behaviour =
  | ImageBehaviour
  | GoogleErrorBehaviour
  | RateLimitedBehaviour
  | ProxyHtmlBehaviour
  | PromptBlockedBehaviour
  | FinishBehaviour
  | OnlyThoughtImagesBehaviour
  | TextOnlyBehaviour
  | TransportBehaviour;

export type BehaviourKind = Behaviour['kind'];

/** Candidate.FinishReason: the protos plus what the live API has ahead of them (Google's SDK). */
export const FINISH_REASONS = [
  'FINISH_REASON_UNSPECIFIED', 'STOP', 'MAX_TOKENS', 'SAFETY', 'RECITATION', 'LANGUAGE', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT',
  'SPII', 'MALFORMED_FUNCTION_CALL', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_OTHER', 'NO_IMAGE', 'IMAGE_RECITATION',
  'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS', 'MISSING_THOUGHT_SIGNATURE', 'MALFORMED_RESPONSE',
] as const;

/** PromptFeedback.BlockReason. */
export const BLOCK_REASONS = ['BLOCK_REASON_UNSPECIFIED', 'SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY'] as const;

export const BEHAVIOUR_KINDS: readonly BehaviourKind[] = [
  'image', 'badRequest', 'badKey', 'permission', 'notFound', 'rateLimited', 'internal', 'unavailable', 'keyTypeUnsupported', 'proxyHtml',
  'promptBlocked', 'finish', 'onlyThoughtImages', 'textOnly', 'reset', 'truncated', 'hang', 'badBase64', 'unknownMime',
];

/** What the next upload (Files API) does. */
export interface UploadBehaviour {
  /** GETs of the new file that still report PROCESSING. Default: the server's processingPolls. */
  processingPolls?: number;
  /** The state after processing. Default ACTIVE. */
  endState?: 'ACTIVE' | 'FAILED';
}

const OPTIONS: Record<BehaviourKind, readonly string[]> = {
  image: ['mimeType', 'count', 'text', 'bytes', 'thoughtImages', 'dataUrlInText', 'keyOrder', 'hostedUrl', 'hostRedirect'],
  keyTypeUnsupported: ['message'],
  badRequest: ['message'],
  badKey: ['message'],
  permission: ['message'],
  notFound: ['message'],
  internal: ['message'],
  unavailable: ['message'],
  rateLimited: ['retryDelaySeconds', 'retryAfter', 'message'],
  proxyHtml: ['status'],
  promptBlocked: ['blockReason'],
  finish: ['finishReason', 'text', 'finishMessage'],
  onlyThoughtImages: ['count', 'text'],
  textOnly: ['text'],
  reset: ['afterBytes'],
  truncated: ['afterBytes'],
  hang: [],
  badBase64: [],
  unknownMime: [],
};
const DELIVERY = ['kind', 'delayMs', 'chunkDelayMs', 'chunkSize', 'escapeSlashes', 'headers'];

function isCount(v: unknown, min: number): boolean {
  return v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min);
}

/** Throws a TypeError naming what is wrong; a typo in a test should fail loudly, not silently. */
export function checkBehaviour(value: unknown): Behaviour {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('a behaviour is an object with a kind');
  const b = value as Record<string, unknown>;
  const kind = b.kind as BehaviourKind;
  if (!BEHAVIOUR_KINDS.includes(kind)) throw new TypeError(`unknown behaviour kind ${JSON.stringify(b.kind)}; known: ${BEHAVIOUR_KINDS.join(', ')}`);
  for (const key of Object.keys(b)) {
    if (!DELIVERY.includes(key) && !OPTIONS[kind].includes(key)) throw new TypeError(`behaviour ${kind} has no option ${key}`);
  }
  for (const key of ['delayMs', 'chunkDelayMs', 'count', 'thoughtImages', 'afterBytes']) {
    if (!isCount(b[key], 0)) throw new TypeError(`${kind}.${key} must be a non-negative integer`);
  }
  if (!isCount(b.chunkSize, 1) || !isCount(b.bytes, 1)) throw new TypeError(`${kind}: chunkSize and bytes must be positive integers`);
  if (b.mimeType !== undefined && !IMAGE_MIMES.includes(b.mimeType as ImageMime)) throw new TypeError(`image.mimeType must be one of ${IMAGE_MIMES.join(', ')}`);
  if (b.keyOrder !== undefined && b.keyOrder !== 'mimeFirst' && b.keyOrder !== 'dataFirst') throw new TypeError('image.keyOrder is mimeFirst or dataFirst');
  if (b.hostedUrl !== undefined && b.hostedUrl !== 'markdown' && b.hostedUrl !== 'bare') throw new TypeError('image.hostedUrl is markdown or bare');
  if (b.hostRedirect !== undefined && b.hostRedirect !== 'sameHost' && b.hostRedirect !== 'otherHost') throw new TypeError('image.hostRedirect is sameHost or otherHost');
  if (kind === 'finish' && typeof b.finishReason !== 'string') throw new TypeError('finish needs a finishReason');
  // Google never sends a reason outside its enum: a test that invents one tests nothing real.
  if (kind === 'finish' && !(FINISH_REASONS as readonly string[]).includes(b.finishReason as string)) {
    throw new TypeError(`finish.finishReason ${JSON.stringify(b.finishReason)} is not in Google's FinishReason enum`);
  }
  if (kind === 'promptBlocked' && b.blockReason !== undefined && !(BLOCK_REASONS as readonly string[]).includes(b.blockReason as string)) {
    throw new TypeError(`promptBlocked.blockReason ${JSON.stringify(b.blockReason)} is not in Google's BlockReason enum`);
  }
  if (kind === 'proxyHtml' && b.status !== undefined && b.status !== 502 && b.status !== 504) throw new TypeError('proxyHtml.status is 502 or 504');
  if (b.retryDelaySeconds !== undefined && b.retryDelaySeconds !== null && !(typeof b.retryDelaySeconds === 'number' && b.retryDelaySeconds >= 0)) {
    throw new TypeError('rateLimited.retryDelaySeconds must be a number of seconds or null');
  }
  for (const key of ['text', 'message', 'blockReason', 'finishMessage']) {
    if (b[key] !== undefined && typeof b[key] !== 'string') throw new TypeError(`${kind}.${key} must be a string`);
  }
  return value as Behaviour;
}

export function checkUploadBehaviour(value: unknown): UploadBehaviour {
  if (typeof value !== 'object' || value === null) throw new TypeError('an upload behaviour is an object');
  const b = value as Record<string, unknown>;
  for (const key of Object.keys(b)) if (key !== 'processingPolls' && key !== 'endState') throw new TypeError(`upload behaviour has no option ${key}`);
  if (!isCount(b.processingPolls, 0)) throw new TypeError('processingPolls must be a non-negative integer');
  if (b.endState !== undefined && b.endState !== 'ACTIVE' && b.endState !== 'FAILED') throw new TypeError('endState is ACTIVE or FAILED');
  return value as UploadBehaviour;
}
