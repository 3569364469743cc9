// The fuzz tests' property: a body is read by JSON.parse and the documented rules (the reference)
// and by the streaming parser; the parser must give exactly what the reference reads, or throw a
// GeminiError with every writer discarded, and never hang.
import assert from 'node:assert/strict';
import { GeminiError } from '../../src/gemini/errors';
import type { ImageSink } from '../../src/gemini/imageSink';
import { fillImageRefs, parseGenerateContentReply, type ImageRef, type ParsedReply } from '../../src/gemini/responseParser';

// --- the reference: JSON.parse of the whole body, read by the documented rules ---

class Rejected extends Error {}

function strictBase64(s: string): Buffer {
  let data = '';
  let pads = 0;
  for (const ch of s) {
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (ch === '=') pads++;
    else if (pads > 0 || !/^[A-Za-z0-9+/_-]$/.test(ch)) throw new Rejected('base64');
    else data += ch;
  }
  const rest = data.length % 4;
  if (rest === 1 || (pads > 0 && (rest === 0 || pads > 4 - rest))) throw new Rejected('base64');
  return Buffer.from(data, 'base64');
}

interface RefImage {
  bytes: Buffer;
  mimeType?: string;
  partIndex: number;
}
interface Ref {
  images: RefImage[];
  thoughtImages: RefImage[];
  texts: string[];
  finishReason?: string;
  blockReason?: string;
  modelVersion?: string;
  turn: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Text around data URLs: the URL goes, and `![alt](` + `)` around it when both are there. */
function remainingText(segments: string[], prefixLengths: number[]): string {
  let out = '';
  let wrapped = false;
  for (let i = 0; i < segments.length; i++) {
    let seg = segments[i];
    if (wrapped) seg = seg.slice(1);
    wrapped = false;
    if (i < prefixLengths.length) {
      seg = seg.slice(0, seg.length - prefixLengths[i]);
      const m = /!\[([^\]]*)\]\($/.exec(seg.slice(seg.lastIndexOf('![')));
      if (seg.lastIndexOf('![') >= 0 && m && segments[i + 1].startsWith(')')) {
        seg = seg.slice(0, seg.lastIndexOf('!['));
        wrapped = true;
      }
    }
    out += seg;
  }
  return out;
}

function reference(body: Buffer): Ref {
  let text = body.toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new Rejected('json');
  }
  if (!isObject(root)) throw new Rejected('not an object');
  const candidate = Array.isArray(root.candidates) && isObject(root.candidates[0]) ? root.candidates[0] : undefined;
  const content = candidate?.content;
  const ref: Ref = {
    images: [],
    thoughtImages: [],
    texts: [],
    finishReason: typeof candidate?.finishReason === 'string' ? candidate.finishReason : undefined,
    blockReason: isObject(root.promptFeedback) && typeof root.promptFeedback.blockReason === 'string' ? root.promptFeedback.blockReason : undefined,
    modelVersion: typeof root.modelVersion === 'string' ? root.modelVersion : undefined,
    turn: content === undefined ? undefined : structuredClone(content),
  };
  const parts = isObject(content) && Array.isArray(content.parts) ? content.parts : [];
  const turnParts = isObject(ref.turn) && Array.isArray(ref.turn.parts) ? ref.turn.parts : [];
  parts.forEach((part, partIndex) => {
    if (!isObject(part)) return;
    const list = part.thought === true ? ref.thoughtImages : ref.images;
    for (const key of ['inlineData', 'inline_data']) {
      const inline = part[key];
      if (!isObject(inline) || typeof inline.data !== 'string') continue;
      const bytes = strictBase64(inline.data);
      (turnParts[partIndex][key] as Record<string, unknown>).data = bytes.toString('base64');
      if (bytes.length === 0) continue;
      const mimeType = typeof inline.mimeType === 'string' ? inline.mimeType : typeof inline.mime_type === 'string' ? inline.mime_type : undefined;
      list.push({ bytes, mimeType, partIndex });
    }
    if (typeof part.text !== 'string') return;
    const re = /data:image\/([A-Za-z0-9.+-]{1,32});base64,([A-Za-z0-9+/_-]*=*)/g;
    const segments: string[] = [];
    const prefixLengths: number[] = [];
    let canonical = '';
    let last = 0;
    for (let m = re.exec(part.text); m; m = re.exec(part.text)) {
      if (m[2] === '') continue;
      const prefixEnd = m.index + m[0].length - m[2].length;
      const bytes = strictBase64(m[2]);
      segments.push(part.text.slice(last, prefixEnd));
      prefixLengths.push(prefixEnd - m.index);
      canonical += part.text.slice(last, prefixEnd) + bytes.toString('base64');
      list.push({ bytes, mimeType: `image/${m[1]}`, partIndex });
      last = m.index + m[0].length;
    }
    segments.push(part.text.slice(last));
    turnParts[partIndex].text = canonical + part.text.slice(last);
    const rest = segments.length === 1 ? part.text : remainingText(segments, prefixLengths);
    if (part.thought !== true && /\S/.test(rest)) ref.texts.push(rest);
  });
  return ref;
}

