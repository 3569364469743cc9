// Prompts kept in the image: iTXt chunks written into real PNGs must read back exactly (Chinese,
// emoji), leave a PNG a strict decoder accepts (every CRC, IDAT intact), and reading must survive
// any damage. JPEG and WebP get a sidecar.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  DESCRIPTION_KEYWORD,
  METADATA_KEYWORD,
  addPngTextChunk,
  hasContentCredentials,
  readPngMetadata,
  readPngTextChunks,
  removePngMetadata,
  setPngMetadata,
  type ImageMetadata,
} from '../../src/core/pngMetadata';
import { parseSidecar, serializeSidecar, sidecarPathFor } from '../../src/core/imageMetadata';
import { decodePng } from '../support/fakeGemini/inspect';
import { chunk, pngChunks, withChunks } from '../support/pngChunks';
import { makeImage } from '../support/fakeGemini/images';

const png = makeImage({ mimeType: 'image/png', width: 64, height: 40, seed: 1 }).bytes;
const jpeg = makeImage({ mimeType: 'image/jpeg', width: 64, height: 40, seed: 1 }).bytes;

const PROMPTS = [
  'a lighthouse at dawn',
  '一只在雪地里奔跑的红狐狸，水彩风格',
  '猫 🐱 and 👩‍🚀 astronaut 🇯🇵 with ZWJ 👨‍👩‍👧‍👦',
  'Ünïcödé — “quotes” ‘single’ «guillemets» \u00a0nbsp',
  'line one\nline two\ttab\u0000nul',
  '',
];

interface RawChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

/** Every chunk, with its CRC checked by zlib's crc32 (independent of the code under test). */
function rawChunks(file: Buffer): RawChunk[] {
  const out: RawChunk[] = [];
  let at = 8;
  while (at + 12 <= file.length) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    const crcOk = (zlibCrc32(file.subarray(at + 4, at + 8 + length)) >>> 0) === file.readUInt32BE(at + 8 + length);
    out.push({ type, data, crcOk });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return out;
}

const meta: ImageMetadata = {
  version: 1,
  prompt: 'Flat vector illustration of 一只猫 🐱.',
  userPrompt: '一只猫 🐱',
  model: 'gemini-nano-banana-2.1',
  aspectRatio: '16:9',
  imageSize: '2K',
  style: 'Flat illustration',
  createdAt: '2025-01-02T03:04:05.000Z',
};

describe('addPngTextChunk', () => {
  for (const prompt of PROMPTS) {
    test(`round-trips ${JSON.stringify(prompt).slice(0, 40)} and the PNG still decodes`, () => {
      const out = Buffer.from(addPngTextChunk(png, 'prompt', prompt));
      assert.equal(readPngTextChunks(out).prompt, prompt);
      const chunks = rawChunks(out);
      assert.ok(chunks.every((c) => c.crcOk), 'every chunk CRC is valid');
      assert.deepEqual(chunks.map((c) => c.type).slice(0, 2), ['IHDR', 'iTXt'], 'right after IHDR');
      const iTXt = chunks[1].data;
      // keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL, UTF-8.
      assert.deepEqual(iTXt.subarray(0, 'prompt'.length + 5), Buffer.concat([Buffer.from('prompt'), Buffer.from([0, 0, 0, 0, 0])]));
      assert.equal(iTXt.subarray('prompt'.length + 5).toString('utf8'), prompt);
      const before = decodePng(png);
      const after = decodePng(out); // strict: signature, every CRC, IDAT inflates to the right size
      assert.deepEqual(after.pixels, before.pixels);
      assert.equal(after.width, 64);
    });
  }

  test('refuses bytes that are not a PNG and invalid keywords', () => {
    assert.throws(() => addPngTextChunk(jpeg, 'k', 'v'), /Not a PNG/);
    assert.throws(() => addPngTextChunk(png, '', 'v'), RangeError);
    assert.throws(() => addPngTextChunk(png, ' lead', 'v'), RangeError);
    assert.throws(() => addPngTextChunk(png, 'a  b', 'v'), RangeError);
    assert.throws(() => addPngTextChunk(png, 'x'.repeat(80), 'v'), RangeError);
    assert.throws(() => addPngTextChunk(png, '中文', 'v'), RangeError);
    assert.doesNotThrow(() => addPngTextChunk(png, 'x'.repeat(79), 'v'));
  });
});

