// Image files on disk. Bytes stream into a hidden temporary file next to the destination, and
// only a complete image is given its final name. The final name is taken with link(2), which
// fails when the name exists, so two generations racing for `name.png` can never overwrite each
// other (a stat-then-rename would). workspace.fs has neither streaming writes nor that guarantee,
// so this module uses node's fs; it only ever handles file: paths inside the workspace.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { noFreeName } from '../core/destination';
import { numberedName } from '../core/fileNames';
import { isPng } from '../core/pngMetadata';
import { IEND_CHUNK, PngChunkWatcher } from '../core/pngStream';
import { dropLastBytes, writeAllAt } from './fileWrites';
import type { ImageSink, ImageWriter } from '../gemini/responseParser';

export interface TempImage {
  tempPath: string;
  mimeType: string;
  byteLength: number;
  /** The first bytes, to tell the format. */
  head: Buffer;
  /** Hex sha256 of the bytes, when the sink was asked to compute it (no second read of the file). */
  sha256?: string;
  /** A PNG that ends with IEND and has no text or Content Credentials chunks: ours can be appended in place. */
  appendableText?: boolean;
  /** The sink's `textChunks` are in the file already, before its IEND (byteLength still counts the bytes as sent). */
  textWritten?: boolean;
}

export interface TempFileSinkOptions {
  /** Compute each image's sha256 as it is written. */
  digest?: boolean;
  /**
   * Gather up to this many bytes per write, one write under way while the parser reads on (a
   * thread-pool round trip per network chunk costs more than the writing). Memory held: about
   * twice this per image. Default: each piece is written as it comes, and waited for (the docs
   * fills: reading ahead of the disk there doubled the peak RSS of a Batch fill).
   */
  writeBatchBytes?: number;
  /**
   * Text chunks for a final (not draft) PNG that can take them in place, given its first bytes:
   * written before its IEND with the last bytes, so no second open of the file is needed.
   */
  textChunks?: (head: Buffer) => Uint8Array | undefined;
}

const HEAD_BYTES = 64;
const TEMP_PREFIX = '.gemini-image-';
const TEMP_SUFFIX = '.part';

// Who writes a temporary file: this machine and process. A killed extension host leaves its file
// behind; the next generation can tell its writer is gone instead of waiting for it to age.
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);
const OWNER = `${HOST_TAG}-${process.pid}`;

/** The pid that wrote a temporary file, when that was on this machine. */
function ownerPid(name: string): number | undefined {
  const m = /^\.gemini-image-([0-9a-f]{6})-(\d+)-[0-9a-f]+\.part$/.exec(name);
  return m && m[1] === HOST_TAG ? Number(m[2]) : undefined;
}

/** Whether a process of this machine is still there (EPERM: it is, as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh temporary name in `dir` that names its writer, so a sweep can tell a dead one's leftovers. */
export function tempFileIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${OWNER}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/** Whether a temporary file was left by a writer on this machine that is no longer running. */
export function isOrphanedTempFile(name: string): boolean {
  const pid = ownerPid(name);
  return pid !== undefined && pid !== process.pid && !isRunning(pid);
}

export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
}

/** A sink that writes each image into its own temporary file in `dir` (created if missing). */
export class TempFileSink implements ImageSink<TempImage> {
  private readonly open = new Set<TempFileWriter>();

  constructor(
    private readonly dir: string,
    private readonly options: TempFileSinkOptions = {},
  ) {}

  begin(): ImageWriter<TempImage> {
    const writer = new TempFileWriter(tempFileIn(this.dir), () => this.open.delete(writer), this.options.digest ? createHash('sha256') : undefined, this.options);
    this.open.add(writer);
    return writer;
  }

  /** Drops every writer still open (the parse failed or was cancelled mid-image). */
  async discardAll(): Promise<void> {
    await Promise.all([...this.open].map((w) => w.discard()));
  }
}

/** At most this many pieces per writev (the OS takes 1024). */
const WRITE_BATCH_PIECES = 256;

class TempFileWriter implements ImageWriter<TempImage> {
  /** Without batching, each piece is on disk before write() resolves; a batch keeps its pieces. */
  get keepsNoBytes(): boolean {
    return !this.options.writeBatchBytes;
  }
  private handle: Promise<fs.FileHandle> | undefined;
  private size = 0;
  private head = Buffer.alloc(0);
  private done = false;
  private readonly chunks = new PngChunkWatcher();
  /** Bytes received but not yet handed to a write. */
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  /** The write under way (one at a time, so at most two batches are held). */
  private writing: Promise<void> | undefined;
  private written = 0;

  constructor(
    readonly tempPath: string,
    private readonly onDone: () => void,
    private readonly hash: Hash | undefined,
    private readonly options: TempFileSinkOptions,
  ) {}

