// The streaming parser against JSON.parse: for generated replies (every shape, escape and
// chunking we know of), mutations of them and plain garbage, it either returns what a whole-body
// JSON.parse reading gives, or throws a GeminiError; nothing else, and it never hangs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GeminiError } from '../../src/gemini/errors';
import type { ImageSink } from '../../src/gemini/imageSink';
import { fillImageRefs, parseGenerateContentReply, type ImageRef, type ParsedReply } from '../../src/gemini/responseParser';
import { prng } from '../support/testHelpers';

// --- a JSON model with key order and relay-style serialization under our control ---

class Obj {
  constructor(readonly entries: [string, Json][]) {}
}
type Json = null | boolean | number | string | Json[] | Obj;

interface Style {
  seed: number;
  space: number;
  escape: number;
  slash: number;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

function serialize(value: Json, style: Style): Buffer {
  const rnd = prng(style.seed);
  const ws = () => (rnd() < style.space ? [' ', '\n', '\t', '\r\n', '  '][Math.floor(rnd() * 5)] : '');
  const u = (c: number) => {
    const hex = c.toString(16).padStart(4, '0');
    return '\\u' + (rnd() < 0.5 ? hex : hex.toUpperCase());
  };
  const str = (s: string) => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) out += '\\"';
      else if (c === 0x5c) out += '\\\\';
      else if (c < 0x20) out += SHORT_ESCAPES[c] && rnd() < 0.7 ? SHORT_ESCAPES[c] : u(c);
      else if (c === 0x2f && rnd() < style.slash) out += rnd() < 0.8 ? '\\/' : u(c);
      else if (c >= 0xd800 && c <= 0xdfff) out += rnd() < 0.5 || c >= 0xdc00 || !(s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) ? u(c) : s[i] + s[++i];
      else if (rnd() < style.escape) out += u(c);
      else out += s[i];
    }
    return out + '"';
  };
  const val = (v: Json): string => {
    if (v instanceof Obj) return '{' + ws() + v.entries.map(([k, x]) => str(k) + ws() + ':' + ws() + val(x)).join(ws() + ',' + ws()) + ws() + '}';
    if (Array.isArray(v)) return '[' + ws() + v.map(val).join(ws() + ',' + ws()) + ws() + ']';
    if (typeof v === 'string') return str(v);
    return JSON.stringify(v);
  };
  return Buffer.from(ws() + val(value) + ws(), 'utf8');
}

function fromPlain(v: unknown): Json {
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v !== null && typeof v === 'object') return new Obj(Object.entries(v).map(([k, x]) => [k, fromPlain(x)]));
  return v as Json;
}

// --- arbitraries ---

/** Pseudo-random bytes from a seed: cheap to generate and to shrink, unlike a big fc.uint8Array. */
const seededBytes = (min: number, max: number) =>
  fc.record({ seed: fc.integer({ min: 1 }), length: fc.integer({ min, max }) }).map(({ seed, length }) => {
    const rnd = prng(seed);
    return Uint8Array.from({ length }, () => Math.floor(rnd() * 256));
  });

/** Image bytes: mostly tiny, sometimes a few KB, now and then past the 64 KB slice and the decoder's stage. */
const bytesArb = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 60 },
  { arbitrary: seededBytes(100, 5000), weight: 10 },
  { arbitrary: seededBytes(60_000, 200_000), weight: 1 },
);

