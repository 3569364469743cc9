// The refine conversation behind each gallery image, in workspace storage (plain JSON: paths,
// hashes and the model's turns with their image data replaced by references to files).
import type * as vscode from 'vscode';
import { parseConversation, type Conversation } from '../gemini/conversation';

const KEY = 'geminiImage.conversations';
const MAX = 300;

export class ConversationStore {
  constructor(private readonly memento: vscode.Memento) {}

  private all(): Record<string, unknown> {
    return this.memento.get<Record<string, unknown>>(KEY, {});
  }

  get(id: string): Conversation | undefined {
    return parseConversation(this.all()[id]);
  }

  async set(id: string, conversation: Conversation): Promise<void> {
    const entries = Object.entries({ ...this.all(), [id]: conversation });
    await this.memento.update(KEY, Object.fromEntries(entries.slice(-MAX)));
  }

  async delete(id: string): Promise<void> {
    const all = { ...this.all() };
    delete all[id];
    await this.memento.update(KEY, all);
  }
}
