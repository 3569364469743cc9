// The shape of a plain JSON call through the client (Files API and the like), and its answer.

import type { GeminiError } from './errors';

/** A plain JSON call (Files API and the like) through the same retries, timeout and redaction. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** An API path joined to the base URL (`/v1beta/files/abc`), or an absolute URL (an upload session). */
  path: string | URL;
  /** Query parameters of an API path (never written into `path`, where `?` would be sent as %3F). */
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Bytes are sent as they are; anything else as JSON. */
  body?: unknown;
  /** Send the key (default true). An absolute URL only gets it when told, and only over a secure transport. */
  auth?: boolean;
  /** Which failures are tried again (default: error.retryable); return false for a step that cannot be repeated. */
  retryable?: (error: GeminiError) => boolean;
}

export interface JsonResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when the body was empty. */
  body: unknown;
}
