// The streaming parser on broken bodies (generated replies cut, flipped and spliced, and plain
// garbage): it either reads what JSON.parse reads or throws a GeminiError; nothing else, no hang.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkingArb, replyArb, serialize, styleArb } from '../support/replyArbitraries';
import { check, runs } from '../support/replyOracle';

describe('parseGenerateContentReply against JSON.parse (fast-check)', () => {
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
