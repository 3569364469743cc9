// The stand-in Gemini server: a real HTTP server on 127.0.0.1 that follows the public API
// (shared/gemini-api.md) and can be told to misbehave. Used by integration, e2e, bench and start.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { handleBatchCreate, handleBatches, handleDownload, isDownloadPath } from './batches';
import { checkBehaviour, checkUploadBehaviour, type Behaviour, type UploadBehaviour } from './behaviours';
import { handleControl } from './control';
import * as errors from './errors';
import { Exchange, type RecordedRequest } from './exchange';
import { expireFile, handleFiles, handleUpload, isUploadPath } from './files';
import { handleGenerate } from './generate';
import { generationTarget, handleCountTokens, handleModels } from './modelRoutes';
import { startImageHost, type HostedRequest } from './imageHost';
import { ServerState, type FakeFile, type FakeGeminiOptions } from './state';

export type { FakeBatchOptions } from './batches';
export type { Behaviour, BehaviourKind, Delivery, UploadBehaviour } from './behaviours';
export type { RecordedRequest } from './exchange';
export type { ImageMime } from './images';
export type { AuthStyle, FakeFile, FakeGeminiOptions } from './state';

export interface FakeGemini {
  /** http://127.0.0.1:PORT (https:// with the `tls` option) */
  url: string;
  port: number;
  /** Every API request (not /__control), in arrival order. */
  requests: RecordedRequest[];
  /** Queues behaviours for the next generateContent calls (FIFO). Throws on an unknown kind. */
  enqueue(...behaviours: Behaviour[]): void;
  /** What generateContent does when the queue is empty. Default {kind: 'image'}. */
  setDefault(b: Behaviour): void;
  /** Queues behaviours for the next uploads (Files API). */
  enqueueUpload(...behaviours: UploadBehaviour[]): void;
  /** Decoded bytes of every final (non-draft) image sent, in order. */
  sentImages: Buffer[];
  /** Decoded bytes of every draft (`thought: true`) image sent, in order. */
  sentThoughtImages: Buffer[];
  /** The Files API store, by name ("files/abc123"). */
  files: Map<string, FakeFile>;
  /** Where hosted-URL replies keep their images (another origin), and every request it saw. */
  imageHost: { url: string; requests: HostedRequest[] };
  /** Makes a file expire: GET answers 404, using it answers 403. */
  expire(name: string): void;
  /** Resolves once no request is in flight (e.g. after a client abort reached the server). */
  idle(timeoutMs?: number): Promise<void>;
  /** Forgets requests, queues, files, signatures and sent images. */
  reset(): void;
  /** Stops listening and destroys open sockets; pending answers are dropped. */
  close(): Promise<void>;
}

type Authenticate = () => string | errors.ErrorAnswer;

const ALL_STYLES = ['x-goog-api-key', 'bearer', 'query'] as const;

