// POST /v1beta/models/{model}:streamGenerateContent, as Google serves it: with `alt=sse`, a
// `text/event-stream` of `data: <GenerateContentResponse JSON>` events, each ended by a blank line
// (CRLF line ends); without it, one JSON array of the same responses. A reply is cut the way the
// API streams one: a part per event (a text's words over two), draft images before the final
// one, finishReason and the full usageMetadata with the last part.
import type { Exchange } from './exchange';

type Json = Record<string, unknown>;

export type StreamEventKind = 'draft' | 'image' | 'text' | 'other';

export interface StreamEvent {
  kind: StreamEventKind;
  bytes: Buffer;
}

export const SSE_TYPE = 'text/event-stream';

/** The reply's events, serialized (`serialize` gives the JSON of one, snake_case or not). */
export function replyEvents(reply: Json, serialize: (event: Json) => string): StreamEvent[] {
  const candidates = reply.candidates as Json[] | undefined;
  const candidate = candidates?.[0];
  const content = candidate?.content as Json | undefined;
  const parts = (content?.parts as Json[] | undefined) ?? [];
  if (!candidate || candidates.length !== 1 || parts.length === 0) return [{ kind: 'other', bytes: eventBytes(serialize(reply)) }];
  const { candidates: _, usageMetadata, ...rest } = reply;
  const { content: _c, finishReason, finishMessage, safetyRatings, ...candidateRest } = candidate;
  const usage = usageMetadata as Json | undefined;
  const pieces = parts.flatMap(splitText);
  return pieces.map((part, i) => {
    const last = i === pieces.length - 1;
    const eventCandidate: Json = { content: { role: 'model', parts: [part] }, ...(last ? { finishReason, finishMessage, safetyRatings } : {}), ...candidateRest };
    const eventUsage = last ? usage : usage && { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount };
    const event: Json = { candidates: [eventCandidate], ...(eventUsage ? { usageMetadata: eventUsage } : {}), ...rest };
    return { kind: kindOf(part), bytes: eventBytes(serialize(event)) };
  });
}

/** A text part's words come over two events, as Google streams them. */
function splitText(part: Json): Json[] {
  const text = part.text;
  if (typeof text !== 'string' || part.thought || text.length < 8 || text.startsWith('![')) return [part];
  const at = text.indexOf(' ', Math.floor(text.length / 2));
  if (at < 0) return [part];
  const { text: _, ...rest } = part;
  return [{ text: text.slice(0, at + 1) }, { text: text.slice(at + 1), ...rest }];
}

function kindOf(part: Json): StreamEventKind {
  if (part.inlineData || part.inline_data) return part.thought ? 'draft' : 'image';
  return typeof part.text === 'string' ? 'text' : 'other';
}

function eventBytes(json: string): Buffer {
  return Buffer.from(`data: ${json}\r\n\r\n`, 'utf8');
}

/** Without `alt=sse`: the same responses as one JSON array. */
export function jsonArrayBody(events: StreamEvent[]): Buffer {
  const jsons = events.map((e) => e.bytes.subarray(6, e.bytes.length - 4).toString('utf8'));
  return Buffer.from(`[${jsons.join(',\r\n')}]`, 'utf8');
}

export interface StreamDelivery {
  /** Pause before the first final image, after the drafts (a model finishing its picture). */
  finalDelayMs?: number;
  /** Pause between events, and between the pieces of an event when `chunkSize` is set. */
  chunkDelayMs?: number;
  /** With `chunkDelayMs`: each event is written in pieces of this many bytes (a slow network). */
  chunkSize?: number;
  headers?: Record<string, string>;
}

/** Sends the events one write each; the recorded request notes when each left (was handed to the socket). */
export async function sendEvents(ex: Exchange, events: StreamEvent[], delivery: StreamDelivery): Promise<void> {
  if (ex.signal.aborted) return;
  ex.head(200, { 'content-type': SSE_TYPE, 'cache-control': 'no-cache', ...delivery.headers });
  const sent = (ex.record ? (ex.record.events ??= []) : []) as { kind: StreamEventKind; bytes: number; sentAt?: number }[];
  let heldBack = false;
  for (const [i, event] of events.entries()) {
    if (i > 0 && delivery.chunkDelayMs && !(await ex.sleep(delivery.chunkDelayMs))) return;
    if (event.kind === 'image' && !heldBack) {
      heldBack = true;
      if (delivery.finalDelayMs && !(await ex.sleep(delivery.finalDelayMs))) return;
    }
    const note: { kind: StreamEventKind; bytes: number; sentAt?: number } = { kind: event.kind, bytes: event.bytes.length };
    sent.push(note);
    const size = delivery.chunkSize && delivery.chunkDelayMs ? delivery.chunkSize : event.bytes.length;
    for (let at = 0; at < event.bytes.length; at += size) {
      if (at > 0 && !(await ex.sleep(delivery.chunkDelayMs ?? 0))) return;
      const last = at + size >= event.bytes.length;
      const flushed = ex.res.write(event.bytes.subarray(at, at + size), last ? () => (note.sentAt = Date.now()) : undefined);
      if (!flushed) {
        await new Promise<void>((resolve) => {
          ex.res.once('drain', resolve);
          ex.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      if (ex.signal.aborted) return;
    }
  }
  ex.res.end();
}
