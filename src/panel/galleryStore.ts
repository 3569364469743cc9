// The images generated in this workspace, newest first, kept in workspace storage so the panel
// shows them again after a reload. The files stay where they were written; the store keeps paths.
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';

export interface GalleryRecord {
  id: string;
  /** Absolute file-system path. */
  path: string;
  prompt: string;
  model: string;
  aspectRatio?: string;
  imageSize?: string;
  width?: number;
  height?: number;
  byteLength: number;
  mimeType: string;
  createdAt: string;
  texts: string[];
  styleName?: string;
  /** The prompt as sent, when a style changed it (the PNG keeps it too). */
  sentPrompt?: string;
  /** The first version's id: refines of one image share it. */
  conversationId?: string;
  version?: number;
  /** Whether a stored conversation lets this image be refined. */
  refinable?: boolean;
  description?: string;
  /** Reference images the prompt was sent with (paths). */
  references?: string[];
  /** Tokens of the reply (its share, when one reply held several images). */
  tokens?: number;
  /** Estimated dollars, from the catalogue's prices or the user's. */
  cost?: number;
}

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
