// The images generated in this workspace, newest first, kept in workspace storage so the panel
// shows them again after a reload. The files stay where they were written; the store keeps paths.
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import type { GalleryRecord } from '../shared/gallery';

export type { GalleryRecord };

const KEY = 'geminiImage.gallery';
const MAX_RECORDS = 500;

export class GalleryStore {
  constructor(private readonly memento: vscode.Memento) {}

  all(): GalleryRecord[] {
    return this.memento.get<GalleryRecord[]>(KEY, []);
  }

  get(id: string): GalleryRecord | undefined {
    return this.all().find((r) => r.id === id);
  }

  async add(records: (Omit<GalleryRecord, 'id'> & { id?: string })[]): Promise<GalleryRecord[]> {
    const added = records.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
    await this.memento.update(KEY, [...added.slice().reverse(), ...this.all()].slice(0, MAX_RECORDS));
    return added;
  }

  async update(id: string, change: Partial<Omit<GalleryRecord, 'id'>>): Promise<GalleryRecord | undefined> {
    let updated: GalleryRecord | undefined;
    const all = this.all().map((r) => (r.id === id ? (updated = { ...r, ...change }) : r));
    if (updated) await this.memento.update(KEY, all);
    return updated;
  }

  async remove(id: string): Promise<void> {
    await this.memento.update(KEY, this.all().filter((r) => r.id !== id));
  }

  /** Forgets records whose file is gone. */
  async prune(exists: (path: string) => Promise<boolean>): Promise<GalleryRecord[]> {
    const all = this.all();
    const present = await Promise.all(all.map((r) => exists(r.path)));
    const kept = all.filter((_, i) => present[i]);
    if (kept.length !== all.length) await this.memento.update(KEY, kept);
    return kept;
  }
}
