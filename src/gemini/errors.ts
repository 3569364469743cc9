// Typed failures of a Gemini call. The core never formats for the UI: the front end turns `kind`
// (the error's code) and the details into a localized message; `message` is English, for the log.

export type GeminiErrorKind =
  /** The key was refused (400 "API key not valid", 401). */
  | 'auth'
  /** 400 INVALID_ARGUMENT other than the key. */
  | 'badRequest'
  /** 403 PERMISSION_DENIED. */
  | 'permission'
  /** 404: usually an unknown model id. */
  | 'notFound'
  /** 429 RESOURCE_EXHAUSTED after the retries ran out. */
  | 'rateLimited'
  /** 500/503 after the retries ran out. */
  | 'server'
  /** A non-JSON error page from a proxy or relay (502/504 HTML...). */
  | 'proxy'
  /** Connection refused, reset, DNS... */
  | 'network'
  /** No (complete) answer within the timeout. */
  | 'timeout'
  /** The user cancelled. */
  | 'cancelled'
  /** The prompt or the output was blocked (promptFeedback.blockReason or a safety finishReason). */
  | 'blocked'
  /** The model answered without an image. */
  | 'noImage'
  /** The reply could not be read (truncated JSON, bad base64, unknown image type...). */
  | 'badResponse'
  /** The key would travel over plain http to a non-loopback host. */
  | 'insecureUrl'
  /** The base URL setting is not an http(s) URL. */
  | 'invalidBaseUrl'
  /** A relay without the Files API upload route (the caller falls back to inline images). */
  | 'noUploadRoute'
  /** The Files API could not process an uploaded file (state FAILED). */
  | 'uploadFailed'
  /** A text model (describe, alt text, the prompt writer) answered without text. */
  | 'noText'
  /** A VS Code chat model refused (no consent, blocked, gone): not the Gemini API's answer. */
  | 'chatRefused'
  /** The server's (or a proxy's) TLS certificate is not trusted: self-signed, expired, wrong name. */
  | 'certificate';

export interface GeminiErrorDetails {
  /** HTTP status, when there was one. */
  status?: number;
  /** google.rpc status, e.g. RESOURCE_EXHAUSTED. */
  apiStatus?: string;
  /** google.rpc.ErrorInfo reason, e.g. API_KEY_INVALID, ACCESS_TOKEN_TYPE_UNSUPPORTED. */
  reason?: string;
  /** The server's own words, and nothing else (already free of the key). */
  serverMessage?: string;
  /** The declared type of an image the reply holds that is of no type we know. */
  imageType?: string;
  /** The transport's error code (ECONNREFUSED, UND_ERR_SOCKET...). */
  networkCode?: string;
  /** A short excerpt of a non-JSON body. */
  bodyExcerpt?: string;
  finishReason?: string;
  blockReason?: string;
  /** Google's own words on a block or a missing image (candidates[].finishMessage). */
  finishMessage?: string;
  /** The model the request named (a 404 for a model). */
  model?: string;
  /** What the catalogue says replaces that model, when it knows. */
  replacement?: string;
  /** File.error.message of an upload whose processing FAILED. */
  fileError?: string;
  /** A parameter the server said the model does not support (a 400 that names it). */
  unsupportedParameter?: string;
  /** The model's text parts, when it said something instead of drawing. */
  modelText?: string;
  /** How long the server asked us to wait, in ms. */
  retryAfterMs?: number;
  /** How many attempts were made in all. */
  attempts?: number;
}

export class GeminiError extends Error {
  override readonly name = 'GeminiError';

  constructor(
    readonly kind: GeminiErrorKind,
    message: string,
    readonly details: GeminiErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The error code (ErrorCode in core/studioError.ts): the kind. */
  get code(): GeminiErrorKind {
    return this.kind;
  }

  /** 429, 500, 503 (and transient network faults) are worth another try; 400/403/404 never. */
  get retryable(): boolean {
    if (this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'network') return true;
    if (this.kind === 'proxy') return this.details.status === 502 || this.details.status === 503 || this.details.status === 504;
    return false;
  }
}

// Node's codes for a certificate it will not trust (OpenSSL's verify errors, and the name check).
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

export function isCertificateCode(code: string | undefined): boolean {
  return !!code && CERTIFICATE_CODES.has(code);
}

export function isGeminiError(e: unknown): e is GeminiError {
  return e instanceof GeminiError;
}

/** For a wait that the user's Cancel aborted: the AbortError becomes our own 'cancelled'. */
export function throwCancelled(): never {
  throw new GeminiError('cancelled', 'Cancelled.');
}

/** Google's 401 for an old unrestricted "Standard" key (since 2026-06-19): only a new key helps. */
export function isKeyTypeUnsupported(e: unknown): boolean {
  return isGeminiError(e) && e.details.reason === 'ACCESS_TOKEN_TYPE_UNSUPPORTED';
}

/** What a person reads about that 401, in the CLI (the editor says it through l10n). */
export const KEY_TYPE_WORDS = 'Google no longer accepts this kind of API key. Create a new key in AI Studio: https://aistudio.google.com/apikey';
