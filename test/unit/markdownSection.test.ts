// The section under the cursor, as a user would pick it by eye, and text bounded at a natural
// boundary without breaking characters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { boundText, markdownHeadings, sectionAt } from '../../src/core/markdownSection';

const DOC = [
  'Intro line before any heading.', // 0
  '', // 1
  '# Title', // 2
  'Title text.', // 3
  '', // 4
  '## Install', // 5
  'Run the installer.', // 6
  '', // 7
  '### On Windows', // 8
  'Use the MSI.', // 9
  '', // 10
  '```sh', // 11
  '# not a heading, a shell comment', // 12
  '## neither', // 13
  '```', // 14
  '', // 15
  '## Usage ##', // 16
  'Open the panel.', // 17
  '', // 18
  '', // 19
].join('\n');

describe('sectionAt', () => {
  test('before the first heading: the start of the document to the first heading', () => {
    const s = sectionAt(DOC, 0);
    assert.deepEqual(s, { text: 'Intro line before any heading.', startLine: 0, endLine: 0 });
  });

  test('a top heading takes its nested sections along, up to the next heading of the same level', () => {
    const s = sectionAt(DOC, 3);
    assert.equal(s.heading, 'Title');
    assert.equal(s.level, 1);
    assert.equal(s.startLine, 2);
    assert.equal(s.endLine, 17);
  });

  test('a nested heading ends at the next heading of the same or a higher level', () => {
    const s = sectionAt(DOC, 6);
    assert.equal(s.heading, 'Install');
    assert.equal(s.startLine, 5);
    assert.equal(s.endLine, 14);
    assert.match(s.text, /^## Install\nRun the installer\.\n\n### On Windows/);
  });

  test('# inside a fenced code block is not a heading', () => {
    const s = sectionAt(DOC, 13);
    assert.equal(s.heading, 'On Windows');
    assert.equal(s.startLine, 8);
    assert.equal(s.endLine, 14);
    assert.ok(s.text.includes('# not a heading'));
  });

  test('the cursor on the heading line; closing #s dropped; trailing blank lines left out', () => {
    const s = sectionAt(DOC, 16);
    assert.deepEqual(s, { heading: 'Usage', level: 2, text: '## Usage ##\nOpen the panel.', startLine: 16, endLine: 17 });
    assert.deepEqual(sectionAt(DOC, 19), s);
  });

  test('a line past the end is clamped', () => {
    assert.equal(sectionAt(DOC, 500).heading, 'Usage');
    assert.equal(sectionAt(DOC, -3).startLine, 0);
  });

  test('setext headings, multi-line included; --- after a blank line is a rule', () => {
    const doc = ['Big title', 'on two lines', '=========', 'text', '', 'Sub', '---', 'sub text', '', '---', 'after rule', '', 'Other', '==='].join('\n');
    assert.deepEqual(
      markdownHeadings(doc).map((h) => [h.level, h.text, h.startLine, h.endLine]),
      [
        [1, 'Big title on two lines', 0, 2],
        [2, 'Sub', 5, 6],
        [1, 'Other', 12, 13],
      ],
    );
    const s = sectionAt(doc, 10);
    assert.equal(s.heading, 'Sub');
    assert.equal(s.endLine, 10);
    assert.equal(sectionAt(doc, 1).heading, 'Big title on two lines');
  });

  test('lists and quotes followed by --- are not setext headings', () => {
    const doc = ['- item', '---', '> quote', '---', 'para', '- - -'].join('\n');
    assert.deepEqual(markdownHeadings(doc), []);
  });

  test('not headings: #hashtag, 7 #s, indented code; empty ATX heading is one', () => {
    const doc = ['#hashtag', '####### seven', '    # indented code', '#', 'x', '   ### three spaces'].join('\n');
    assert.deepEqual(markdownHeadings(doc).map((h) => [h.level, h.text, h.startLine]), [[1, '', 3], [3, 'three spaces', 5]]);
  });

  test('fences: tildes, longer closers, a shorter fence inside, an unclosed fence runs to the end', () => {
    const doc = ['~~~~', '# in', '~~~', '# still in', '~~~~~', '# out', '````md', '```', '# in again'].join('\n');
    assert.deepEqual(markdownHeadings(doc).map((h) => h.text), ['out']);
  });

  test('YAML front matter is not a setext heading and not part of the intro', () => {
    const doc = ['---', 'title: Post', 'tags: [a]', '---', '', 'Intro.', '', '# First'].join('\n');
    assert.deepEqual(markdownHeadings(doc).map((h) => h.text), ['First']);
    assert.deepEqual(sectionAt(doc, 5), { text: 'Intro.', startLine: 5, endLine: 5 });
  });

  test('CRLF and CR line endings; Chinese headings', () => {
    const doc = '# 第一章\r\n内容一\r\n# 第二章\r内容二\r';
    assert.deepEqual(sectionAt(doc, 1), { heading: '第一章', level: 1, text: '# 第一章\n内容一', startLine: 0, endLine: 1 });
    assert.equal(sectionAt(doc, 3).text, '# 第二章\n内容二');
  });

  test('an empty document', () => {
    assert.deepEqual(sectionAt('', 0), { text: '', startLine: 0, endLine: 0 });
  });

  test('fuzz: the section holds the cursor line and never throws', () => {
    const line = fc.constantFrom('# h1', '## h2', '### h3', 'text', '', '```', '~~~', '---', '===', '- item', '> q', '    code', 'foo ##', '中文');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.nat({ max: 40 }), (lines, at) => {
        const doc = lines.join('\n');
        const s = sectionAt(doc, at);
        const cursor = Math.min(at, Math.max(0, lines.length - 1));
        assert.ok(s.startLine <= s.endLine);
        const why = JSON.stringify({ lines, at, s });
        // The cursor is inside, or on blank lines left out at either end.
        if (cursor > s.endLine) assert.ok(lines.slice(s.endLine + 1, cursor + 1).every((l) => !l.trim()), why);
        if (cursor < s.startLine) assert.ok(lines.slice(cursor, s.startLine).every((l) => !l.trim()), why);
        assert.equal(s.text, doc.split('\n').slice(s.startLine, s.endLine + 1).join('\n'));
      }),
    );
  });
});

