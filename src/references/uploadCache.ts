// Which reference images are already uploaded through the Files API, per endpoint (base URL +
// key hash, see endpointId) and content hash; how often each image was used; and which base URLs
// have no upload route. Pure: the state goes through a small store the caller backs (VS Code's
// globalState). Nothing here holds the key: entries are keyed by endpointId, a hash of it.
import { createHash } from 'node:crypto';
import type { Endpoint, GeminiFile } from '../gemini/types';
import { baseUrlOf, endpointId } from '../gemini/files';

/** Where the cache lives between sessions (globalState.get / update for one key). */
export interface UploadCacheStore {
  get(): unknown;
  set(value: UploadCacheState): Promise<void>;
}

export interface UploadCacheEntry {
  name: string;
  uri: string;
  mimeType: string;
  /** RFC 3339, as the server said; absent: assumed 48 h after uploadedAt. */
  expirationTime?: string;
  sizeBytes?: string;
  /** ms since the epoch. */
  uploadedAt: number;
  /** When the server last confirmed the file (the upload itself, or a GET). */
  checkedAt: number;
}

export interface UploadCacheState {
  version: 1;
  /** `${endpointId}|${sha256 hex}` -> the uploaded file. */
  files: Record<string, UploadCacheEntry>;
  /** Same keys: how often an image was used as a reference (auto mode uploads on the second use). */
  uses: Record<string, { count: number; lastUsed: number }>;
  /** Base URL -> when we found it has no upload route, and when we last tried it. */
  noUploadRoute: Record<string, { since: number; checkedAt: number }>;
}

export interface UploadCacheOptions {
  /** Reuse an entry until this long before its expirationTime (default 1 h). */
  reuseMarginMs?: number;
  /** An entry not confirmed for this long is checked with a GET before use (default 6 h). */
  verifyAfterMs?: number;
  /** A base URL without upload route is tried again after this long (default 24 h). */
  noRouteRetryMs?: number;
  /** Called the first time a base URL turns out to have no upload route (tell the user once). */
  onFallback?: (baseUrl: string) => void;
  maxEntries?: number;
  now?: () => number;
}