// --- running the parser ---

async function* chunked(body: Buffer, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  // Tiny chunks for big bodies only cost time: their splits are covered by the small ones.
  const scale = body.length > 50_000 ? 997 : body.length > 2_000 ? 7 : 1;
  let k = 0;
  for (let at = 0; at < body.length; ) {
    const size = sizes[k++ % sizes.length] * scale;
    yield body.subarray(at, at + size);
    at += size;
  }
}

function countingSink(): { sink: ImageSink<Buffer>; states: string[] } {
  const states: string[] = [];
  const sink: ImageSink<Buffer> = {
    begin() {
      const index = states.push('open') - 1;
      const pieces: Buffer[] = [];
      return {
        write(bytes) {
          assert.equal(states[index], 'open');
          pieces.push(Buffer.from(bytes));
        },
        async finish() {
          assert.equal(states[index], 'open');
          states[index] = 'finished';
          return Buffer.concat(pieces);
        },
        async discard() {
          assert.equal(states[index], 'open');
          states[index] = 'discarded';
        },
      };
    },
  };
  return { sink, states };
}

type Outcome = { reply: ParsedReply<Buffer> } | { error: unknown };

async function run(body: Buffer, sizes: readonly number[]): Promise<Outcome> {
  const { sink, states } = countingSink();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the parser hung')), 20_000);
  });
  try {
    const reply = await Promise.race([parseGenerateContentReply(chunked(body, sizes), sink), hang]);
    assert.ok(states.every((s) => s !== 'open'), 'a writer was left open');
    assert.equal(states.filter((s) => s === 'finished').length, reply.images.length + reply.thoughtImages.length);
    return { reply };
  } catch (error) {
    if (error instanceof Error && error.message === 'the parser hung') throw error;
    assert.ok(states.every((s) => s === 'discarded'), 'a writer was not discarded after a failure');
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

function assertConsistent(reply: ParsedReply<Buffer>, ref: Ref): void {
  const same = (got: ParsedReply<Buffer>['images'], want: RefImage[]) => {
    assert.equal(got.length, want.length, 'image count');
    got.forEach((image, i) => {
      assert.ok(image.handle.equals(want[i].bytes), `image ${i} bytes`);
      assert.equal(image.byteLength, want[i].bytes.length);
      assert.equal(image.partIndex, want[i].partIndex);
      if (want[i].mimeType !== undefined) assert.equal(image.mimeType, want[i].mimeType);
    });
  };
  same(reply.images, ref.images);
  same(reply.thoughtImages, ref.thoughtImages);
  assert.deepEqual(reply.texts, ref.texts);
  assert.equal(reply.finishReason, ref.finishReason);
  assert.equal(reply.blockReason, ref.blockReason);
  assert.equal(reply.modelVersion, ref.modelVersion);
  const turn = fillImageRefs(reply.modelTurn, (r: ImageRef) =>
    ('imageRef' in r ? reply.images[r.imageRef] : reply.thoughtImages[r.thoughtImageRef]).handle.toString('base64'),
  );
  assert.deepEqual(turn, ref.turn);
}

/** The property: a GeminiError, or exactly what the reference reads. `mustParse`: the body is a valid reply. */
export async function check(body: Buffer, sizes: readonly number[], mustParse: boolean): Promise<void> {
  let ref: Ref | undefined;
  try {
    ref = reference(body);
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
  }
  const outcome = await run(body, sizes);
  if ('error' in outcome) {
    assert.ok(outcome.error instanceof GeminiError, `threw something else: ${String(outcome.error)}`);
    assert.ok(!(mustParse && ref), `rejected a valid reply: ${outcome.error.message}`);
    return;
  }
  assert.ok(ref, 'accepted a body that JSON.parse or base64 rejects');
  assertConsistent(outcome.reply, ref);
}

/** FUZZ_SCALE=10 runs ten times as many cases (for a soak run; the default keeps CI under ~20 s). */
const SCALE = Math.max(0.01, Number(process.env.FUZZ_SCALE ?? 1) || 1);
export const runs = (n: number) => Math.ceil(n * SCALE);
