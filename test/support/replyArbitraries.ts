// Generated Gemini replies for the parser's fuzz tests: fast-check arbitraries for every reply
// shape we know of, serialized the ways relays write JSON.
import fc from 'fast-check';
import { prng } from './testHelpers';

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

export function serialize(value: Json, style: Style): Buffer {
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

export const replyArb = fc
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

export const styleArb = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  space: fc.constantFrom(0, 0, 0.1, 0.5),
  escape: fc.constantFrom(0, 0, 0.05, 0.5),
  slash: fc.constantFrom(0, 1, 0.5),
});

export const chunkingArb: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
  fc.constant([65536]),
);
