// What the bench's orchestrator (run.ts) and its child processes (worker.ts, activation.ts) send
// each other over the fork IPC channel: one task in, one result (or an error) out.

export interface ServerInfo {
  url: string;
  key: string;
  model: string;
}

/** `ours` is the editor's path with streaming off (generateContent); `stream` the same through streamGenerateContent?alt=sse. */
export type Contender = 'ours' | 'baseline' | 'stream';

/** Per-image time, request to file on disk, alternating ours / baseline / floor in one process. */
export interface TimingTask {
  kind: 'timing';
  server: ServerInfo;
  sizes: number[];
  runs: number;
  warmups: number;
}

export interface TimingSeries {
  /** Image bytes the server was asked for. */
  targetBytes: number;
  /** Bytes of the file actually written. */
  imageBytes: number;
  ours: number[];
  baseline: number[];
  /** Ours through the stream path (streamGenerateContent?alt=sse). */
  stream: number[];
  /** The reply read and dropped with undici: the server's and the transfer's share. */
  floor: number[];
  /** The stand-in's CPU time per reply over the series (its process, user + system). */
  serverCpuMsPerReply: number;
  /** Each contender's first warm-up at this size (cold for the first size: the process's first request). */
  cold: { ours: number; baseline: number; stream: number };
}

export interface TimingResult {
  kind: 'timing';
  series: TimingSeries[];
}

/** One contender, one big reply, in a fresh process: longest event-loop stall and peak RSS growth. */
export interface MemoryTask {
  kind: 'memory';
  server: ServerInfo;
  contender: Contender;
  bytes: number;
}

export interface MemoryResult {
  kind: 'memory';
  contender: Contender;
  imageBytes: number;
  durationMs: number;
  /** monitorEventLoopDelay max (resolution 1 ms), in ms. */
  maxStallMs: number;
  /** The longest gap seen by a 1 ms interval, and the process's CPU time (all threads) during it. */
  worstGap: { wallMs: number; cpuMs: number };
  /** Peak RSS during the request minus RSS just before it. */
  rssGrowthBytes: number;
  /** How the peak was read: the kernel's VmHWM reset just before the request, or getrusage maxRSS. */
  peakSource: 'VmHWM' | 'maxRSS';
}

/** generateImages count 1 vs count N against a server that waits before answering. */
export interface ParallelTask {
  kind: 'parallel';
  server: ServerInfo;
  bytes: number;
  delayMs: number;
  count: number;
  runs: number;
}

export interface ParallelResult {
  kind: 'parallel';
  one: number[];
  many: number[];
  /** Images written by the last count-N run (should equal count). */
  imagesWritten: number;
}

/** Second edit with the same reference image (the Files API cache). */
export interface ReferenceTask {
  kind: 'references';
  server: ServerInfo;
  /** The repository, to look for the cache module in out/src. */
  root: string;
}

export type ReferenceResult =
  | { kind: 'references'; status: 'pending' | 'failed'; note: string }
  | { kind: 'references'; status: 'measured'; imageBytes: number; firstEditBytes: number; secondEditBytes: number };

export type WorkerTask = TimingTask | MemoryTask | ParallelTask | ReferenceTask;
export type WorkerResult = TimingResult | MemoryResult | ParallelResult | ReferenceResult;

export interface ActivationTask {
  kind: 'activation';
  /** The production bundle (a private copy, with undici.js beside it). */
  bundle: string;
  extensionDir: string;
  /** Node built-ins to load before the clock starts (to tell their cost from the extension's own). */
  preload?: string[];
}

export interface ActivationResult {
  kind: 'activation';
  requireMs: number;
  activateMs: number;
  /** Whether any undici was in require.cache once activate() returned. */
  undiciLoaded: boolean;
  /** Modules (files) required while loading and activating, besides the bundle itself. */
  loadedFiles: string[];
  /** node built-ins loaded for the first time during require + activate. */
  builtinsLoaded: string[];
  commandsRegistered: number;
  serializersRegistered: number;
}

export type ChildMessage<R> = { ok: true; result: R } | { ok: false; error: string };
