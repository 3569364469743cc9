// The HTTP stack: undici, loaded on first use (activation must not pay for it), with one
// dispatcher per proxy configuration so connections are pooled and kept alive per origin.
import type * as Undici from 'undici';
import { GeminiError } from './errors';

let undici: typeof Undici | undefined;

export function loadUndici(): typeof Undici {
  // A plain require: esbuild keeps it as a run-time load of the sibling dist/undici.js.
  undici ??= require('undici') as typeof Undici;
  return undici;
}

export interface ProxySettings {
  /** VS Code's `http.proxy`, if set; otherwise the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) applies. */
  proxyUrl?: string;
  /** VS Code's `http.noProxy`. */
  noProxy?: string[];
  /** VS Code's `http.proxyStrictSSL`. */
  strictSSL?: boolean;
}

const dispatchers = new Map<string, Undici.Dispatcher>();

/** The shared dispatcher for these proxy settings (created once, reused for keep-alive). */
export function dispatcherFor(settings: ProxySettings = {}): Undici.Dispatcher {
  const key = JSON.stringify([settings.proxyUrl ?? '', settings.noProxy ?? [], settings.strictSSL !== false]);
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = createDispatcher(settings);
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

function createDispatcher(settings: ProxySettings): Undici.Dispatcher {
  const { EnvHttpProxyAgent } = loadUndici();
  const connect = { rejectUnauthorized: settings.strictSSL !== false };
  const common = { connect, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 };
  if (settings.proxyUrl) {
    const proxy = settings.proxyUrl.includes('://') ? settings.proxyUrl : `http://${settings.proxyUrl}`;
    const noProxy = (settings.noProxy ?? []).join(',');
    const agent = new EnvHttpProxyAgent({ ...common, httpProxy: proxy, httpsProxy: proxy, noProxy, proxyTls: connect, requestTls: connect });
    return agent.compose(proxyRefusals(() => proxy));
  }
  // With nothing configured, undici reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case).
  const env = process.env;
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy;
  const agent = new EnvHttpProxyAgent({ ...common, proxyTls: connect, requestTls: connect });
  return agent.compose(proxyRefusals((origin) => (origin.startsWith('https:') ? httpsProxy : httpProxy)));
}

/**
 * undici reports a proxy's refusal of a tunnel as "Proxy response (403) !== 200 when HTTP
 * Tunneling": a generic abort that would be retried and would not say who refused. It becomes a
 * 'proxy' error naming the proxy (never its credentials), not retried for 403/407.
 */
function proxyRefusals(proxyFor: (origin: string) => string | undefined): Undici.Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(opts, {
      onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
      onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
      onResponseStart: (c, status, headers, message) => handler.onResponseStart?.(c, status, headers, message),
      onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
      onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
      onResponseError: (c, error) => handler.onResponseError?.(c, proxyRefusal(error, proxyFor(String(opts.origin ?? ''))) ?? error),
    });
}

export function proxyRefusal(error: Error, proxyUrl: string | undefined): GeminiError | undefined {
  const status = Number((/^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(error?.message ?? '') ?? /^Proxy Authentication Required \((407)\)$/.exec(error?.message ?? ''))?.[1]);
  if (!status) return undefined;
  let proxy = '';
  try {
    if (proxyUrl) proxy = new URL(proxyUrl).host;
  } catch {
    // Not a URL: name no proxy rather than echo what may hold a password.
  }
  // English for the log; the front end words it from the status and the proxy.
  const what = status === 407 ? 'asks for credentials (407 Proxy Authentication Required)' : status === 403 ? 'refused the connection (HTTP 403)' : `answered HTTP ${status} instead of opening a connection to the server`;
  return new GeminiError('proxy', `The proxy ${proxy} ${what}.`, { status, proxy }, { cause: error });
}

/** Closes every pooled connection (deactivate, tests). */
export async function closeDispatchers(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
