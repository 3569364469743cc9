// placeImageLink checked by markdown-it as the oracle: for every line of many documents used as the
// cursor, the inserted link is a top-level paragraph holding only the image, and every other block
// reads exactly as before (no paragraph, list item, table, quote or fence is split or merged).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { anchorLineOf, placeImageLink, type LinkPlacement } from '../../src/core/linkPlacement';

const md = new MarkdownIt();
const LINK = '![a fox](images/a-fox.png)';

function apply(text: string, placement: LinkPlacement): string {
  const lines = text.split('\n');
  const offset = lines.slice(0, placement.line).reduce((sum, l) => sum + l.length + 1, 0) + placement.character;
  return text.slice(0, offset) + placement.text + text.slice(offset);
}

/** The block structure as markdown-it reads it, without line numbers. */
function blocks(text: string): string[] {
  return md.parse(text, {}).map((t) => `${t.type}|${t.tag}|${t.level}|${t.type === 'inline' || t.type === 'fence' || t.type === 'code_block' ? t.content.trim() : ''}|${t.hidden}`);
}

function withoutLink(structure: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < structure.length; i++) {
    if (structure[i].startsWith('paragraph_open|p|0|') && structure[i + 1] === `inline||1|${LINK}|false`) {
      i += 2;
      continue;
    }
    out.push(structure[i]);
  }
  return out;
}

const DOCUMENTS: Record<string, string> = {
  paragraphs: 'First paragraph, one\nline two of it.\n\nSecond paragraph.\n',
  headings: '# Title\n## Next\nText under next.\n# Last',
  setext: 'A title\n=======\nBody text.\n\nSub\n---\n',
  bulletList: 'Intro:\n\n- one\n- two\n  continued\n- three\n\nAfter the list.',
  looseList: '- one\n\n- two\n\n  more of two\n\n- three\nlazy line\n\nOutside.',
  orderedList: '1. first\n2. second\n   1. nested\n   2. nested too\n3. third\n# Heading',
  table: 'Before.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nAfter.',
  tableAgainstHeading: '| a | b |\n|---|---|\n| 1 | 2 |\n## Heading',
  quote: '> quoted line\n> and more\nlazy\n\n> second quote\n\nText.',
  fence: 'Text.\n```js\nconst a = 1;\n\nconst b = 2;\n```\nMore text.',
  tildeFence: '~~~\n# not a heading\n\n- not a list\n~~~\n',
  fenceInList: '- item\n\n  ```\n  code\n\n  more code\n  ```\n- next item\n\nDone.',
  frontMatter: '---\ntitle: x\n\nlist: [a]\n---\n# Doc\n\nBody.',
  thematicBreak: 'Above.\n***\nBelow.\n\n* * *\n',
  blanks: '\n\nText.\n\n\n\n# H\n\n',
  chinese: '# 标题\n\n这是一段中文，\n第二行。\n\n- 列表项\n- 第二项\n',
  oneLine: 'Only one line',
  empty: '',
  trailingSpaces: 'Hard  \nbreak line.   \n   \n# H',
};

describe('image link placement', () => {
  for (const [name, text] of Object.entries(DOCUMENTS)) {
    test(`${name}: from every line, the link is its own paragraph and nothing else changes`, () => {
      const lines = text.split('\n');
      const before = blocks(text);
      for (let line = 0; line < lines.length; line++) {
        const placement = placeImageLink(lines, line, LINK);
        const result = apply(text, placement);
        const after = blocks(result);
        const links = after.filter((b) => b === `inline||1|${LINK}|false`).length;
        assert.equal(links, 1, `${name}, line ${line}: the link is not a top-level paragraph of its own:\n${result}`);
        assert.deepEqual(withoutLink(after), before, `${name}, line ${line}: another block changed:\n${result}`);
        assert.equal(result.split('\n')[placement.linkLine], LINK, `${name}, line ${line}: linkLine`);
        assert.ok(placement.linkLine > line || lines[line].trim() === '', `${name}, line ${line}: the link went before the cursor`);
      }
    });
  }

  test('a phrase inside a sentence: the link goes after the paragraph, not into it', () => {
    const text = 'The quick brown fox\njumps over the lazy dog.\n\nNext.';
    const result = apply(text, placeImageLink(text.split('\n'), 0, LINK));
    assert.equal(result, `The quick brown fox\njumps over the lazy dog.\n\n${LINK}\n\nNext.`);
  });

  test('after a heading, with a blank line before the next heading', () => {
    const text = '# One\n# Two';
    assert.equal(apply(text, placeImageLink(text.split('\n'), 0, LINK)), `# One\n\n${LINK}\n\n# Two`);
  });

  test('after a list item, after the whole list', () => {
    const text = '- a\n- b\n- c\n\nText';
    assert.equal(apply(text, placeImageLink(text.split('\n'), 1, LINK)), `- a\n- b\n- c\n\n${LINK}\n\nText`);
  });

  test('on a blank line between paragraphs, right there', () => {
    const text = 'One.\n\nTwo.';
    assert.equal(apply(text, placeImageLink(text.split('\n'), 1, LINK)), `One.\n\n${LINK}\n\nTwo.`);
  });

  test('two links stay two paragraphs', () => {
    const two = `${LINK}\n\n${LINK}`;
    const text = 'Text.\n# H';
    assert.equal(apply(text, placeImageLink(text.split('\n'), 0, two)), `Text.\n\n${two}\n\n# H`);
  });

  test('a selection ending at the start of a line belongs to the line before', () => {
    assert.equal(anchorLineOf({ line: 2 }, { line: 4, character: 0 }), 3);
    assert.equal(anchorLineOf({ line: 2 }, { line: 4, character: 3 }), 4);
    assert.equal(anchorLineOf({ line: 4 }, { line: 4, character: 0 }), 4);
  });
});
