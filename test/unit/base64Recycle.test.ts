// The recycling decoder (results-file images written straight to disk): the same bytes as
// Buffer.from(text, 'base64'), with no fresh buffer per flush and its buffers reused by the next image.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Base64Decoder } from '../../src/gemini/base64Decoder';

/** Decodes like the reply parser does: 64 KiB slices, each flushed, its bytes consumed, then recycled. */
function decodeRecycled(text: string, slice: number) {
  const out: Buffer[] = [];
  const backing = new Set<ArrayBufferLike>();
  const d = new Base64Decoder(
    (b) => {
      backing.add(b.buffer);
      out.push(Buffer.from(b));
    },
    { recycle: true, jsonRaw: true },
  );
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += slice) {
    d.push(bytes, at, Math.min(bytes.length, at + slice));
    d.flush();
    d.recycle();
  }
  d.end();
  return { bytes: Buffer.concat(out), backing, decoder: d };
}

describe('Base64Decoder with recycle', () => {
  it('decodes a 1.5 MB image into one reused buffer, byte for byte', () => {
    const image = randomBytes(1_500_000);
    const { bytes, backing } = decodeRecycled(image.toString('base64'), 64 * 1024);
    assert.ok(bytes.equals(image));
    assert.equal(backing.size, 1, `handed out ${backing.size} distinct buffers`);
  });

  it('equals Buffer.from for any text, padding and slice size (with spaces or without)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 200_000 }), fc.boolean(), (data, slice, spaced) => {
        let text = Buffer.from(data).toString('base64');
        if (spaced) text = text.replace(/(.{76})/g, '$1 ');
        assert.ok(decodeRecycled(text, slice).bytes.equals(Buffer.from(data)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives its buffers to the next decoder once released, and refuses use after release', () => {
    const first = decodeRecycled(randomBytes(200_000).toString('base64'), 64 * 1024);
    first.decoder.release();
    assert.throws(() => first.decoder.push(Buffer.from('AAAA')), /after release/);
    const image = randomBytes(300_000);
    const second = decodeRecycled(image.toString('base64'), 64 * 1024);
    assert.ok(second.bytes.equals(image));
    assert.deepEqual([...second.backing], [...first.backing], 'the second image reused the first one\'s buffer');
  });
});
