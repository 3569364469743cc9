// Error answers as Google sends them ({"error": {code, message, status, details}}) and as the
// proxies in front of relays send them (HTML).

export interface ErrorAnswer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export const JSON_TYPE = 'application/json; charset=UTF-8';
const TROUBLESHOOTING = 'https://developers.generativeai.google/guide/troubleshooting';

export function googleError(code: number, message: string, details?: unknown[], status = STATUS_NAMES[code] ?? 'UNKNOWN'): ErrorAnswer {
  const error: Record<string, unknown> = { code, message, status };
  if (details?.length) error.details = details;
  return { status: code, body: JSON.stringify({ error }, null, 2), contentType: JSON_TYPE };
}

export interface FieldViolation {
  field: string;
  description: string;
}

/** 400 listing every violation, the way the API reports bad payloads. */
export function invalidPayload(violations: FieldViolation[]): ErrorAnswer {
  return googleError(400, violations.map((v) => v.description).join('\n'), [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations },
  ]);
}

export function badRequest(message: string): ErrorAnswer {
  return googleError(400, message);
}

export function apiKeyInvalid(message = 'API key not valid. Please pass a valid API key.'): ErrorAnswer {
  return googleError(400, message, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
  ]);
}

/** Google's answer to an old unrestricted "Standard" API key since 2026-06-19 (models.list may still work). */
export function keyTypeUnsupported(method = 'GenerateContent', message = 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'): ErrorAnswer {
  return googleError(
    401,
    message,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
        domain: 'googleapis.com',
        metadata: { method: `google.ai.generativelanguage.v1beta.GenerativeService.${method}`, service: 'generativelanguage.googleapis.com' },
      },
    ],
    'UNAUTHENTICATED',
  );
}

export function unregisteredCaller(): ErrorAnswer {
  return googleError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

export function permissionDenied(message = 'The caller does not have permission'): ErrorAnswer {
  return googleError(403, message);
}

export function modelNotFound(model: string, method = 'generateContent'): ErrorAnswer {
  return googleError(
    404,
    `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );
}

export function notFound(message: string): ErrorAnswer {
  return googleError(404, message);
}

export function internal(message = `An internal error has occurred. Please retry or report in ${TROUBLESHOOTING}`): ErrorAnswer {
  return googleError(500, message);
}

export function unavailable(message = 'The model is overloaded. Please try again later.'): ErrorAnswer {
  return googleError(503, message);
}

export function unableToProcessImage(): ErrorAnswer {
  return googleError(400, `Unable to process input image. Please retry or report in ${TROUBLESHOOTING}`);
}

export function fileNoAccess(id: string): ErrorAnswer {
  return googleError(403, `You do not have permission to access the File ${id} or it may not exist.`);
}

export function rateLimited(model: string, retryDelaySeconds: number | null, message?: string): ErrorAnswer {
  const details: unknown[] = [
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model },
          quotaValue: '10',
        },
      ],
    },
  ];
  if (retryDelaySeconds !== null) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` });
  const retryText = retryDelaySeconds === null ? '' : `\nPlease retry in ${retryDelaySeconds}s.`;
  return googleError(
    429,
    message ??
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n' +
        `* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: ${model}${retryText}`,
    details,
  );
}

const REASONS: Record<number, string> = { 404: 'Not Found', 413: 'Request Entity Too Large', 502: 'Bad Gateway', 504: 'Gateway Time-out' };

/** The page nginx shows for an error status. */
export function nginxPage(status: number): ErrorAnswer {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, body, contentType: 'text/html' };
}