describe('readPngTextChunks', () => {
  test('reads tEXt (Latin-1), zTXt and compressed iTXt written by other tools', () => {
    const file = withChunks(
      png,
      chunk('tEXt', Buffer.concat([Buffer.from('Author\0'), Buffer.from('Zoë', 'latin1')])),
      chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0'), deflateSync(Buffer.from('déjà vu', 'latin1'))])),
      chunk('iTXt', Buffer.concat([Buffer.from('Title\0\x01\x00zh\0标题\0'), deflateSync(Buffer.from('压缩的标题 🎉', 'utf8'))])),
    );
    assert.doesNotThrow(() => decodePng(file));
    assert.deepEqual({ ...readPngTextChunks(file) }, { Author: 'Zoë', Comment: 'déjà vu', Title: '压缩的标题 🎉' });
  });

  test('skips a chunk with a bad CRC or broken contents and keeps the others', () => {
    const good = chunk('tEXt', Buffer.from('Good\0yes'));
    const badCrc = chunk('tEXt', Buffer.from('Bad\0no'));
    badCrc[badCrc.length - 1] ^= 0xff;
    const badDeflate = chunk('zTXt', Buffer.from('Broken\0\0not deflate at all'));
    const noKeyword = chunk('tEXt', Buffer.from('\0text'));
    const badMethod = chunk('iTXt', Buffer.from('Odd\0\x01\x07\0\0zzz'));
    const file = withChunks(png, badCrc, badDeflate, noKeyword, badMethod, good);
    assert.deepEqual({ ...readPngTextChunks(file) }, { Good: 'yes' });
  });

  test('refuses to inflate an oversized text (a zip bomb)', () => {
    const bomb = chunk('zTXt', Buffer.concat([Buffer.from('Bomb\0\0'), deflateSync(Buffer.alloc(8 * 1024 * 1024))]));
    assert.deepEqual({ ...readPngTextChunks(withChunks(png, bomb)) }, {});
  });

  test('the first chunk wins when a keyword repeats; no prototype keys', () => {
    const file = withChunks(png, chunk('tEXt', Buffer.from('k\0first')), chunk('tEXt', Buffer.from('k\0second')), chunk('tEXt', Buffer.from('__proto__\0x')));
    const found = readPngTextChunks(file);
    assert.equal(found.k, 'first');
    assert.equal(found.__proto__, 'x');
    assert.equal(Object.getPrototypeOf(found), null);
  });

  test('a truncated file keeps the chunks before the cut', () => {
    const file = Buffer.from(addPngTextChunk(png, 'k', 'kept'));
    for (const cut of [0, 7, 8, 20, 33, 40, 60, file.length - 13, file.length - 1]) {
      const found = readPngTextChunks(file.subarray(0, cut));
      if (cut >= 33 + 12 + 'k'.length + 5 + 'kept'.length) assert.equal(found.k, 'kept', `cut at ${cut}`);
      else assert.deepEqual({ ...found }, {}, `cut at ${cut}`);
    }
  });

  test('fuzz: random bytes, truncated and bit-flipped PNGs never throw', () => {
    const stamped = Buffer.from(setPngMetadata(png, meta));
    const pngWithBytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((tail) => Buffer.concat([png.subarray(0, 8), tail])),
      fc.nat({ max: stamped.length }).map((n) => stamped.subarray(0, n)),
      fc.tuple(fc.nat({ max: stamped.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const copy = Buffer.from(stamped);
        copy[at] ^= x;
        return copy;
      }),
      fc.tuple(fc.nat({ max: 200 }), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, bytes]) => {
        const copy = Buffer.from(stamped);
        copy.set(bytes.subarray(0, copy.length - at), at);
        return copy;
      }),
    );
    fc.assert(
      fc.property(pngWithBytes, (bytes) => {
        const found = readPngTextChunks(bytes);
        assert.equal(typeof found, 'object');
        for (const value of Object.values(found)) assert.equal(typeof value, 'string');
        const m = readPngMetadata(bytes);
        assert.ok(m === undefined || typeof m.prompt === 'string');
        // What is read from a damaged file is never a garbled prompt: it is the original or absent.
        if (m) assert.equal(m.prompt, meta.prompt);
        hasContentCredentials(bytes);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('setPngMetadata / readPngMetadata', () => {
  test('keeps the JSON and the plain prompt under Description', () => {
    const out = Buffer.from(setPngMetadata(png, meta));
    assert.deepEqual(readPngMetadata(out), meta);
    const texts = readPngTextChunks(out);
    assert.equal(texts[DESCRIPTION_KEYWORD], meta.prompt);
    assert.deepEqual(JSON.parse(texts[METADATA_KEYWORD]), meta);
    assert.doesNotThrow(() => decodePng(out));
    assert.ok(rawChunks(out).every((c) => c.crcOk));
  });

  test('writing twice leaves one chunk of each, the newest', () => {
    const once = setPngMetadata(png, meta);
    const twice = Buffer.from(setPngMetadata(withChunks(Buffer.from(once), chunk('tEXt', Buffer.from('Description\0old'))), { version: 1, prompt: '新的 ✨' }));
    const types = rawChunks(twice).map((c) => c.type);
    assert.equal(types.filter((t) => t === 'iTXt' || t === 'tEXt').length, 2);
    assert.deepEqual(readPngMetadata(twice), { version: 1, prompt: '新的 ✨' });
    assert.equal(readPngTextChunks(twice)[DESCRIPTION_KEYWORD], '新的 ✨');
    assert.doesNotThrow(() => decodePng(twice));
  });

  test('other text chunks are kept', () => {
    const file = withChunks(png, chunk('tEXt', Buffer.from('Software\0Gemini')));
    assert.equal(readPngTextChunks(setPngMetadata(file, meta)).Software, 'Gemini');
  });

  test('unknown fields are dropped, bad values ignored, no prompt is no metadata', () => {
    const stamped = (json: string) => addPngTextChunk(png, METADATA_KEYWORD, json);
    assert.deepEqual(readPngMetadata(stamped('{"prompt":"p","model":3,"extra":"x"}')), { version: 1, prompt: 'p' });
    assert.equal(readPngMetadata(stamped('{"model":"m"}')), undefined);
    assert.equal(readPngMetadata(stamped('not json')), undefined);
    assert.equal(readPngMetadata(stamped('["p"]')), undefined);
    assert.equal(readPngMetadata(png), undefined);
    assert.equal(readPngMetadata(jpeg), undefined);
  });

  test('Content Credentials (a caBX chunk) are detected', () => {
    assert.equal(hasContentCredentials(png), false);
    assert.equal(hasContentCredentials(withChunks(png, chunk('caBX', Buffer.from('jumbf')))), true);
  });
});

test('removePngMetadata gives back the exact bytes the metadata was added to', () => {
  const original = Buffer.from(png);
  const withMeta = Buffer.from(setPngMetadata(original, { version: 1, prompt: '一只猫 🐱', model: 'm' }));
  assert.ok(pngChunks(withMeta).some((c) => c.type === 'iTXt'));
  assert.deepEqual(Buffer.from(removePngMetadata(withMeta)), original);
  assert.deepEqual(Buffer.from(removePngMetadata(original)), original);
});

test('sidecar text round-trips and names its generator', () => {
  const text = serializeSidecar(meta);
  assert.equal(JSON.parse(text).generator, 'gemini-image-studio');
  assert.deepEqual(parseSidecar(text), meta);
  assert.equal(parseSidecar('{'), undefined);
  assert.equal(sidecarPathFor('/x/y/cover.jpg'), '/x/y/cover.jpg.json');
});
