// The API key lives in SecretStorage only; GEMINI_API_KEY in the environment is the fallback.
import * as vscode from 'vscode';

const SECRET_KEY = 'geminiImage.apiKey';

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(SECRET_KEY))?.trim();
    return stored || this.env.GEMINI_API_KEY?.trim() || undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}