const HOUR = 3600_000;
const FILE_LIFETIME_MS = 48 * HOUR;
const USE_MEMORY_MS = 30 * 24 * HOUR;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class UploadCache {
  private readonly reuseMarginMs: number;
  private readonly verifyAfterMs: number;
  private readonly noRouteRetryMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private writes: Promise<void> = Promise.resolve();
  /** Uploads under way, so two references to the same image in one request upload once. */
  readonly inFlight = new Map<string, Promise<UploadCacheEntry>>();

  constructor(
    private readonly store: UploadCacheStore,
    private readonly options: UploadCacheOptions = {},
  ) {
    this.reuseMarginMs = options.reuseMarginMs ?? HOUR;
    this.verifyAfterMs = options.verifyAfterMs ?? 6 * HOUR;
    this.noRouteRetryMs = options.noRouteRetryMs ?? 24 * HOUR;
    this.maxEntries = options.maxEntries ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** The cache key of an image for an endpoint: endpointId (no key) and the content hash. */
  keyOf(endpoint: Endpoint, sha256: string): string {
    return `${endpointId(endpoint)}|${sha256}`;
  }

  /** An entry still usable (not within the margin of its expiry), or undefined. */
  lookup(endpoint: Endpoint, sha256: string): UploadCacheEntry | undefined {
    const entry = this.read().files[this.keyOf(endpoint, sha256)];
    return entry && this.usable(entry) ? entry : undefined;
  }

  /** True when the entry should be confirmed with a GET before it is sent. */
  needsCheck(entry: UploadCacheEntry): boolean {
    return this.now() - entry.checkedAt >= this.verifyAfterMs;
  }

  async remember(endpoint: Endpoint, sha256: string, file: GeminiFile): Promise<UploadCacheEntry> {
    const now = this.now();
    const entry: UploadCacheEntry = { name: file.name, uri: file.uri, mimeType: file.mimeType, uploadedAt: now, checkedAt: now };
    if (file.expirationTime) entry.expirationTime = file.expirationTime;
    if (file.sizeBytes) entry.sizeBytes = file.sizeBytes;
    await this.update((s) => {
      s.files[this.keyOf(endpoint, sha256)] = entry;
    });
    return entry;
  }

  /** The server confirmed the file (a GET): trust it for another verifyAfterMs. */
  async confirm(endpoint: Endpoint, sha256: string, file: GeminiFile): Promise<void> {
    await this.update((s) => {
      const entry = s.files[this.keyOf(endpoint, sha256)];
      if (!entry || entry.name !== file.name) return;
      entry.checkedAt = this.now();
      if (file.expirationTime) entry.expirationTime = file.expirationTime;
    });
  }

  async invalidate(endpoint: Endpoint, sha256: string): Promise<void> {
    await this.update((s) => {
      delete s.files[this.keyOf(endpoint, sha256)];
    });
  }

  /** Forgets every entry with this file uri (generateContent answered 403 for it). */
  async invalidateUri(uri: string): Promise<boolean> {
    let found = false;
    await this.update((s) => {
      for (const [key, entry] of Object.entries(s.files)) {
        if (entry.uri === uri) {
          delete s.files[key];
          found = true;
        }
      }
    });
    return found;
  }

  /** Counts one more use of an image as a reference; returns the count including this one. */
  async countUse(endpoint: Endpoint, sha256: string): Promise<number> {
    let count = 0;
    await this.update((s) => {
      const key = this.keyOf(endpoint, sha256);
      count = (s.uses[key]?.count ?? 0) + 1;
      s.uses[key] = { count, lastUsed: this.now() };
    });
    return count;
  }

  usesOf(endpoint: Endpoint, sha256: string): number {
    return this.read().uses[this.keyOf(endpoint, sha256)]?.count ?? 0;
  }

  /** True while this base URL is known to have no upload route (inline at once, no attempt). */
  hasNoUploadRoute(endpoint: Pick<Endpoint, 'baseUrl' | 'apiKey'>): boolean {
    const known = this.read().noUploadRoute[baseUrlOf(endpointId(endpoint))];
    return known !== undefined && this.now() - known.checkedAt < this.noRouteRetryMs;
  }

  /** Remembers the missing route; onFallback fires only the first time for a base URL. */
  async rememberNoUploadRoute(endpoint: Pick<Endpoint, 'baseUrl' | 'apiKey'>): Promise<void> {
    const baseUrl = baseUrlOf(endpointId(endpoint));
    let first = false;
    await this.update((s) => {
      const known = s.noUploadRoute[baseUrl];
      first = known === undefined;
      s.noUploadRoute[baseUrl] = { since: known?.since ?? this.now(), checkedAt: this.now() };
    });
    if (first) this.options.onFallback?.(baseUrl);
  }

  /** An upload went through: the relay has the route after all. */
  async clearNoUploadRoute(endpoint: Pick<Endpoint, 'baseUrl' | 'apiKey'>): Promise<void> {
    const baseUrl = baseUrlOf(endpointId(endpoint));
    if (!(baseUrl in this.read().noUploadRoute)) return;
    await this.update((s) => {
      delete s.noUploadRoute[baseUrl];
    });
  }

  /** A copy of the current state (for tests and diagnostics). */
  snapshot(): UploadCacheState {
    return structuredClone(this.read());
  }

  private usable(entry: UploadCacheEntry): boolean {
    const expires = entry.expirationTime ? Date.parse(entry.expirationTime) : entry.uploadedAt + FILE_LIFETIME_MS;
    const expiresAt = Number.isNaN(expires) ? entry.uploadedAt + FILE_LIFETIME_MS : expires;
    return this.now() < expiresAt - this.reuseMarginMs;
  }

  private read(): UploadCacheState {
    return readState(this.store.get());
  }

  /** Read, change, prune, write: serialised, so concurrent updates do not lose each other. */
  private update(change: (state: UploadCacheState) => void): Promise<void> {
    const run = this.writes.then(async () => {
      const state = this.read();
      change(state);
      this.prune(state);
      await this.store.set(state);
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private prune(state: UploadCacheState): void {
    const now = this.now();
    const files = Object.entries(state.files).filter(([, e]) => this.usable(e));
    files.sort((a, b) => b[1].uploadedAt - a[1].uploadedAt);
    state.files = Object.fromEntries(files.slice(0, this.maxEntries));
    const uses = Object.entries(state.uses).filter(([, u]) => now - u.lastUsed < USE_MEMORY_MS);
    uses.sort((a, b) => b[1].lastUsed - a[1].lastUsed);
    state.uses = Object.fromEntries(uses.slice(0, this.maxEntries * 4));
  }
}

/** The stored value, checked: anything unexpected (an older format, a hand edit) starts empty. */
function readState(value: unknown): UploadCacheState {
  const empty: UploadCacheState = { version: 1, files: {}, uses: {}, noUploadRoute: {} };
  if (!isRecord(value) || value.version !== 1) return empty;
  const state = structuredClone(value) as Partial<UploadCacheState>;
  const files: Record<string, UploadCacheEntry> = {};
  for (const [key, e] of Object.entries(isRecord(state.files) ? state.files : {})) {
    if (isRecord(e) && typeof e.name === 'string' && typeof e.uri === 'string' && typeof e.mimeType === 'string' && typeof e.uploadedAt === 'number' && typeof e.checkedAt === 'number') {
      files[key] = e as unknown as UploadCacheEntry;
    }
  }
  const uses: UploadCacheState['uses'] = {};
  for (const [key, u] of Object.entries(isRecord(state.uses) ? state.uses : {})) {
    if (isRecord(u) && typeof u.count === 'number' && typeof u.lastUsed === 'number') uses[key] = { count: u.count, lastUsed: u.lastUsed };
  }
  const noUploadRoute: UploadCacheState['noUploadRoute'] = {};
  for (const [key, n] of Object.entries(isRecord(state.noUploadRoute) ? state.noUploadRoute : {})) {
    if (isRecord(n) && typeof n.since === 'number' && typeof n.checkedAt === 'number') noUploadRoute[key] = { since: n.since, checkedAt: n.checkedAt };
  }
  return { version: 1, files, uses, noUploadRoute };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A store in memory (tests, or a session without global storage). */
export function memoryStore(initial?: unknown): UploadCacheStore & { value: unknown } {
  const store = {
    value: initial,
    get: () => store.value,
    set: async (value: UploadCacheState) => {
      store.value = structuredClone(value);
    },
  };
  return store;
}
