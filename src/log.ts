// The extension's log channel. Everything written passes through redaction of the current key.
import * as vscode from 'vscode';
import type { Logger } from './gemini/client';
import { redact } from './gemini/request';

export class Log implements Logger {
  private readonly channel: vscode.LogOutputChannel;
  private secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Gemini Image Studio', { log: true });
  }

  /** A key to scrub from every line from now on. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  private clean(message: string): string {
    let out = message;
    for (const s of this.secrets) out = redact(out, s);
    return out;
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
