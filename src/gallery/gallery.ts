// The gallery on the host: the stored records, the generations still running, and whatever view
// shows them (the panel registers itself while it is open). Commands and the pipeline talk to
// this, never to the panel.
import type * as vscode from 'vscode';
import type { GallerySink, PendingDraftImage } from '../generation/ports';
import { conversationKey, type GalleryRecord, type PendingGeneration } from '../shared/gallery';
import type { GenerationChoices } from '../shared/choices';
import type { GalleryStore } from './galleryStore';

/** What a view of the gallery is told. */
export interface GalleryView {
  showImages(records: GalleryRecord[]): Promise<void>;
  updateImage(record: GalleryRecord): Promise<void>;
  removeImages(ids: string[]): Promise<void>;
  setPending(pending: PendingGeneration[]): Promise<void>;
  /** One running generation changed (a draft, words): only its card is redrawn. */
  updatePending(pending: PendingGeneration): Promise<void>;
  setPrompt(prompt: string, choices?: Partial<GenerationChoices>): Promise<void>;
  notice(level: 'info' | 'error', text: string): Promise<void>;
  /** How many records are hidden because their file is missing. */
  setHidden(count: number): Promise<void>;
}

/** Only what an `img` shows as it is; anything else is not shown. */
function draftType(mimeType: string): string | undefined {
  const type = mimeType.toLowerCase();
  return ['image/png', 'image/jpeg', 'image/webp', 'image/gif'].includes(type) ? type : undefined;
}

type Running = PendingGeneration & { textIndex?: number };

function shown({ textIndex: _, ...pending }: Running): PendingGeneration {
  return pending;
}

export class Gallery implements GallerySink {
  private readonly running = new Map<string, Running>();
  private view: GalleryView | undefined;

  /**
   * `reveal` opens (or brings forward) the view, focused on an image; it attaches itself.
   * `conversations`: whether a record's conversation is still stored (Refine is offered only then).
   */
  constructor(
    private readonly store: GalleryStore,
    private readonly reveal: (focus?: string) => void,
    private readonly conversations?: { has(key: string): Promise<boolean> },
  ) {}

  attach(view: GalleryView): vscode.Disposable {
    this.view = view;
    return { dispose: () => void (this.view === view && (this.view = undefined)) };
  }

  /** Opens the view (focused on `focus`) and returns it. */
  show(focus?: string): GalleryView | undefined {
    this.reveal(focus);
    return this.view;
  }

  all(): GalleryRecord[] {
    return this.store.all();
  }

  get(id: string): GalleryRecord | undefined {
    return this.store.get(id);
  }

  /** What a view shows: the records whose file is there; the others are hidden, and counted. */
  async visible(exists: (path: string) => Promise<boolean>): Promise<{ shown: GalleryRecord[]; hidden: number }> {
    const { shown, hidden } = await this.store.present(exists);
    const refinable = await Promise.all(shown.map((r) => this.canRefine(r)));
    return { shown: shown.map((r, i) => (r.refinable && !refinable[i] ? { ...r, refinable: false } : r)), hidden };
  }

  /** Whether a Refine of this record has a conversation to continue. */
  async canRefine(record: GalleryRecord): Promise<boolean> {
    return !!record.refinable && (await (this.conversations?.has(conversationKey(record)) ?? true));
  }

  /** Forgets the records whose file is missing (only when the user asks); resolves to how many. */
  async forgetMissing(exists: (path: string) => Promise<boolean>): Promise<number> {
    const gone = await this.store.forgetMissing(exists);
    await this.view?.setHidden(0);
    return gone.length;
  }

  /** Every generation still running, oldest first. */
  pending(): PendingGeneration[] {
    return [...this.running.values()].map(shown);
  }

  addPending(id: string, card: { prompt: string; count: number }): void {
    this.running.set(id, { id, ...card });
    // The view opens as the generation starts: its pending card says something is on the way.
    void this.show()?.setPending(this.pending());
  }

  async resolvePending(id: string, records: GalleryRecord[], updated: GalleryRecord[] = []): Promise<void> {
    this.running.delete(id);
    const changed: GalleryRecord[] = [];
    for (const u of updated) {
      // Only what the result changed: the record may have gained a description meanwhile.
      const record = await this.store.update(u.id, { conversationId: u.conversationId, version: u.version });
      if (record) changed.push(record);
    }
    const added = await this.store.add(records);
    const view = this.show(added[0]?.id);
    await view?.setPending(this.pending());
    await view?.showImages(added);
    for (const record of changed) await view?.updateImage(record);
  }

  draftPending(id: string, draft: PendingDraftImage): void {
    const running = this.running.get(id);
    const type = draftType(draft.mimeType);
    if (!running || !type) return;
    const src = `data:${type};base64,${draft.bytes.toString('base64')}`;
    const drafts = (running.drafts ?? []).filter((d) => d.index !== draft.index);
    running.drafts = [...drafts, { index: draft.index, src }].sort((a, b) => a.index - b.index);
    void this.view?.updatePending(shown(running));
  }

  textPending(id: string, index: number, text: string): void {
    const running = this.running.get(id);
    // Of several requests, the words of the first that speaks are shown.
    if (!running || (running.textIndex !== undefined && running.textIndex !== index)) return;
    running.textIndex = index;
    running.text = text;
    void this.view?.updatePending(shown(running));
  }

  failPending(id: string): void {
    this.running.delete(id);
    void this.view?.setPending(this.pending());
  }

  async update(id: string, change: Partial<Omit<GalleryRecord, 'id'>>): Promise<GalleryRecord | undefined> {
    const updated = await this.store.update(id, change);
    if (updated) await this.view?.updateImage(updated);
    return updated;
  }

  /** An image made elsewhere (the docs): recorded, shown, and its earlier versions (`replaces`) taken out. */
  async record(record: GalleryRecord, replaces: string[] = []): Promise<void> {
    for (const id of replaces) await this.store.remove(id);
    const added = await this.store.add([record]);
    if (replaces.length) await this.view?.removeImages(replaces);
    await this.view?.showImages(added);
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
    await this.view?.removeImages([id]);
  }

  /** Fills the view's prompt box (Remix, Copy Prompt); opens the view when `open`. */
  async setPrompt(prompt: string, choices?: Partial<GenerationChoices>, open = false): Promise<void> {
    await (open ? this.show() : this.view)?.setPrompt(prompt, choices);
  }

  async notice(level: 'info' | 'error', text: string): Promise<void> {
    await this.view?.notice(level, text);
  }
}
