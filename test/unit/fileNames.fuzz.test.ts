// promptSlug against thousands of generated prompts: whatever the prompt, the slug is one safe file
// name on every platform (no separator, no leading dot, no Windows device name even with an
// extension after it, no control character or lone surrogate), short and non-empty, and it keeps
// the prompt's letters, Chinese included, in order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { promptSlug } from '../../src/core/fileNames';

const RUNS = 5000;
const MAX_CODE_POINTS = 48;
const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const kanaHangul = fc.oneof(fc.integer({ min: 0x3041, max: 0x3096 }), fc.integer({ min: 0x30a1, max: 0x30fa }), fc.integer({ min: 0xac00, max: 0xd7a3 })).map((c) => String.fromCodePoint(c));
const compatibilityIdeograph = fc.integer({ min: 0xf900, max: 0xfa2d }).map((c) => String.fromCodePoint(c));
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789') },
  { weight: 4, arbitrary: fc.constantFrom(...' ./\\:*?"<>|-_.,;!@#$%^&()[]{}`~\'=+') },
  { weight: 3, arbitrary: cjk },
  { weight: 1, arbitrary: kanaHangul },
  { weight: 1, arbitrary: compatibilityIdeograph },
  { weight: 1, arbitrary: fc.constantFrom('。', '，', '、', '；', '：', '？', '！', '“', '”', '（', '）', '《', '》', '【', '】', '\u3000', '・', '「', '」') },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\t', '\u0000', '\u0007', '\u001f', '\u007f', '\u00a0', '\u2028', '\u200b', '\u202e', '\ufeff') },
  { weight: 1, arbitrary: fc.constantFrom('🐱', '👩‍🚀', '🇯🇵', 'é', 'É', 'ß', 'İ', 'ǅ', 'e\u0301', '¹', '²', 'Ⅻ') },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\ud83d') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) },
);
const devices = ['CON', 'prn', 'Aux', 'nul', 'COM1', 'com9', 'LPT1', 'lpt¹', 'com²', 'CON.txt', 'nul.tar.gz', 'aux.', ' con ', 'con..png', 'PRN:'];
const prompt = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: char, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: char, minLength: 40, maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...devices), fc.string({ unit: char, maxLength: 4 })).map(([d, rest]) => d + rest) },
  { weight: 1, arbitrary: fc.constantFrom(...devices, '../../etc/passwd', '..\\..\\boot.ini', '...', '.hidden', ' . . ', '—', '') },
);

const isLetterOrNumber = /[\p{L}\p{N}]/u;
const han = /\p{Script=Han}/u;
const codePoints = (s: string) => Array.from(s);
const lettersOf = (s: string) => codePoints(s).filter((c) => isLetterOrNumber.test(c));

describe('promptSlug, fuzzed', () => {
  test('always a safe, short, non-empty name', () => {
    fc.assert(
      fc.property(prompt, (p) => {
        const slug = promptSlug(p);
        const why = JSON.stringify({ prompt: p, slug });
        assert.ok(slug.length > 0, why);
        assert.ok(codePoints(slug).length <= MAX_CODE_POINTS, why);
        assert.ok(!slug.includes('/') && !slug.includes('\\'), `a path separator: ${why}`);
        assert.ok(!slug.startsWith('.'), `a leading dot: ${why}`);
        assert.ok(!slug.endsWith('.') && !slug.endsWith(' '), `Windows drops a trailing dot or space: ${why}`);
        assert.notEqual(slug, '..', why);
        // Windows reserves the device names with any extension after them: `nul.tar.gz.png` is NUL.
        assert.ok(!DEVICE_NAMES.test(slug.split('.')[0]), `a Windows device name: ${why}`);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(slug, /[\u0000-\u001f\u007f<>:"|?*]/, `a character Windows refuses: ${why}`);
        // A lone surrogate cannot be written as UTF-8: the file on disk would not have the name the link uses.
        assert.doesNotMatch(slug, /\p{Cs}/u, `a lone surrogate: ${why}`);
        assert.equal(promptSlug(slug), slug, `a slug is its own slug: ${why}`);
      }),
      { numRuns: RUNS },
    );
  });

  test("keeps the prompt's letters and numbers in order, Chinese included, none invented", () => {
    fc.assert(
      fc.property(prompt, (p) => {
        const slug = promptSlug(p);
        if (slug === 'image' && !/image/i.test(p)) return; // the fallback for an empty or reserved name
        const wanted = lettersOf(p.normalize('NFC').toLowerCase());
        const kept = lettersOf(slug);
        const why = JSON.stringify({ prompt: p, slug });
        assert.deepEqual(kept, wanted.slice(0, kept.length), `letters invented or reordered: ${why}`);
        // Nothing is lost but what the length cap cut.
        if (codePoints(p.normalize('NFC').toLowerCase()).length <= MAX_CODE_POINTS) assert.deepEqual(kept, wanted, `letters lost: ${why}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('a prompt with Chinese gives a name with its Chinese characters, readable', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof({ weight: 3, arbitrary: cjk }, { weight: 1, arbitrary: char }), minLength: 1, maxLength: 120 }), (p) => {
        const hanInPrompt = codePoints(p.normalize('NFC')).filter((c) => han.test(c));
        fc.pre(codePoints(p.normalize('NFC')).slice(0, MAX_CODE_POINTS).some((c) => han.test(c)));
        const slug = promptSlug(p);
        const hanInSlug = codePoints(slug).filter((c) => han.test(c));
        const why = JSON.stringify({ prompt: p, slug });
        assert.ok(hanInSlug.length > 0, `no Chinese left: ${why}`);
        assert.deepEqual(hanInSlug, hanInPrompt.slice(0, hanInSlug.length), why);
        if (codePoints(p).length <= MAX_CODE_POINTS) assert.deepEqual(hanInSlug, hanInPrompt, why);
      }),
      { numRuns: RUNS },
    );
  });
});
