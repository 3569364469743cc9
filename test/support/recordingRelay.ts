// A pass-through relay in front of a stand-in server that keeps every answer body exactly as the
// server sent it, so a test can compare what the client sends back with those very bytes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingRelay {
  url: string;
  answers: { path: string; status: number; body: string }[];
  close(): Promise<void>;
}

export async function startRelay(target: string): Promise<RecordingRelay> {
  const answers: RecordingRelay['answers'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) headers[name] = value;
      }
      const url = new URL(req.url ?? '/', target);
      const answer = await fetch(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
      const body = Buffer.from(await answer.arrayBuffer());
      answers.push({ path: url.pathname, status: answer.status, body: body.toString('utf8') });
      const passed: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
      answer.headers.forEach((value, name) => {
        if (name.startsWith('x-goog-upload-')) passed[name] = value;
      });
      res.writeHead(answer.status, passed);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
