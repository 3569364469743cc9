// The refine conversation behind each gallery image: one JSON file per reply (the images of an
// N-image reply share it) under the extension's storage, not in workspace state. Paths, hashes and
// the model's turns, image data replaced by references to files; thought signatures included.
// A conversation goes when the last record that uses it goes.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { parseConversation, type Conversation } from '../gemini/conversation';
import { conversationKey, type GalleryRecord } from '../shared/gallery';

/** Where earlier versions kept every conversation, by record id; moved to files on first use. */
export const LEGACY_KEY = 'geminiImage.conversations';
const KEY = /^[\w-]{1,64}$/;

export class ConversationStore {
  private migration: Promise<void> | undefined;

  /**
   * `dir`: a folder of the extension's storage; `legacy`: the workspace state to move old ones from;
   * `draftsDir`: where the draft images a refine sends back are kept (they go with the last
   * conversation that names them).
   */
  constructor(
    private readonly dir: string,
    private readonly legacy?: vscode.Memento,
    private readonly draftsDir?: string,
  ) {}

  private file(key: string): string | undefined {
    return KEY.test(key) ? path.join(this.dir, `${key}.json`) : undefined;
  }

  /** Moves the conversations kept in workspace state to files; the key is cleared only once all are written. */
  private ready(): Promise<void> {
    this.migration ??= (async () => {
      const old = this.legacy?.get<Record<string, unknown>>(LEGACY_KEY);
      if (!old || typeof old !== 'object') return;
      for (const [key, value] of Object.entries(old)) {
        const conversation = parseConversation(value);
        const file = this.file(key);
        if (conversation && file && !(await exists(file))) await this.write(key, conversation);
      }
      await this.legacy?.update(LEGACY_KEY, undefined);
    })().catch((e: unknown) => {
      // Kept in workspace state for the next try; nothing is lost.
      this.migration = undefined;
      throw e;
    });
    return this.migration;
  }

  private async write(key: string, conversation: Conversation): Promise<void> {
    const file = this.file(key);
    if (!file) throw new Error(`Not a conversation id: ${key}`);
    await fs.mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `.${randomUUID()}.tmp`);
    await fs.writeFile(temp, JSON.stringify(conversation));
    await fs.rename(temp, file);
  }

  async get(key: string): Promise<Conversation | undefined> {
    await this.ready();
    const file = this.file(key);
    if (!file) return undefined;
    try {
      return parseConversation(JSON.parse(await fs.readFile(file, 'utf8')));
    } catch {
      return undefined;
    }
  }

  async set(key: string, conversation: Conversation): Promise<void> {
    await this.ready();
    await this.write(key, conversation);
  }

  async has(key: string): Promise<boolean> {
    const file = this.file(key);
    if (!file) return false;
    // Not moved yet: still there in workspace state.
    if (this.migration === undefined && this.legacy?.get<Record<string, unknown>>(LEGACY_KEY)?.[key]) return true;
    return exists(file);
  }

  async delete(keys: readonly string[]): Promise<void> {
    await this.ready();
    const files = keys.map((k) => this.file(k)).filter((f): f is string => !!f);
    const drafts = new Set((await Promise.all(files.map((f) => this.read(f)))).flatMap((c) => this.draftsOf(c)));
    await Promise.all(files.map((f) => fs.rm(f, { force: true })));
    if (drafts.size === 0) return;
    // A refine's conversation holds the drafts of the turns before it: only those no one names go.
    const others = (await fs.readdir(this.dir).catch(() => [])).filter((n) => n.endsWith('.json'));
    for (const name of others) for (const p of this.draftsOf(await this.read(path.join(this.dir, name)))) drafts.delete(p);
    await Promise.all([...drafts].map((p) => fs.rm(p, { force: true })));
    await Promise.all([...new Set([...drafts].map((p) => path.dirname(p)))].map((d) => fs.rmdir(d).catch(() => undefined)));
  }

  private async read(file: string): Promise<Conversation | undefined> {
    return fs.readFile(file, 'utf8').then((text) => parseConversation(JSON.parse(text)), () => undefined);
  }

  /** The draft images a conversation names inside the drafts folder (never a workspace file). */
  private draftsOf(conversation: Conversation | undefined): string[] {
    const root = this.draftsDir;
    if (!conversation || !root) return [];
    return conversation.turns.flatMap((t) => (t.role === 'model' ? t.thoughtImages.map((i) => i.path) : [])).filter((p) => isInside(root, p));
  }

  /** Records left the gallery: their conversations go, unless a record still kept uses one. */
  async release(gone: readonly GalleryRecord[], kept: readonly GalleryRecord[]): Promise<void> {
    const live = new Set(kept.map(conversationKey));
    await this.delete([...new Set(gone.map(conversationKey))].filter((k) => !live.has(k)));
  }
}

function isInside(root: string, p: string): boolean {
  const relative = path.relative(root, p);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