function authenticator(ex: Exchange, state: ServerState): Authenticate {
  return () => {
    const styles = state.options.authStyles ?? ALL_STYLES;
    const headerKey = ex.req.headers['x-goog-api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(ex.req.headers.authorization ?? '')?.[1];
    const candidates = [
      styles.includes('x-goog-api-key') ? (Array.isArray(headerKey) ? headerKey[0] : headerKey) : undefined,
      styles.includes('bearer') ? bearer : undefined,
      styles.includes('query') ? (ex.url.searchParams.get('key') ?? undefined) : undefined,
    ].filter((k): k is string => k !== undefined && k !== '');
    if (candidates.length === 0) return errors.unregisteredCaller();
    return candidates.find((k) => state.apiKeys.includes(k)) ?? errors.apiKeyInvalid();
  };
}

async function route(ex: Exchange, state: ServerState): Promise<void> {
  const path = ex.url.pathname;
  if (path.startsWith('/__control/')) return handleControl(ex, state);
  const limit = state.options.maxRequestBytes ?? 100 * 1024 * 1024;
  if (ex.body.length > limit) return ex.sendError(errors.badRequest(`Request payload size exceeds the limit: ${limit} bytes.`));
  const authenticate = authenticator(ex, state);
  if (isUploadPath(path)) return handleUpload(ex, state, authenticate);
  if (isDownloadPath(path)) {
    const owner = authenticate();
    return typeof owner === 'string' ? handleDownload(ex, state, owner) : ex.sendError(owner);
  }
  if (!path.startsWith('/v1beta/')) return ex.sendError(errors.notFound(`The requested URL ${path} was not found on this server.`));

  const key = authenticate();
  if (typeof key !== 'string') return ex.sendError(key);
  const method = ex.req.method;
  const call = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/.exec(path);
  if (call && method === 'POST') {
    const [, id, verb] = call;
    if (ex.record) ex.record.model = id;
    if (verb === 'batchGenerateContent' && !state.options.standardKeys?.includes(key)) {
      const target = generationTarget(id, state);
      if (!('id' in target)) return ex.sendError(target);
      return handleBatchCreate(ex, state, target, key);
    }
    if (state.options.standardKeys?.includes(key) && (verb === 'generateContent' || verb === 'countTokens' || verb === 'batchGenerateContent')) {
      return ex.sendError(errors.keyTypeUnsupported(verb === 'countTokens' ? 'CountTokens' : 'GenerateContent'));
    }
    if (verb === 'countTokens') return handleCountTokens(ex, state, id);
    if (verb !== 'generateContent') return ex.sendError(errors.notFound(`The stand-in does not implement ${verb}.`));
    const model = generationTarget(id, state);
    if (!('id' in model)) return ex.sendError(model);
    return handleGenerate(ex, state, model, key);
  }
  if (handleModels(ex, state)) return;
  if (path === '/v1beta/batches' || path.startsWith('/v1beta/batches/')) return handleBatches(ex, state, key);
  if (path === '/v1beta/files' || path.startsWith('/v1beta/files/')) return handleFiles(ex, state, key);
  return ex.sendError(errors.notFound(`The requested URL ${path} was not found on this server.`));
}

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const state = new ServerState(options);
  const sockets = new Set<Socket>();
  const live = new Set<Exchange>();
  const idleWaiters = new Set<() => void>();
  let closing = false;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const control = (req.url ?? '').startsWith('/__control/');
    const url = new URL(req.url ?? '/', state.url);
    const record: RecordedRequest | undefined = control
      ? undefined
      : { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, bodyBytes: 0, startedAt: Date.now(), aborted: false };
    if (record) state.requests.push(record);
    const ex = new Exchange(req, res, state.url, record);
    live.add(ex);
    res.on('close', () => {
      live.delete(ex);
      if (live.size === 0) for (const wake of idleWaiters) wake();
    });
    void (async () => {
      if (!(await ex.readBody())) return;
      if (record && options.recordBodies !== false && ex.body.length && /json/i.test(String(req.headers['content-type'] ?? 'json'))) record.body = ex.json().value;
      await route(ex, state);
    })().catch((e: unknown) => {
      // A bug in the stand-in: answer 500 with the reason rather than hang the test.
      if (!res.headersSent) void ex.send(500, JSON.stringify({ error: { code: 500, message: `stand-in failure: ${(e as Error).stack}`, status: 'INTERNAL' } }), errors.JSON_TYPE);
      else ex.destroy();
    });
  };

  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
  // Node's 5 s default races a client reusing an idle connection just as it is closed ("other side
  // closed"), which a loaded machine's late timers hit. Google keeps idle connections far longer;
  // close() still ends every socket at once.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    if (closing) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const imageHost = await startImageHost();
  state.imageHost = imageHost;

  return {
    url: state.url,
    port,
    requests: state.requests,
    sentImages: state.sentImages,
    sentThoughtImages: state.sentThoughtImages,
    files: state.files,
    imageHost: { url: imageHost.url, requests: imageHost.requests },
    enqueue(...behaviours) {
      state.queue.push(...behaviours.map(checkBehaviour));
    },
    setDefault(b) {
      state.defaultBehaviour = checkBehaviour(b);
    },
    enqueueUpload(...behaviours) {
      state.uploadQueue.push(...behaviours.map(checkUploadBehaviour));
    },
    expire(name) {
      expireFile(state, name);
    },
    idle(timeoutMs = 2000) {
      if (live.size === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          reject(new Error(`${live.size} request(s) still in flight after ${timeoutMs} ms`));
        }, timeoutMs);
        idleWaiters.add(done);
      });
    },
    reset() {
      state.reset();
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const ex of live) ex.closedByServer = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, imageHost.close()]);
    },
  };
}
