// The pipeline's ports for tests: a fixed key, a folder, a progress channel that can cancel, a
// gallery that records what it was told, stores in memory. What a front end would give it.
import { join } from 'node:path';
import type { Conversation } from '../../src/gemini/conversation';
import type { GallerySink, GenerationDeps, LinkedImage, ProgressEvent, ReferenceLimitQuestion } from '../../src/generation/ports';
import { UploadCache } from '../../src/references/uploadCache';
import type { GalleryRecord } from '../../src/shared/gallery';

export type SinkEvent = { type: 'add'; id: string; prompt: string; count: number } | { type: 'resolve'; id: string; records: GalleryRecord[]; updated: GalleryRecord[] } | { type: 'fail'; id: string; error: unknown };

export class RecordingSink implements GallerySink {
  readonly events: SinkEvent[] = [];
  addPending(id: string, card: { prompt: string; count: number }): void {
    this.events.push({ type: 'add', id, ...card });
  }
  async resolvePending(id: string, records: GalleryRecord[], updated: GalleryRecord[] = []): Promise<void> {
    this.events.push({ type: 'resolve', id, records, updated });
  }
  failPending(id: string, error: unknown): void {
    this.events.push({ type: 'fail', id, error });
  }
}

export interface Harness {
  deps: GenerationDeps;
  sink: RecordingSink;
  progress: ProgressEvent[];
  links: LinkedImage[][];
  questions: ReferenceLimitQuestion[];
  conversations: Map<string, Conversation>;
  /** Aborts the running generations, as the notification's Cancel does. */
  cancel(): void;
}

export function pipelineHarness(options: { baseUrl: string; apiKey: string | undefined; dir: string; model?: string; answer?: boolean; log?: GenerationDeps['log']; gallery?: GallerySink }): Harness {
  const sink = new RecordingSink();
  const progress: ProgressEvent[] = [];
  const links: LinkedImage[][] = [];
  const questions: ReferenceLimitQuestion[] = [];
  const conversations = new Map<string, Conversation>();
  const aborts = new Set<AbortController>();
  let uploads: unknown;
  const deps: GenerationDeps = {
    settings: { model: options.model ?? 'gemini-nano-banana-2.1', baseUrl: options.baseUrl, authStyle: 'x-goog-api-key', timeoutMs: 10_000, maxRetries: 0, referenceMode: 'inline' },
    keys: { apiKey: async () => options.apiKey },
    targets: { choose: async (prompt) => ({ targetPath: (ext) => join(options.dir, 'images', `${prompt.slice(0, 20).replace(/\W+/g, '-')}.${ext}`), tempDir: join(options.dir, 'images') }) },
    progress: {
      run: async (work) => {
        const abort = new AbortController();
        aborts.add(abort);
        try {
          return await work((e) => progress.push(e), abort.signal);
        } finally {
          aborts.delete(abort);
        }
      },
    },
    gallery: options.gallery ?? sink,
    conversations: { get: async (id) => conversations.get(id), set: async (id, c) => void conversations.set(id, c) },
    uploads: new UploadCache({ get: () => uploads, set: async (v) => void (uploads = v) }),
    links: { insert: async (images) => void links.push([...images]) },
    confirmReferenceLimit: async (q) => {
      questions.push(q);
      return options.answer ?? true;
    },
    draftsDir: join(options.dir, 'drafts'),
    log: options.log,
  };
  return { deps, sink, progress, links, questions, conversations, cancel: () => aborts.forEach((a) => a.abort()) };
}
