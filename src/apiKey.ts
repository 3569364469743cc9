// The API key lives in SecretStorage only; GEMINI_API_KEY in the environment is the fallback.
import * as vscode from 'vscode';
import { keySource, type KeySource } from './core/keySource';
import { GeminiError } from './gemini/errors';

const SECRET_KEY = 'geminiImage.apiKey';
/** Set once a key has been seen to work (the walkthrough's first step completes on it). */
export const KEY_WORKS_CONTEXT = 'geminiImage.apiKeyWorks';
/** Google AI Studio's page for creating and copying keys. */
export const KEY_PAGE_URL = 'https://aistudio.google.com/apikey';

/** Whatever must never show a key: the log scrubs each one it is told of. */
export interface KeyRedactor {
  addSecret(secret: string | undefined): void;
}

export class ApiKeyStore {
  /**
   * Every key read here, or checked before it is stored (`seen`), goes to `redactor` first, so no
   * caller can forget it: a batch resumed at activation is as safe as a command.
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly redactor: KeyRedactor = { addSecret: () => undefined },
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Asked before the key is handed out for a request; false: the request is cancelled. */
    private readonly beforeUse?: () => Promise<boolean>,
  ) {}

  /** The key for a request; throws 'cancelled' when the user chose not to send it (see RelayCheck). */
  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(SECRET_KEY))?.trim();
    const key = this.seen(stored || this.environmentKey());
    if (key && this.beforeUse && !(await this.beforeUse())) throw new GeminiError('cancelled', 'Cancelled: the relay settings are not applied here.');
    return key;
  }

  /** A key about to be used that did not come from get() (one typed to be checked). */
  seen<T extends string | undefined>(key: T): T {
    this.redactor.addSecret(key);
    return key;
  }

  /** Where the key in use comes from. */
  async source(): Promise<KeySource> {
    return keySource(await this.secrets.get(SECRET_KEY), this.env.GEMINI_API_KEY);
  }

  environmentKey(): string | undefined {
    return this.seen(this.env.GEMINI_API_KEY?.trim() || undefined);
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, this.seen(key.trim()));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => e.key === SECRET_KEY && listener());
  }
}

/** Records that a key works: the walkthrough's first step completes on this, not on a click. */
export async function markKeyWorks(): Promise<void> {
  await vscode.commands.executeCommand('setContext', KEY_WORKS_CONTEXT, true);
}
