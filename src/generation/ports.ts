// What the generation pipeline is given by its front end (the editor, the docs filler, the CLI,
// the tests): small interfaces, so it runs in plain Node and never knows who asked.
import type { Logger } from '../gemini/client';
import type { Conversation } from '../gemini/conversation';
import type { EndpointWord, PriceOverrides, ServiceTier, ThinkingLevel } from '../core/models';
import type { GeminiError } from '../gemini/errors';
import type { ModelStatusBook } from '../gemini/modelStatusBook';
import type { ModelListCache } from '../gemini/modelLister';
import type { UnsupportedParameterMemory } from '../gemini/unsupportedParameters';
import type { ModelStatus } from '../gemini/types';
import type { ProxySettings } from '../gemini/http';
import type { AuthStyle } from '../gemini/types';
import type { ReferenceMode } from '../references/referenceParts';
import type { UploadCache } from '../references/uploadCache';
import type { ImageOptions } from '../shared/choices';
import type { GalleryRecord } from '../shared/gallery';

export type { ImageOptions };


/** One generation as a front end asks for it. */
export interface GenerationJob {
  /** The prompt as sent (a style's text included). */
  prompt: string;
  /** What the user typed, for the file name and alt text; defaults to `prompt`. */
  userPrompt?: string;
  styleName?: string;
  options: ImageOptions;
  /** Reference images (edit / combine), by path. */
  references?: readonly string[];
  /** How the metadata names the references (workspace-relative); default: their file names. */
  sourceNames?: readonly string[];
  /** Continue the conversation of this gallery image with `prompt` as the instruction. */
  refineOf?: GalleryRecord;
}

/** The settings the pipeline reads (config.ts's Settings has them all). */
export interface GenerationSettings {
  readonly model: string;
  /** The model setting was empty: choose from the endpoint's models list (see deps.modelCache). */
  readonly modelIsAutomatic?: boolean;
  /** Undefined: the model's default (nothing sent). */
  readonly thinkingLevel?: ThinkingLevel;
  /** The user's prices per image, for the estimates recorded with each image. */
  readonly priceOverrides?: PriceOverrides;
  readonly baseUrl: string;
  readonly authStyle: AuthStyle;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly referenceMode: ReferenceMode;
  readonly proxy?: ProxySettings;
  /** geminiImage.serviceTier: standard (nothing sent) or priority; Flex for docs fills. */
  readonly serviceTier?: ServiceTier;
}

/** The key, or undefined when there is none (the source has told the user). */
export interface KeySource {
  apiKey(): Promise<string | undefined>;
}

/** Where the images of one generation go, decided before anything is sent. */
export interface ImageTarget {
  /** Absolute path for an image of this extension (before -1, -2 numbering). */
  targetPath(ext: string): string;
  /** The folder the temporary files go to (the destination's, so committing is a rename). */
  tempDir: string;
}

/** Undefined when the user declined to choose (a dismissed save dialog). */
export interface TargetChooser {
  choose(prompt: string): Promise<ImageTarget | undefined>;
}

export type ProgressEvent =
  | { type: 'started'; count: number; model: string }
  | { type: 'saved'; done: number; count: number }
  | { type: 'retry'; attempt: number; delayMs: number };

/** Runs the work with a way to say how far it is, and a signal that aborts when the user cancels. */
export interface ProgressChannel {
  run<T>(work: (report: (event: ProgressEvent) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** The gallery: placeholder cards while a generation runs, then its records (kept and shown). */
export interface GallerySink {
  addPending(id: string, card: { prompt: string; count: number }): void;
  /** `updated`: existing records that changed with this result (a refine's source becoming v1). */
  resolvePending(id: string, records: GalleryRecord[], updated?: GalleryRecord[]): Promise<void>;
  failPending(id: string, error: unknown): void;
}

export interface LinkedImage {
  path: string;
  prompt: string;
}

/** Puts links to the new images where the job came from (a markdown editor). */
export interface LinkInserter {
  insert(images: readonly LinkedImage[]): Promise<void>;
}

/** The refine conversation behind each gallery image, by record id. */
export interface ConversationStore {
  get(id: string): Conversation | undefined;
  set(id: string, conversation: Conversation): Promise<void>;
}

export interface ReferenceLimitQuestion {
  model: string;
  max: number;
  count: number;
}

export interface GenerationDeps {
  settings: GenerationSettings;
  keys: KeySource;
  targets: TargetChooser;
  progress: ProgressChannel;
  gallery: GallerySink;
  conversations: ConversationStore;
  uploads: UploadCache;
  /** Absent: no link is inserted. */
  links?: LinkInserter;
  /** More references than the model takes: send anyway? Absent: yes. Asked once per job. */
  confirmReferenceLimit?(question: ReferenceLimitQuestion): Promise<boolean>;
  /** Private storage for the draft images a refine must send back. */
  draftsDir: string;
  log?: Logger;
  userAgent?: string;
  /** Parameters each model on a base URL was found not to take (one retry without, then remembered). */
  parameterMemory?: UnsupportedParameterMemory;
  /** The endpoint's models list, a day per endpoint, for the automatic model choice. */
  modelCache?: ModelListCache;
  /** What each endpoint said about its models (modelStatus, 404s): the automatic choice follows it. */
  statusBook?: ModelStatusBook;
  /** A configured model about to stop or stopped: offer its replacement. Resolves to the model to use. */
  confirmModel?(model: string, status?: ModelStatus, word?: EndpointWord): Promise<string>;
  /** A reply's modelStatus said when the model retires. */
  onModelStatus?(model: string, status: ModelStatus): void;
}

export interface GenerationOutcome {
  records: GalleryRecord[];
  /** Requests that failed while others succeeded. */
  failures: GeminiError[];
  count: number;
}
