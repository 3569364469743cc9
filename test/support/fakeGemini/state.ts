// Everything the stand-in remembers between requests; reset() empties it.
import type { FakeBatchOptions } from './batches';
import type { Behaviour, UploadBehaviour } from './behaviours';
import type { RecordedRequest } from './exchange';
import type { ImageMime } from './images';
import type { ImageHost } from './imageHost';

export type AuthStyle = 'x-goog-api-key' | 'bearer' | 'query';

export interface FakeGeminiOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Accepted keys. Default ['test-key']. */
  apiKeys?: string[];
  /** Where a key may come from. Default all three. */
  authStyles?: AuthStyle[];
  /** Answer generateContent with snake_case names (inline_data, mime_type...), like some relays. */
  snakeCase?: boolean;
  /** The Files API upload route exists. Default true; false: /upload/... answers a relay's 404 page. */
  uploadRoute?: boolean;
  /** Replaces scheme, host and port in x-goog-upload-url (relays that rewrite it). */
  uploadUrlBase?: string;
  /** GETs of a new file that report PROCESSING before ACTIVE. Default 0. */
  processingPolls?: number;
  /** Delay before answering generateContent when a behaviour names none. Default 0. */
  defaultDelayMs?: number;
  /** Larger request bodies get 400 "Request payload size exceeds the limit". Default 100 MiB. */
  maxRequestBytes?: number;
  /** Keep each request's parsed body in `requests`. Default true; long benchmarks may turn it off. */
  recordBodies?: boolean;
  /** Keep the bytes of sent images in `sentImages`. Default true; long benchmarks may turn it off. */
  keepSentImages?: boolean;
  /** The most models one GET /v1beta/models page holds, whatever pageSize asks. Default 1000 (Google's cap). */
  maxModelsPageSize?: number;
  /** A relay's own names: alias -> the model id it serves (retired ids included, as relays keep them). */
  modelAliases?: Record<string, string>;
  /** Replies from these models carry modelStatus.retirementTime (RFC 3339), by id. */
  retirementTimes?: Record<string, string>;
  /** google (default): today's lineup; relay: a relay's own page (no Nano Banana 2.1, no methods), and 404 for what it lacks. */
  lineup?: 'google' | 'relay';
  /**
   * Old unrestricted "Standard" keys: models.list accepts them, generateContent and countTokens
   * answer 401 ACCESS_TOKEN_TYPE_UNSUPPORTED (Google since 2026-06-19).
   */
  standardKeys?: string[];
  /** GET /v1beta/models answers this error status instead (relays without the route: 404). */
  modelsListStatus?: 404 | 403 | 500;
  /** The Batch API's pace and failure modes (batches.ts); read on every request, so tests may change it. */
  batch?: FakeBatchOptions;
  /**
   * Build each distinct image reply once and send the same bytes again (same image, signatures
   * and responseId): the bench measures the client, not the stand-in making PNGs. Default false.
   */
  prebuiltReplies?: boolean;
}

/** A file in the Files API store. */
export interface FakeFile {
  name: string;
  displayName?: string;
  mimeType: string;
  sizeBytes: string;
  createTime: string;
  updateTime: string;
  expirationTime: string;
  sha256Hash: string;
  uri: string;
  state: 'PROCESSING' | 'ACTIVE' | 'FAILED';
  source: 'UPLOADED';
  bytes: Buffer;
  ownerKey: string;
  expired: boolean;
  /** GETs still to answer PROCESSING. */
  pollsLeft: number;
  endState: 'ACTIVE' | 'FAILED';
}

export interface UploadSession {
  id: string;
  ownerKey: string;
  displayName?: string;
  mimeType?: string;
  declaredLength?: number;
  chunks: Buffer[];
  received: number;
  behaviour: UploadBehaviour;
}

export interface SentImage {
  /** Absent when the server was started with keepSentImages: false. */
  bytes?: Buffer;
  size: number;
  mimeType: ImageMime | string;
  thought: boolean;
}

export interface IssuedSignature {
  hash: string;
  model: string;
  reply: string;
}

export class ServerState {
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly queue: Behaviour[] = [];
  defaultBehaviour: Behaviour = { kind: 'image' };
  /** Every image part sent, drafts included, in order. */
  readonly sent: SentImage[] = [];
  readonly sentImages: Buffer[] = [];
  readonly sentThoughtImages: Buffer[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly uploads = new Map<string, UploadSession>();
  readonly uploadQueue: UploadBehaviour[] = [];
  /** thoughtSignature -> what it was issued for; `reply` groups the signatures of one answer. */
  readonly signatures = new Map<string, IssuedSignature>();
  /** How many signatures each answer carried. */
  readonly signaturesPerReply = new Map<string, number>();
  imageSeq = 0;
  /** Where hosted-URL replies put their images (another origin). */
  imageHost?: ImageHost;

  constructor(readonly options: FakeGeminiOptions) {}

  get apiKeys(): string[] {
    return [...(this.options.apiKeys ?? ['test-key']), ...(this.options.standardKeys ?? [])];
  }

  nextBehaviour(): Behaviour {
    return this.queue.shift() ?? this.defaultBehaviour;
  }

  recordSent(bytes: Buffer, mimeType: string, thought: boolean): void {
    const keep = this.options.keepSentImages !== false;
    this.sent.push({ bytes: keep ? bytes : undefined, size: bytes.length, mimeType, thought });
    if (keep) (thought ? this.sentThoughtImages : this.sentImages).push(bytes);
  }

  issueSignature(signature: string, issued: IssuedSignature): void {
    this.signatures.set(signature, issued);
    this.signaturesPerReply.set(issued.reply, (this.signaturesPerReply.get(issued.reply) ?? 0) + 1);
  }

  /** Serialized image replies by what shaped them (options.prebuiltReplies). */
  readonly prebuilt = new Map<string, Buffer>();

  reset(): void {
    if (this.imageHost) this.imageHost.requests.length = 0;
    this.prebuilt.clear();
    this.requests.length = 0;
    this.queue.length = 0;
    this.defaultBehaviour = { kind: 'image' };
    this.sent.length = 0;
    this.sentImages.length = 0;
    this.sentThoughtImages.length = 0;
    this.files.clear();
    this.uploads.clear();
    this.uploadQueue.length = 0;
    this.signatures.clear();
    this.signaturesPerReply.clear();
  }
}
