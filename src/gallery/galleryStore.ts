// The images generated in this workspace, newest first, kept in workspace storage so the panel
// shows them again after a reload. The files stay where they were written; the store keeps paths.
// Writes run one at a time, each against a fresh read, so none undoes another. A record whose file
// is missing (a branch switch, a drive unplugged) is hidden, not forgotten, until the user asks.
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import type { GalleryRecord } from '../shared/gallery';

export type { GalleryRecord };

const KEY = 'geminiImage.gallery';
export const MAX_RECORDS = 500;

/** Told of records that left the store, with those that remain (their conversations go with them). */
export type ForgetHook = (gone: GalleryRecord[], kept: GalleryRecord[]) => Promise<void>;

export class GalleryStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly onForget?: ForgetHook,
  ) {}

  all(): GalleryRecord[] {
    return this.memento.get<GalleryRecord[]>(KEY, []);
  }

  get(id: string): GalleryRecord | undefined {
    return this.all().find((r) => r.id === id);
  }

  /** Reads, changes and writes the list after every earlier write has landed. */
  private write<T>(change: (all: GalleryRecord[]) => { next?: GalleryRecord[]; result: T }): Promise<T> {
    const run = this.queue.then(async () => {
      const before = this.all();
      const { next, result } = change(before);
      if (next) {
        await this.memento.update(KEY, next);
        const kept = new Set(next.map((r) => r.id));
        const gone = before.filter((r) => !kept.has(r.id));
        if (gone.length) await this.onForget?.(gone, next).catch(() => undefined);
      }
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  add(records: (Omit<GalleryRecord, 'id'> & { id?: string })[]): Promise<GalleryRecord[]> {
    const added = records.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
    return this.write((all) => ({ next: [...added.slice().reverse(), ...all].slice(0, MAX_RECORDS), result: added }));
  }

  update(id: string, change: Partial<Omit<GalleryRecord, 'id'>>): Promise<GalleryRecord | undefined> {
    return this.write((all) => {
      let updated: GalleryRecord | undefined;
      const next = all.map((r) => (r.id === id ? (updated = { ...r, ...change }) : r));
      return { next: updated ? next : undefined, result: updated };
    });
  }

  remove(id: string): Promise<void> {
    return this.write((all) => ({ next: all.some((r) => r.id === id) ? all.filter((r) => r.id !== id) : undefined, result: undefined }));
  }

  /** The records whose file is there, and how many are hidden because theirs is missing. Writes nothing. */
  async present(exists: (path: string) => Promise<boolean>): Promise<{ shown: GalleryRecord[]; hidden: number }> {
    const all = this.all();
    const found = await Promise.all(all.map((r) => exists(r.path)));
    return { shown: all.filter((_, i) => found[i]), hidden: found.filter((f) => !f).length };
  }

  /** Forgets the records whose file is missing (the user asked); those added meanwhile stay. */
  async forgetMissing(exists: (path: string) => Promise<boolean>): Promise<GalleryRecord[]> {
    const all = this.all();
    const found = await Promise.all(all.map((r) => exists(r.path)));
    const missing = new Set(all.filter((_, i) => !found[i]).map((r) => r.id));
    if (missing.size === 0) return [];
    return this.write((fresh) => {
      const gone = fresh.filter((r) => missing.has(r.id));
      return { next: gone.length ? fresh.filter((r) => !missing.has(r.id)) : undefined, result: gone };
    });
  }
}
