// Turning a non-2xx answer into a GeminiError: Google's JSON error body when there is one, a short
// excerpt of the page when a proxy or relay answered HTML or plain text.
import { GeminiError, type GeminiErrorKind } from './errors';

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { '@type'?: string; retryDelay?: string; reason?: string }[];
  };
}

const MAX_EXCERPT = 200;

export function errorFromResponse(status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, now = Date.now()): GeminiError {
  const retryAfterHeader = parseRetryAfter(header(headers, 'retry-after'), now);
  let parsed: GoogleErrorBody | undefined;
  try {
    const value: unknown = JSON.parse(bodyText);
    // Some relays wrap the error in an array, as the streaming endpoint does.
    const first = Array.isArray(value) ? value[0] : value;
    if (first && typeof first === 'object' && 'error' in first) parsed = first as GoogleErrorBody;
  } catch {
    parsed = undefined;
  }

  if (!parsed?.error) {
    const excerpt = excerptOf(bodyText);
    const kind: GeminiErrorKind = status === 429 ? 'rateLimited' : status === 401 ? 'auth' : 'proxy';
    return new GeminiError(kind, `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, { status, bodyExcerpt: excerpt, retryAfterMs: retryAfterHeader });
  }

  const { message = '', status: apiStatus, details = [] } = parsed.error;
  const retryInfo = details.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'));
  const retryAfterMs = parseDuration(retryInfo?.retryDelay) ?? retryAfterHeader;
  const keyInvalid = details.some((d) => d.reason === 'API_KEY_INVALID') || /api key not valid/i.test(message);
  const reason = details.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo') && typeof d.reason === 'string')?.reason;
  const kind: GeminiErrorKind =
    status === 401 || keyInvalid
      ? 'auth'
      : status === 400
        ? 'badRequest'
        : status === 403
          ? 'permission'
          : status === 404
            ? 'notFound'
            : status === 429
              ? 'rateLimited'
              : status >= 500
                ? 'server'
                : 'badRequest';
  return new GeminiError(kind, `HTTP ${status} ${apiStatus ?? ''}: ${message}`.trim(), {
    status,
    apiStatus,
    serverMessage: message,
    retryAfterMs,
    ...(reason ? { reason } : {}),
  });
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After: 12` or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** google.protobuf.Duration in JSON: "46s", "1.5s". */
export function parseDuration(value: string | undefined): number | undefined {
  const m = value && /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Math.round(parseFloat(m[1]) * 1000) : undefined;
}

/** Text of an HTML or plain page, tags and whitespace folded, cut short. */
export function excerptOf(body: string): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text;
}
