// Where a relay that answers with hosted image URLs keeps the images: another origin (its own
// port), recording every request's headers so a test can check no key ever reached it. It can
// redirect within itself or to another host, as CDNs do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HostedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ImageHost {
  url: string;
  requests: HostedRequest[];
  /** Serves `bytes` at a fresh path; the URL to put in a reply. */
  put(bytes: Buffer, mimeType: string, redirect?: 'sameHost' | 'otherHost'): string;
  close(): Promise<void>;
}

export async function startImageHost(): Promise<ImageHost> {
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const redirects = new Map<string, string>();
  const requests: HostedRequest[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: { ...req.headers } });
    const to = redirects.get(path);
    if (to) {
      res.writeHead(302, { location: to }).end();
      return;
    }
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // CDNs often label images loosely: the client must sniff the bytes.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length }).end(file.bytes);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" and "127.0.0.1" are different hosts to a URL: a redirect between them leaves the host.
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    put(bytes, mimeType, redirect) {
      const path = `/img/${++seq}.${mimeType.split('/')[1] ?? 'bin'}`;
      files.set(path, { bytes, mimeType });
      if (!redirect) return url + path;
      const hop = `/r/${seq}`;
      redirects.set(hop, redirect === 'sameHost' ? path : `http://localhost:${port}${path}`);
      return url + hop;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
