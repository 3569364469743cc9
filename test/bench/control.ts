// Talks to the stand-in server's /__control routes with node:http, so the process measured loads
// no HTTP client of its own for it (and the baseline's fetch stays untouched until it is timed).
import { request } from 'node:http';

export function control(serverUrl: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const url = new URL(`/__control/${route}`, serverUrl);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) return reject(new Error(`control ${method} ${route}: ${res.statusCode} ${text.slice(0, 300)}`));
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What generateContent answers from now on: noise of about `bytes` bytes, after `delayMs`. */
export function setDefaultImage(serverUrl: string, bytes: number, delayMs = 0): Promise<unknown> {
  return control(serverUrl, 'POST', 'default', { kind: 'image', bytes, delayMs });
}

/** The next generateContent answers a small image (warm-ups), whatever the default is. */
export function enqueueSmallImage(serverUrl: string): Promise<unknown> {
  return control(serverUrl, 'POST', 'enqueue', { kind: 'image', bytes: 100_000, delayMs: 0 });
}

/** The stand-in's CPU time so far (user + system), in ms. */
export async function serverCpuMs(serverUrl: string): Promise<number> {
  const usage = (await control(serverUrl, 'GET', 'cpu')) as { user: number; system: number };
  return (usage.user + usage.system) / 1000;
}

/** One generateContent with node:http, the reply dropped: the stand-in builds its reply, and no HTTP client of ours is loaded. */
export function prebuildReply(serverUrl: string, key: string, model: string, body: unknown): Promise<void> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(`/v1beta/models/${model}:generateContent`, serverUrl),
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length, 'x-goog-api-key': key }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`prebuild: HTTP ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