  private file(): Promise<fs.FileHandle> {
    // The folder usually exists: try first, create it only when the open says it is missing.
    this.handle ??= fs.open(this.tempPath, 'wx').catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      await fs.mkdir(path.dirname(this.tempPath), { recursive: true });
      return fs.open(this.tempPath, 'wx');
    });
    return this.handle;
  }

  write(bytes: Uint8Array): void | Promise<void> {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, Buffer.from(bytes.subarray(0, HEAD_BYTES - this.head.length))]);
    this.size += bytes.byteLength;
    this.hash?.update(bytes);
    this.chunks.feed(bytes);
    // Kept, not copied (each piece is the parser's fresh buffer).
    this.batch.push(bytes);
    this.batchBytes += bytes.byteLength;
    if (!this.options.writeBatchBytes) return this.startWrite().then(() => this.writing);
    if (this.batchBytes >= this.options.writeBatchBytes || this.batch.length >= WRITE_BATCH_PIECES) return this.startWrite();
  }

  /** Hands the batch to a write once the one before it is done (its failure surfaces here). */
  private async startWrite(): Promise<void> {
    if (this.writing) await this.writing;
    const pieces = this.batch;
    const at = this.written;
    this.written += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    const writing = this.file().then((handle) => writeAllAt(handle, pieces, at));
    // Awaited by the next write or finish; until then its failure must not count as unhandled.
    writing.catch(() => undefined);
    this.writing = writing;
  }

  async finish(mimeType: string, part?: { thought: boolean }): Promise<TempImage> {
    const types = this.chunks.types;
    const appendableText = isPng(this.head) && this.chunks.endsWithIend() && !['tEXt', 'zTXt', 'iTXt', 'caBX'].some((t) => types.has(t));
    const text = appendableText && !part?.thought ? this.options.textChunks?.(this.head) : undefined;
    // The usual case: the IEND is among the bytes not yet written, so the text goes in with them.
    const withLast = !!text && this.batchBytes >= IEND_CHUNK.length;
    if (withLast) {
      dropLastBytes(this.batch, IEND_CHUNK.length);
      this.batch.push(text, IEND_CHUNK);
      this.batchBytes += text.length;
    }
    await this.startWrite();
    await this.writing;
    const handle = await this.file();
    if (text && !withLast) await writeAllAt(handle, [text, IEND_CHUNK], this.size - IEND_CHUNK.length);
    await handle.close();
    this.done = true;
    this.onDone();
    return { tempPath: this.tempPath, mimeType, byteLength: this.size, head: this.head, sha256: this.hash?.digest('hex'), appendableText, textWritten: !!text };
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.onDone();
    this.batch = [];
    await this.writing?.catch(() => undefined);
    if (this.handle) {
      await this.handle.then((h) => h.close()).catch(() => undefined);
      await removeFile(this.tempPath);
    }
  }
}

/**
 * Gives a finished temporary file its final name: `base.ext`, else `base-1.ext`, `base-2.ext`...
 * Never overwrites. Returns the path taken.
 */
export async function commitImage(tempPath: string, targetPath: string, maxTries = 1000): Promise<string> {
  const dir = path.dirname(targetPath);
  const ext = path.extname(targetPath).slice(1);
  const base = path.basename(targetPath, path.extname(targetPath));
  try {
    for (let n = 0; n < maxTries; n++) {
      const candidate = path.join(dir, numberedName(base, ext, n));
      try {
        await fs.link(tempPath, candidate);
        return candidate;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') return await commitWithoutLinks(tempPath, candidate, base, ext, n, maxTries);
        throw e;
      }
    }
    throw noFreeName(path.join(dir, numberedName(base, ext, 0)), maxTries);
  } finally {
    await removeFile(tempPath);
  }
}

/** Removes a file that may already be gone (an unlink: rm's extra stat is not needed here). */
export async function removeFile(file: string): Promise<void> {
  await fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Puts `chunks` before the IEND that ends the PNG file of `size` bytes, in place: no rewrite. */
export async function insertBeforeIend(file: string, size: number, chunks: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    const tail = Buffer.concat([chunks, IEND_CHUNK]);
    let offset = 0;
    while (offset < tail.length) offset += (await handle.write(tail, offset, tail.length - offset, size - 12 + offset)).bytesWritten;
  } finally {
    await handle.close();
  }
}

/** For filesystems without hard links: copy with COPYFILE_EXCL, which also refuses to overwrite. */
async function commitWithoutLinks(tempPath: string, first: string, base: string, ext: string, from: number, maxTries: number): Promise<string> {
  const dir = path.dirname(first);
  for (let n = from; n < maxTries; n++) {
    const candidate = path.join(dir, numberedName(base, ext, n));
    try {
      await fs.copyFile(tempPath, candidate, fs.constants.COPYFILE_EXCL);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw noFreeName(path.join(dir, numberedName(base, ext, 0)), maxTries);
}

const lastSweep = new Map<string, number>();

/**
 * Removes temporary files left in `dir` by a generation that never finished (the window closed,
 * the extension host was killed): those whose writer on this machine is no longer running, and
 * any older than `maxAgeMs`; a generation running in another window keeps its own.
 */
export async function sweepStaleTempFiles(dir: string, maxAgeMs = 60 * 60 * 1000, now = Date.now()): Promise<string[]> {
  // Once per folder per maxAgeMs: a process's first generation into a folder finds what a killed
  // host left; later ones would only find files of writers that died since, which can wait.
  const last = lastSweep.get(dir);
  if (last !== undefined && now - last < maxAgeMs && now >= last) return [];
  lastSweep.set(dir, now);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter(isTempFileName)) {
    const file = path.join(dir, name);
    try {
      if (isOrphanedTempFile(name) || now - (await fs.stat(file)).mtimeMs > maxAgeMs) {
        await fs.rm(file, { force: true });
        removed.push(file);
      }
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
