// The streaming parser against JSON.parse on generated replies (every shape, escape and chunking
// we know of): it reads each one exactly as a whole-body JSON.parse reading does.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkingArb, replyArb, serialize, styleArb } from '../support/replyArbitraries';
import { check, runs } from '../support/replyOracle';

describe('parseGenerateContentReply against JSON.parse (fast-check)', () => {
  it('reads generated replies exactly like JSON.parse, under any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(replyArb, styleArb, chunkingArb, async (value, style, sizes) => {
        await check(serialize(value, style), sizes, true);
      }),
      { numRuns: runs(1200) },
    );
  });
});
