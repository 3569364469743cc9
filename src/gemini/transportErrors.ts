// What a request's failure becomes: a thrown network, timeout or certificate error turned into a
// GeminiError, and a server's error with the key scrubbed; a file system error is left as it is.
import { GeminiError, isCertificateCode, isGeminiError } from './errors';
import { redact } from './request';

/** A node fs error (it names a path), as the image sink throws: left for the caller to report. */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  const err = e as NodeJS.ErrnoException | undefined;
  return !!err && typeof err.code === 'string' && typeof err.path === 'string' && typeof err.syscall === 'string';
}

/** Anything thrown on the way becomes a GeminiError; the key is scrubbed from messages. */
export function toGeminiError(e: unknown, signal?: AbortSignal, apiKey?: string): GeminiError {
  if (signal?.aborted) return isGeminiError(e) && e.kind === 'cancelled' ? e : new GeminiError('cancelled', 'Cancelled.', {}, { cause: e });
  if (isGeminiError(e)) return e;
  const err = e as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const message = redact(String(err?.message ?? e), apiKey);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || err?.name === 'TimeoutError') {
    return new GeminiError('timeout', `Timed out: ${message}`);
  }
  if (isCertificateCode(code)) {
    // Retrying cannot help; trusting the company's certificate does, turning verification off must not be the advice.
    return new GeminiError('certificate', `${code}: ${message}. The certificate is not trusted: add the relay's or proxy's root certificate to the system store (with "http.systemCertificates" on) or to NODE_EXTRA_CA_CERTS.`, { networkCode: code }, { cause: e });
  }
  return new GeminiError('network', `${code ? `${code}: ` : ''}${message}`, { networkCode: code }, { cause: e });
}

/**
 * Scrubs the key from an error built from a server's body. Done after JSON decoding, since an
 * escaped form (`\/` for `/`) would slip past a redaction of the raw text.
 */
export function redactError(error: GeminiError, apiKey: string): GeminiError {
  const d = error.details;
  const clean = (s: string | undefined) => (s === undefined ? s : redact(s, apiKey));
  const redacted = new GeminiError(error.kind, redact(error.message, apiKey), {
    ...d,
    serverMessage: clean(d.serverMessage),
    bodyExcerpt: clean(d.bodyExcerpt),
    modelText: clean(d.modelText),
    finishMessage: clean(d.finishMessage),
    fileError: clean(d.fileError),
  });
  return redacted;
}
