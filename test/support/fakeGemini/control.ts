// /__control/*: lets another process (e2e tests, `npm start`) drive the server. Not recorded.
import { createHash } from 'node:crypto';
import { checkBehaviour, checkUploadBehaviour } from './behaviours';
import type { Exchange } from './exchange';
import { expireFile, fileResource } from './files';
import type { ServerState } from './state';

const JSON_TYPE = 'application/json';

/** Long strings (base64 images) are replaced by their size and hash to keep answers small. */
function summarize(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 4096) {
    return `[${value.length} chars, sha256 ${createHash('sha256').update(value).digest('hex')}]`;
  }
  if (Array.isArray(value)) return value.map(summarize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarize(v)]));
  return value;
}

export async function handleControl(ex: Exchange, state: ServerState): Promise<void> {
  const reply = (status: number, value: unknown): Promise<void> => ex.send(status, JSON.stringify(value), JSON_TYPE);
  const route = `${ex.req.method} ${ex.url.pathname.slice('/__control'.length)}`;
  try {
    const body = (): unknown => {
      const parsed = ex.json();
      if (parsed.error) throw new TypeError(`bad JSON: ${parsed.error}`);
      return parsed.value;
    };
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
    switch (route) {
      case 'POST /enqueue': {
        const behaviours = list(body()).map(checkBehaviour);
        state.queue.push(...behaviours);
        return reply(200, { queued: state.queue.length });
      }
      case 'POST /default':
        state.defaultBehaviour = checkBehaviour(body());
        return reply(200, { default: state.defaultBehaviour });
      case 'POST /enqueue-upload': {
        state.uploadQueue.push(...list(body()).map(checkUploadBehaviour));
        return reply(200, { queued: state.uploadQueue.length });
      }
      case 'POST /expire': {
        const { name } = body() as { name?: string };
        expireFile(state, String(name));
        return reply(200, {});
      }
      case 'POST /reset':
        state.reset();
        return reply(200, {});
      case 'GET /requests':
        return reply(200, state.requests.map(summarize));
      case 'GET /sent-images':
        // Like sentImages: final images only, unless ?all=1 asks for the drafts too.
        return reply(
          200,
          state.sent
            .filter((s) => ex.url.searchParams.get('all') === '1' || !s.thought)
            .map((s, index) => ({ index, mimeType: s.mimeType, thought: s.thought, size: s.size, sha256: s.bytes && createHash('sha256').update(s.bytes).digest('hex') })),
        );
      case 'GET /cpu':
        // The server's own CPU time so far (the bench divides it by the replies it sent).
        return reply(200, process.cpuUsage());
      case 'GET /files':
        return reply(200, [...state.files.values()].map((f) => ({ ...fileResource(f), expired: f.expired })));
      default:
        return reply(404, { error: `no control route ${route}` });
    }
  } catch (e) {
    return reply(400, { error: (e as Error).message });
  }
}