const base64Arb = (allowWhitespace: boolean) =>
  fc
    .record({
      bytes: bytesArb,
      urlSafe: fc.boolean(),
      unpadded: fc.boolean(),
      wrap: allowWhitespace ? fc.option(fc.integer({ min: 1, max: 80 })) : fc.constant(null),
      wrapWith: fc.constantFrom('\n', '\r\n', ' ', '\t'),
    })
    .map(({ bytes, urlSafe, unpadded, wrap, wrapWith }) => {
      let text = Buffer.from(bytes).toString('base64');
      if (urlSafe) text = text.replace(/\+/g, '-').replace(/\//g, '_');
      if (unpadded) text = text.replace(/=+$/, '');
      if (wrap) text = text.replace(new RegExp(`.{${wrap}}`, 'g'), `$&${wrapWith}`);
      return text;
    });

const textPieceArb = fc.oneof(
  fc.constantFrom('Here is your image.', ' ', '\n', '![', '](', ')', '[', ']', '!', 'd', 'data:', 'data:image/', 'data:image/png;', ';base64,', '=', 'QUJD', '"', '\\', '/', '你好', '😀', '\u2028', '\u0000', '\u001f', 'é'),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

const dataUrlArb = fc
  .record({
    base64: base64Arb(false),
    markdown: fc.boolean(),
    alt: fc.string({ maxLength: 5 }),
    subtype: fc.constantFrom('png', 'jpeg', 'webp', 'svg+xml', 'x'),
  })
  .map(({ base64, markdown, alt, subtype }) => `${markdown ? `![${alt}](` : ''}data:image/${subtype};base64,${base64}${markdown ? ')' : ''}`);

const thoughtArb = fc.constantFrom<boolean | undefined>(undefined, undefined, true, false);

const inlinePartArb = fc
  .record({
    base64: base64Arb(true),
    snake: fc.boolean(),
    dataFirst: fc.boolean(),
    mime: fc.option(fc.constantFrom('image/png', 'image/jpeg', 'image/webp')),
    thought: thoughtArb,
    thoughtFirst: fc.boolean(),
    signature: fc.option(fc.string({ maxLength: 12 })),
  })
  .map(({ base64, snake, dataFirst, mime, thought, thoughtFirst, signature }) => {
    const inner: [string, Json][] = [['data', base64]];
    if (mime !== null) inner[dataFirst ? 'push' : 'unshift']([snake ? 'mime_type' : 'mimeType', mime]);
    const entries: [string, Json][] = [[snake ? 'inline_data' : 'inlineData', new Obj(inner)]];
    if (thought !== undefined) entries[thoughtFirst ? 'unshift' : 'push'](['thought', thought]);
    if (signature !== null) entries.push([snake ? 'thought_signature' : 'thoughtSignature', signature]);
    return new Obj(entries);
  });

const textPartArb = fc
  .record({ pieces: fc.array(fc.oneof({ arbitrary: textPieceArb, weight: 3 }, { arbitrary: dataUrlArb, weight: 1 }), { maxLength: 6 }), thought: thoughtArb })
  .map(({ pieces, thought }) => new Obj(thought === undefined ? [['text', pieces.join('')]] : [['thought', thought], ['text', pieces.join('')]]));

const otherPartArb = fc.oneof(
  fc.constant(new Obj([['fileData', new Obj([['mimeType', 'image/png'], ['fileUri', 'https://x/files/1']])]])),
  fc.jsonValue({ maxDepth: 2 }).map((v) => new Obj([['functionCall', fromPlain({ name: 'f', args: v })]])),
  fc.jsonValue({ maxDepth: 2 }).map(fromPlain),
);

const partArb = fc.oneof({ arbitrary: inlinePartArb, weight: 3 }, { arbitrary: textPartArb, weight: 3 }, { arbitrary: otherPartArb, weight: 1 });

const candidateArb = fc
  .record({
    parts: fc.array(partArb, { maxLength: 5 }),
    finishReason: fc.option(fc.constantFrom('STOP', 'SAFETY', 'IMAGE_SAFETY', 'NO_IMAGE', 'MAX_TOKENS', 'OTHER')),
    extra: fc.option(fc.jsonValue({ maxDepth: 2 })),
  })
  .map(({ parts, finishReason, extra }) => {
    const entries: [string, Json][] = [['content', new Obj([['role', 'model'], ['parts', parts]])]];
    if (finishReason !== null) entries.push(['finishReason', finishReason]);
    if (extra !== null) entries.unshift(['citationMetadata', fromPlain(extra)]);
    entries.push(['index', 0]);
    return new Obj(entries);
  });

const replyArb = fc
  .record({
    candidates: fc.option(fc.array(candidateArb, { minLength: 1, maxLength: 2 }), { freq: 6 }),
    blockReason: fc.option(fc.constantFrom('SAFETY', 'OTHER', 'PROHIBITED_CONTENT')),
    usage: fc.option(fc.record({ promptTokenCount: fc.nat(), totalTokenCount: fc.nat() })),
    modelVersion: fc.option(fc.string({ maxLength: 20 })),
    unknown: fc.option(fc.jsonValue({ maxDepth: 3 })),
    order: fc.nat(),
  })
  .map(({ candidates, blockReason, usage, modelVersion, unknown, order }) => {
    const entries: [string, Json][] = [];
    if (candidates !== null) entries.push(['candidates', candidates]);
    if (blockReason !== null) entries.push(['promptFeedback', new Obj([['blockReason', blockReason]])]);
    if (usage !== null) entries.push(['usageMetadata', fromPlain(usage)]);
    if (modelVersion !== null) entries.push(['modelVersion', modelVersion]);
    if (unknown !== null) entries.push(['somethingNew', fromPlain(unknown)]);
    const k = entries.length > 0 ? order % entries.length : 0;
    return new Obj([...entries.slice(k), ...entries.slice(0, k)]);
  });

const styleArb = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  space: fc.constantFrom(0, 0, 0.1, 0.5),
  escape: fc.constantFrom(0, 0, 0.05, 0.5),
  slash: fc.constantFrom(0, 1, 0.5),
});

const chunkingArb: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
  fc.constant([65536]),
);

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
async function check(body: Buffer, sizes: readonly number[], mustParse: boolean): Promise<void> {
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

// --- the properties ---

/** FUZZ_SCALE=10 runs ten times as many cases (for a soak run; the default keeps CI under ~20 s). */
const SCALE = Math.max(0.01, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const runs = (n: number) => Math.ceil(n * SCALE);

describe('parseGenerateContentReply against JSON.parse (fast-check)', () => {
  it('reads generated replies exactly like JSON.parse, under any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(replyArb, styleArb, chunkingArb, async (value, style, sizes) => {
        await check(serialize(value, style), sizes, true);
      }),
      { numRuns: runs(1200) },
    );
  });

  it('never answers other than consistently or with a GeminiError for mutated replies', async () => {
    const mutationArb = fc.array(
      fc.record({
        kind: fc.constantFrom('cut', 'delete', 'insert', 'flip', 'duplicate'),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 24 }),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(replyArb, styleArb, mutationArb, chunkingArb, async (value, style, mutations, sizes) => {
        let body = serialize(value, style);
        for (const m of mutations) {
          const at = body.length === 0 ? 0 : m.at % body.length;
          const end = Math.min(body.length, at + m.length);
          if (m.kind === 'cut') body = body.subarray(0, at);
          else if (m.kind === 'delete') body = Buffer.concat([body.subarray(0, at), body.subarray(end)]);
          else if (m.kind === 'insert') body = Buffer.concat([body.subarray(0, at), m.bytes, body.subarray(at)]);
          else if (m.kind === 'flip') body = Buffer.concat([body.subarray(0, at), Buffer.from([body[at] ^ m.bytes[0]]), body.subarray(at + 1)]);
          else body = Buffer.concat([body.subarray(0, end), body.subarray(at, end), body.subarray(end)]);
        }
        await check(body, sizes, false);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('never answers other than consistently or with a GeminiError for garbage', async () => {
    const tokenSoup = fc
      .array(
        fc.constantFrom(
          '{', '}', '[', ']', '"', ':', ',', '\\', '\\u', '\\/', '00', '2F', '1', '-', '.', 'e', '0', 'true', 'false', 'null', ' ', '\n',
          '"candidates"', '"content"', '"parts"', '"inlineData"', '"inline_data"', '"data"', '"text"', '"thought"', '"mimeType"',
          '"QUJD"', 'QUJD', '=', 'data:image/png;base64,', '![a](', ')', '\u00e9', '\ufeff', '\u0000',
        ),
        { maxLength: 80 },
      )
      .map((tokens) => Buffer.from(tokens.join('')));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), tokenSoup), chunkingArb, async (body, sizes) => {
        await check(body, sizes, false);
      }),
      { numRuns: runs(2500) },
    );
  });
});
