// The alt text read back by markdown-it (a CommonMark renderer, strikethrough on) is the prompt's
// own characters: nothing in a prompt turns into emphasis, code, a link, HTML or an entity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { altTextFromPrompt, escapeAlt, markdownImageLink } from '../../src/core/markdownLink';

const md = new MarkdownIt();

/** The alt attribute of the one image in `markdown`, as markdown-it renders it. */
function renderedAlt(markdown: string): string {
  const inline = md.parseInline(markdown, {})[0];
  const images = (inline.children ?? []).filter((t) => t.type === 'image');
  assert.equal(images.length, 1, `not exactly one image: ${markdown}`);
  assert.equal(inline.children?.length, 1, `more than the image: ${markdown}`);
  // Text alone: an emphasis, code, HTML or link token shows up as its type and fails the comparison.
  return (images[0].children ?? []).map((t) => (t.type === 'text' || t.type === 'text_special' ? t.content : `<${t.type}>`)).join('');
}

const CASES = ['a *bold* fox', 'snake_case_name and __init__', 'x ~~gone~~ y', 'AT&amp;T &copy; 2026', 'a `code` span', '<b>html</b> <https://x.y>', '[link](url) and ![img](a.png)', 'back\\slash \\* star', '2 * 3 * 4 = 24', '_*_*mixed*_*_'];

test('emphasis, code, entities, HTML and brackets in a prompt show as typed', () => {
  for (const prompt of CASES) assert.equal(renderedAlt(markdownImageLink(escapeAlt(prompt), 'images/x.png')), prompt, prompt);
});

test('altTextFromPrompt keeps * and _ visible', () => {
  assert.equal(renderedAlt(markdownImageLink(altTextFromPrompt('a *very* small_cat'), 'x.png')), 'a *very* small_cat');
});

test('any printable prompt renders as itself', () => {
  const printable = fc.string({ unit: fc.constantFrom(...'ab *_~&;#`<>[]()!\\x01é中'.split('')), maxLength: 40 });
  fc.assert(
    fc.property(printable, (prompt) => {
      const text = prompt.replace(/\s+/g, ' ').trim();
      if (!text) return;
      assert.equal(renderedAlt(markdownImageLink(escapeAlt(text), 'x.png')), text);
    }),
    { numRuns: 2000 },
  );
});
