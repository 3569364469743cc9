// The HTTP stack: undici, loaded on first use (activation must not pay for it), with one
// dispatcher per proxy configuration so connections are pooled and kept alive per origin.
import type * as Undici from 'undici';

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
    return new EnvHttpProxyAgent({ ...common, httpProxy: proxy, httpsProxy: proxy, noProxy, proxyTls: connect, requestTls: connect });
  }
  // With nothing configured, undici reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case).
  return new EnvHttpProxyAgent({ ...common, proxyTls: connect, requestTls: connect });
}

/** Closes every pooled connection (deactivate, tests). */
export async function closeDispatchers(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
