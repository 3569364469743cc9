import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberedName, promptSlug } from '../../src/core/fileNames';

test('promptSlug keeps words, lowercases, joins with dashes', () => {
  assert.equal(promptSlug('A Lighthouse at Dawn, watercolor!'), 'a-lighthouse-at-dawn-watercolor');
});

test('promptSlug keeps Chinese readable', () => {
  assert.equal(promptSlug('生成一张简洁的 Api.Go 产品海报'), '生成一张简洁的-api.go-产品海报');
  assert.equal(promptSlug('一只猫，坐在窗边。'), '一只猫-坐在窗边');
});

test('promptSlug refuses path traversal and separators', () => {
  for (const evil of ['../../etc/passwd', '..\\..\\windows', '/abs/path', 'a/../../b']) {
    const slug = promptSlug(evil);
    assert.ok(!slug.includes('/') && !slug.includes('\\'), slug);
    assert.ok(!slug.startsWith('.'), slug);
  }
});

test('promptSlug avoids reserved and empty names', () => {
  assert.equal(promptSlug('CON'), 'image');
  assert.equal(promptSlug('lpt1'), 'image');
  assert.equal(promptSlug('???***'), 'image');
  assert.equal(promptSlug('   '), 'image');
});

test('promptSlug caps the length by characters, not bytes', () => {
  const slug = promptSlug('很'.repeat(200));
  assert.equal(Array.from(slug).length, 48);
  assert.ok(promptSlug('word '.repeat(100)).length <= 48);
});

test('promptSlug never splits a surrogate pair', () => {
  const slug = promptSlug('🐱'.repeat(60));
  assert.equal(slug, '🐱'.repeat(48));
});

test('numberedName counts from the bare name', () => {
  assert.equal(numberedName('cat', 'png', 0), 'cat.png');
  assert.equal(numberedName('cat', 'png', 2), 'cat-2.png');
});

test('a capital İ beside another mark still gives a slug that is its own slug (found by the fuzz test)', () => {
  for (const prompt of ['\uAC00 \u0130\u{1BC9E}aaa\u4E00', 'a\u0130\u0316']) {
    const slug = promptSlug(prompt);
    assert.equal(promptSlug(slug), slug, JSON.stringify(slug));
  }
});