describe('boundText', () => {
  test('short text is unchanged', () => {
    assert.deepEqual(boundText('short', 10), { text: 'short', truncated: false });
    assert.deepEqual(boundText('', 0), { text: '', truncated: false });
  });

  test('cuts at the last paragraph break that keeps half the budget', () => {
    const text = `${'a'.repeat(60)}.\n\n${'b'.repeat(30)}. ${'c'.repeat(30)}`;
    assert.deepEqual(boundText(text, 100), { text: `${'a'.repeat(60)}.`, truncated: true });
  });

  test('else at a sentence end, English and Chinese', () => {
    assert.deepEqual(boundText('One sentence here. Two sentences here. Three here.', 45), { text: 'One sentence here. Two sentences here.', truncated: true });
    assert.deepEqual(boundText('第一句话。第二句话！第三句话？第四句', 12), { text: '第一句话。第二句话！', truncated: true });
    assert.deepEqual(boundText('He said "stop." Then left the room quietly.', 20), { text: 'He said "stop."', truncated: true });
  });

  test('else at a word boundary, else at a character boundary', () => {
    assert.deepEqual(boundText('alpha beta gamma delta epsilon', 20), { text: 'alpha beta gamma', truncated: true });
    assert.deepEqual(boundText('一二三四五六七八九十一二三四五', 10), { text: '一二三四五六七八九十', truncated: true });
  });

  test('never splits a surrogate pair or an emoji sequence', () => {
    assert.deepEqual(boundText('🐱🐱🐱', 3), { text: '🐱', truncated: true });
    assert.deepEqual(boundText('👩‍🚀👩‍🚀', 6), { text: '👩‍🚀', truncated: true });
    assert.deepEqual(boundText('🇯🇵🇯🇵', 6), { text: '🇯🇵', truncated: true });
    assert.deepEqual(boundText('😀', 1), { text: '', truncated: true });
  });

  test('fuzz: within the budget, a prefix of the text, no lone surrogate made', () => {
    const unit = fc.constantFrom('a', 'b', ' ', '.', '\n', '。', '中', '🐱', '👩‍🚀', '🇯🇵', 'e\u0301', '!');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), fc.nat({ max: 90 }), (text, max) => {
        const r = boundText(text, max);
        assert.ok(r.text.length <= max);
        assert.equal(r.truncated, text.length > max);
        assert.ok(text.startsWith(r.text));
        assert.doesNotMatch(r.text, /\p{Cs}/u);
      }),
      { numRuns: 3000 },
    );
  });
});
