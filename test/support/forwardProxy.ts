// A real forward HTTP proxy on 127.0.0.1 for the proxy tests: absolute-URI requests to http
// targets are forwarded, CONNECT opens a tunnel. It only ever connects to loopback targets, counts
// what passed through, records the Proxy-Authorization it saw, and can demand basic auth or refuse.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ForwardProxyOptions {
  /** Demand `Proxy-Authorization: Basic base64(user:pass)`; 407 with `Proxy-Authenticate: Basic` otherwise. */
  auth?: { user: string; pass: string };
  /** Answer 403 to every request and CONNECT, then close the connection. */
  refuse?: boolean;
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Absolute-URI requests forwarded to their target. */
  forwarded: number;
  /** CONNECT tunnels opened. */
  connects: number;
  /** HTTP requests seen inside the tunnels (counted from the request lines going through). */
  tunnelledRequests: number;
  /** Requests and CONNECTs answered 403 or 407. */
  refused: number;
  /** Every Proxy-Authorization header received, in order ('' when there was none). */
  proxyAuthorizations: string[];
  /** `POST http://127.0.0.1:1234/path` or `CONNECT 127.0.0.1:1234`, for every request that got through. */
  log: string[];
  /** Headers of every forwarded absolute-URI request, as they were sent on to the target. */
  forwardedHeaders: Record<string, string | string[] | undefined>[];
  /** forwarded + tunnelledRequests: every HTTP request that reached a target through this proxy. */
  readonly passedThrough: number;
  /** Whether these bytes passed through a tunnel from the client as they are (the first 16 MB are kept). */
  sawInTunnels(text: string): boolean;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade']);
// A request line. JSON bodies hold no raw CR LF, so this cannot match inside the bodies sent here.
const REQUEST_LINE = /(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) \/\S* HTTP\/1\.[01]\r\n/g;

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const sockets = new Set<Socket>();
  const tunnelBytes: Buffer[] = [];
  let keptBytes = 0;
  const expected = options.auth ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.pass}`).toString('base64')}` : undefined;

  const state = {
    url: '',
    port: 0,
    forwarded: 0,
    connects: 0,
    tunnelledRequests: 0,
    refused: 0,
    proxyAuthorizations: [] as string[],
    log: [] as string[],
    forwardedHeaders: [] as Record<string, string | string[] | undefined>[],
    get passedThrough() {
      return this.forwarded + this.tunnelledRequests;
    },
    sawInTunnels: (text: string) => tunnelBytes.some((b) => b.includes(text)) || Buffer.concat(tunnelBytes).includes(text),
    close,
  };

  /** The status that stops this request at the proxy, if any. */
  function gate(req: IncomingMessage): 403 | 407 | undefined {
    const seen = req.headers['proxy-authorization'];
    state.proxyAuthorizations.push(Array.isArray(seen) ? seen.join(', ') : (seen ?? ''));
    if (options.refuse) return 403;
    if (expected && seen !== expected) return 407;
    return undefined;
  }

  function refusalHead(status: 403 | 407): string {
    const reason = status === 403 ? 'Forbidden' : 'Proxy Authentication Required';
    const body = status === 403 ? 'Access denied by the proxy policy.' : 'Proxy credentials needed.';
    const extra = status === 407 ? 'Proxy-Authenticate: Basic realm="test proxy"\r\n' : '';
    return `HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const stop = gate(req);
    if (stop) {
      state.refused++;
      res.shouldKeepAlive = false;
      res.writeHead(stop, {
        'content-type': 'text/plain',
        connection: 'close',
        ...(stop === 407 ? { 'proxy-authenticate': 'Basic realm="test proxy"' } : {}),
      });
      res.end(stop === 403 ? 'Access denied by the proxy policy.' : 'Proxy credentials needed.');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('A forward proxy needs an absolute URI.');
      return;
    }
    if (target.protocol !== 'http:' || !isLoopbackHost(target.hostname)) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('This test proxy only reaches http://127.0.0.1.');
      return;
    }
    state.forwarded++;
    state.log.push(`${req.method} ${target.origin}${target.pathname}`);
    const headers: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    state.forwardedHeaders.push(headers);
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers });
    upstream.on('response', (answer) => {
      const out: Record<string, string | string[] | undefined> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
      // A target that drops the connection mid-body: the client must see a broken answer too.
      answer.on('aborted', () => res.destroy());
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('The target did not answer.');
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  function onConnect(req: IncomingMessage, client: Duplex, head: Buffer): void {
    client.on('error', () => undefined);
    const stop = gate(req);
    if (stop) {
      state.refused++;
      client.end(refusalHead(stop));
      return;
    }
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
    if (!match || !isLoopbackHost(match[1])) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = netConnect(Number(match[2]), match[1].replace(/^\[|\]$/g, ''));
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('connect', () => {
      state.connects++;
      state.log.push(`CONNECT ${req.url}`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      let tail = '';
      const countRequests = (chunk: Buffer) => {
        if (keptBytes < 16 * 1024 * 1024) {
          tunnelBytes.push(Buffer.from(chunk));
          keptBytes += chunk.length;
        }
        const text = tail + chunk.toString('latin1');
        for (const m of text.matchAll(REQUEST_LINE)) if ((m.index ?? 0) + m[0].length > tail.length) state.tunnelledRequests++;
        tail = text.slice(-128);
      };
      if (head.length) {
        countRequests(head);
        upstream.write(head);
      }
      client.on('data', countRequests);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  const server = createServer(onRequest);
  server.on('connect', onConnect);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;

  function close(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  return state;
}
