import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Base64Decoder } from '../../src/gemini/base64Decoder';
import { GeminiError } from '../../src/gemini/errors';

/** Decodes `text` pushed in the given pieces; `asChars` pushes every character through pushChar. */
function decode(text: string, cuts: number[] = [], options: { asChars?: boolean; capacity?: number; flush?: boolean } = {}): Buffer {
  const out: Buffer[] = [];
  const decoder = new Base64Decoder((bytes) => out.push(bytes), { capacity: options.capacity });
  const bytes = Buffer.from(text, 'latin1');
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  for (let k = 0; k + 1 < bounds.length; k++) {
    if (options.asChars) for (let i = bounds[k]; i < bounds[k + 1]; i++) decoder.pushChar(bytes[i]);
    else decoder.push(bytes, bounds[k], bounds[k + 1]);
    if (options.flush !== false) decoder.flush();
  }
  decoder.end();
  const all = Buffer.concat(out);
  assert.equal(decoder.byteLength, all.length);
  return all;
}

function rejects(text: string, cuts: number[] = [], options: { asChars?: boolean; capacity?: number } = {}): void {
  assert.throws(
    () => decode(text, cuts, options),
    (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse',
    `expected ${JSON.stringify(text)} to be rejected`,
  );
}

const urlSafe = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');
const unpadded = (b64: string) => b64.replace(/=+$/, '');

describe('Base64Decoder', () => {
  it('decodes every length 0..40 split at every position, as bytes or as characters', () => {
    for (let n = 0; n <= 40; n++) {
      const data = randomBytes(n);
      for (const text of [data.toString('base64'), urlSafe(data.toString('base64')), unpadded(data.toString('base64'))]) {
        const expected = Buffer.from(text, 'base64');
        assert.deepEqual(decode(text), expected);
        for (let cut = 0; cut <= text.length; cut++) {
          assert.deepEqual(decode(text, [cut]), expected, `${text} cut at ${cut}`);
          assert.deepEqual(decode(text, [cut], { asChars: true }), expected);
          assert.deepEqual(decode(text, [cut, cut + 1, cut + 2, cut + 3]), expected);
        }
      }
    }
  });

  it('decodes a padded end natively: the slow pass sees only the last group, not the whole stage', () => {
    for (const n of [60_000, 60_001, 60_002]) {
      const data = randomBytes(n);
      const text = data.toString('base64');
      const slow: number[] = [];
      const out: Buffer[] = [];
      const decoder = new Base64Decoder((bytes) => out.push(bytes));
      const compact = (decoder as unknown as { compact(): void }).compact;
      (decoder as unknown as { compact(): void }).compact = function (this: { staged: number }) {
        slow.push(this.staged);
        compact.call(this);
      };
      decoder.push(Buffer.from(text, 'latin1'));
      decoder.end();
      assert.deepEqual(Buffer.concat(out), data);
      assert.ok(slow.every((staged) => staged <= 7), `slow pass over ${slow.join(', ')} characters (${n} bytes)`);
    }
  });

  it('matches Buffer.from for random data, random splits, both alphabets, padded or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(2700), { maxLength: 30 }),
        fc.constantFrom('standard', 'url', 'unpadded', 'url-unpadded'),
        fc.constantFrom(16, 64, 1000, undefined),
        fc.boolean(),
        (data, cuts, style, capacity, flush) => {
          let text = Buffer.from(data).toString('base64');
          if (style.startsWith('url')) text = urlSafe(text);
          if (style.endsWith('unpadded')) text = unpadded(text);
          assert.deepEqual(decode(text, cuts, { capacity, flush }), Buffer.from(data));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('mixes both alphabets in one string', () => {
    assert.deepEqual(decode('+/-_'), Buffer.from('+/+/', 'base64'));
  });

  it('ignores whitespace anywhere, including inside the padding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.tuple(fc.nat(900), fc.constantFrom(' ', '\n', '\r\n', '\t', '  \n')), { maxLength: 40 }),
        fc.array(fc.nat(1200), { maxLength: 10 }),
        (data, spaces, cuts) => {
          let text = Buffer.from(data).toString('base64');
          for (const [at, ws] of spaces) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + ws + text.slice(i);
          }
          assert.deepEqual(decode(text, cuts, { capacity: 32 }), Buffer.from(data));
        },
      ),
      { numRuns: 300 },
    );
    const wrapped = randomBytes(3000).toString('base64').replace(/.{76}/g, '$&\r\n');
    assert.deepEqual(decode(wrapped), Buffer.from(wrapped, 'base64'));
    assert.deepEqual(decode('QQ = =\n'), Buffer.from('A'));
    assert.deepEqual(decode(' \n '), Buffer.alloc(0));
  });

  it('accepts correct padding and rejects wrong padding', () => {
    assert.deepEqual(decode('QQ=='), Buffer.from('A'));
    assert.deepEqual(decode('QQ='), Buffer.from('A'));
    assert.deepEqual(decode('QUI='), Buffer.from('AB'));
    assert.deepEqual(decode('QUJD'), Buffer.from('ABC'));
    for (const bad of ['QQ===', 'QUI==', 'QUJD=', '=', '==', 'Q===', 'Q', 'QUJDR', 'QQ==QQ==', 'QQ=A', 'QQ==A', '=QUJD', 'QU=JD']) {
      rejects(bad);
      for (let cut = 1; cut < bad.length; cut++) {
        rejects(bad, [cut]);
        rejects(bad, [cut], { asChars: true });
      }
    }
  });

  it('rejects any character outside base64, wherever it is and however it is split', () => {
    const good = randomBytes(300).toString('base64');
    for (const bad of ['*', '"', '\\', '.', '\u0000', '\u001f', '\u007f', '\u0080', '\u00ff', '%', ':']) {
      for (const at of [0, 1, 2, 3, 4, 150, 151, good.length - 3, good.length - 1, good.length]) {
        const text = good.slice(0, at) + bad + good.slice(at);
        rejects(text);
        rejects(text, [at, at + 1], { capacity: 16 });
        rejects(text, [at - 2, at + 5], { asChars: true });
      }
    }
    assert.throws(
      () => new Base64Decoder(() => undefined).pushChar(0x2f00),
      (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse',
    );
  });

  it('in jsonRaw mode, refuses raw tabs and line breaks but skips escaped ones', () => {
    const data = randomBytes(100);
    const text = data.toString('base64');
    const run = (pieces: (string | number)[]) => {
      const out: Buffer[] = [];
      const decoder = new Base64Decoder((bytes) => out.push(bytes), { jsonRaw: true, capacity: 16 });
      for (const piece of pieces) {
        if (typeof piece === 'number') decoder.pushChar(piece);
        else decoder.push(Buffer.from(piece, 'latin1'));
      }
      decoder.end();
      return Buffer.concat(out);
    };
    assert.deepEqual(run([text.slice(0, 50), 0x0a, 0x0d, 0x09, text.slice(50, 60), ' ', text.slice(60)]), data);
    for (const ws of ['\n', '\r', '\t']) {
      assert.throws(() => run([text.slice(0, 50) + ws + text.slice(50)]), (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse');
      assert.throws(() => run([text + ws]), (e: unknown) => e instanceof GeminiError && e.kind === 'badResponse');
    }
  });

  it('hands bytes out as whole groups arrive, before the end', () => {
    const data = randomBytes(3000);
    const text = Buffer.from(data.toString('base64'), 'latin1');
    const out: Buffer[] = [];
    const decoder = new Base64Decoder((bytes) => out.push(bytes), { capacity: 1024 });
    decoder.push(text, 0, 1001);
    decoder.flush();
    assert.equal(Buffer.concat(out).length, 750);
    decoder.push(text, 1001, 2500);
    assert.ok(Buffer.concat(out).length >= 750, 'a full stage is decoded without waiting for flush');
    decoder.push(text, 2500);
    decoder.end();
    assert.deepEqual(Buffer.concat(out), data);
  });
});
