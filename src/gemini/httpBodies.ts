// Small helpers for the bodies the client reads: an error page read up to a bound, and the
// model's words scrubbed of the key.
import { redact } from './request';

export async function readBounded(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= max) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, max);
}

export function redactTexts<R extends { texts: string[] }>(reply: R, apiKey: string): R {
  reply.texts = reply.texts.map((t) => redact(t, apiKey));
  return reply;
}
