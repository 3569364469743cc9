// Where pending batch jobs are remembered between runs: one JSON file per workspace, replaced
// atomically on every change. A job is written here before its input is uploaded and again before
// its create is sent, so a run killed at any moment leaves enough to find the job again (by its
// display name) instead of creating a second, billed one. A lock file keeps two runs apart.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ImageMetadata } from '../core/imageMetadata';
import { writeAtomically } from '../workspace/metadataFiles';
import { isRunning } from '../workspace/imageStore';

export interface JobEntry {
  /** The request's key in the batch: the image's path relative to the workspace root. */
  key: string;
  relPath: string;
  meta: ImageMetadata;
  /** A stale image: the old one goes to the trash when the new one arrives. */
  replace: boolean;
}

export interface StoredJob {
  /** Ours, random; also in the display name. */
  id: string;
  displayName: string;
  /** endpointId: base URL and a hash of the key, never the key. */
  endpoint: string;
  model: string;
  /** uploading: the input may be on its way; creating: the create may have been sent; created: `name` is known. */
  phase: 'uploading' | 'creating' | 'created';
  inputFile?: string;
  name?: string;
  createdAt: string;
  entries: JobEntry[];
  /** Keys written (or reported failed) already. */
  settled: string[];
}

interface StoreFile {
  version: 1;
  workspace: string;
  jobs: StoredJob[];
}

/** The user's cache folder for this tool (XDG on Linux, Caches on macOS, LOCALAPPDATA on Windows). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.GEMINI_IMAGE_CACHE_DIR) return env.GEMINI_IMAGE_CACHE_DIR;
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'gemini-image', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'gemini-image');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'gemini-image');
}

/** The folder for one workspace: its name and a hash of its real path. */
export function workspaceCacheDir(root: string, cache = cacheRoot()): string {
  const hash = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  const name = path.basename(path.resolve(root)).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return path.join(cache, 'workspaces', `${name}-${hash}`);
}

export function newJobId(): string {
  return randomBytes(6).toString('hex');
}

export class JobStore {
  jobs: StoredJob[] = [];
  private readonly file: string;

  constructor(
    readonly dir: string,
    private readonly workspace: string,
  ) {
    this.file = path.join(dir, 'jobs.json');
  }

  async load(): Promise<StoredJob[]> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as StoreFile;
      this.jobs = Array.isArray(parsed.jobs) ? parsed.jobs : [];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.jobs = [];
    }
    return this.jobs;
  }

  async save(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const data: StoreFile = { version: 1, workspace: this.workspace, jobs: this.jobs };
    await writeAtomically(this.file, `${JSON.stringify(data, null, 1)}\n`);
  }

  remove(job: StoredJob): void {
    this.jobs = this.jobs.filter((j) => j !== job);
  }

  /**
   * Takes the workspace's lock, or throws when a live process holds it. A lock left by a process
   * that is gone (killed) is taken over.
   */
  async lock(): Promise<() => Promise<void>> {
    await fs.mkdir(this.dir, { recursive: true });
    const lockFile = path.join(this.dir, 'lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
        return async () => {
          await fs.rm(lockFile, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(await fs.readFile(lockFile, 'utf8').catch(() => ''));
        if (holder && holder !== process.pid && isRunning(holder)) throw new JobStoreLocked(holder);
        await fs.rm(lockFile, { force: true });
      }
    }
    throw new JobStoreLocked(0);
  }
}

export class JobStoreLocked extends Error {
  constructor(readonly pid: number) {
    super(`Another run (process ${pid}) is filling this workspace.`);
  }
}

/** Where a job's replaced images are kept: one folder per job, the same on every rerun. */
export function jobTrashDir(trashRoot: string, job: Pick<StoredJob, 'createdAt' | 'id'>): string {
  return path.join(trashRoot, `${job.createdAt.replace(/[:.]/g, '-')}-${job.id}`);
}
