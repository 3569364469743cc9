// Which base URLs were found not to stream (a relay without streamGenerateContent, or one that
// answers it with something other than an event stream): they get generateContent from then on.
// Kept for the life of the process, so a relay that adds the route is tried again after a restart.

import { normalizeBaseUrl } from './request';
import { GeminiError } from './errors';

export class StreamingMemory {
  private readonly refused = new Map<string, string>();

  private key(baseUrl: string): string {
    try {
      return normalizeBaseUrl(baseUrl).toString().replace(/\/+$/, '');
    } catch {
      return baseUrl;
    }
  }

  mayStream(baseUrl: string): boolean {
    return !this.refused.has(this.key(baseUrl));
  }

  /** True the first time for this base URL (so it is said once in the log). */
  remember(baseUrl: string, reason: string): boolean {
    const key = this.key(baseUrl);
    if (this.refused.has(key)) return false;
    this.refused.set(key, reason);
    return true;
  }
}

/** The process's memory, shared by every client (each generation makes a fresh one). */
export const sharedStreamingMemory = new StreamingMemory();

/** The streaming route is missing, or answered something other than `text/event-stream`. */
export class StreamingRefused extends GeminiError {
  constructor(readonly reason: string) {
    super('notFound', `The endpoint does not stream: ${reason}`);
  }
}

/** The path of a model's streaming call, as Google's SDKs send it (`alt=sse`: server-sent events). */
export function streamGenerateContentPath(model: string): string {
  return `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:streamGenerateContent?alt=sse`;
}
