// imageLinkFor against thousands of generated prompts and paths, checked by a small CommonMark-style
// reader written here (not the builder run backwards): the link is one line, the alt text's
// brackets balance once escapes are read, nothing in it can start a code span, raw HTML or an
// autolink that would swallow the link, the destination has no raw space, control character,
// backslash, entity or unbalanced parenthesis, it decodes segment by segment to the relative path,
// and resolved from the document's folder it is the image, inside the workspace.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { imageLinkFor } from '../../src/core/markdownLink';

const RUNS = 3000;
const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

interface ParsedLink {
  /** The alt text with backslash escapes read. */
  alt: string;
  destination: string;
}

/** Reads `![alt](destination)` as CommonMark would, or says why it is not one. */
function parseImageLink(text: string): ParsedLink {
  if (/[\r\n]/.test(text)) throw new Error('more than one line');
  if (!text.startsWith('![')) throw new Error('does not start with ![');
  let i = 2;
  let depth = 0;
  let alt = '';
  for (;;) {
    if (i >= text.length) throw new Error('the alt text never closes');
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && ASCII_PUNCTUATION.has(text[i + 1])) {
      alt += text[i + 1];
      i += 2;
      continue;
    }
    // These bind more tightly than link brackets: a code span, raw HTML or an autolink opened in
    // the alt text could run past the `](` and take the link apart.
    if (c === '`') throw new Error('an unescaped backtick in the alt text');
    if (c === '<') throw new Error('an unescaped < in the alt text');
    if (c === '[') depth++;
    if (c === ']') {
      if (depth === 0) break;
      depth--;
    }
    alt += c;
    i++;
  }
  i++;
  if (text[i] !== '(') throw new Error('no ( right after the alt text');
  i++;
  if (text[i] === '<') throw new Error('a pointy-bracket destination');
  let parens = 0;
  let destination = '';
  for (;;) {
    if (i >= text.length) throw new Error('the destination never closes');
    const c = text[i];
    const code = c.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f) throw new Error(`a raw space or control character (U+${code.toString(16).padStart(4, '0')}) in the destination`);
    if (c === '\\') throw new Error('a backslash in the destination (CommonMark would read it as an escape)');
    if (c === '(') parens++;
    if (c === ')') {
      if (parens === 0) break;
      parens--;
    }
    destination += c;
    i++;
  }
  if (i !== text.length - 1) throw new Error(`text after the link: ${JSON.stringify(text.slice(i + 1))}`);
  if (!destination) throw new Error('an empty destination');
  if (/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(destination)) throw new Error('an entity in the destination (CommonMark would decode it)');
  if (/^[a-z][a-z0-9+.-]*:/i.test(destination)) throw new Error('the destination reads as a URI with a scheme');
  return { alt, destination };
}

// --- generators ---

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const emoji = fc.constantFrom('🐱', '🌅', '👩‍🚀', '🇯🇵', '❤️', '🏳️‍🌈', '🧑🏽‍🎨');
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const promptChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC012') },
  { weight: 3, arbitrary: fc.constantFrom(...'[]()\\!`<>*_#%&|"\'~{}:;.,-') },
  { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\t', '\u2028', '\u2029', '\u00a0', '\u3000', '\u0085', '\u000b', '\u000c') },
  { weight: 2, arbitrary: cjk },
  { weight: 1, arbitrary: fc.constantFrom('。', '，', '、', '「', '」', '（', '）', '【', '】') },
  { weight: 1, arbitrary: emoji },
  { weight: 1, arbitrary: control },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 1 }) },
);
const prompt = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: promptChar, maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: promptChar, minLength: 70, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom('[a](b)', '![x](y.png) and [z](w)', '`code', '<img src=x onerror=alert(1)>', '<http://example.com>', 'a\\', '\\]', ']]]][[[', '&amp; &#35;') },
);

/** A file or folder name a filesystem may hold: no '/', no NUL, not '.' or '..'. */
const segmentChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcxyzABC0129-_.') },
  { weight: 3, arbitrary: fc.constantFrom(' ', '(', ')', '#', '%', '[', ']', '&', ':', '\\', '`', '<', '>', '?', '!', "'", '"', '=', '+', ',', ';', '@', '$', '~', '^', '{', '}', '|', '*') },
  { weight: 2, arbitrary: cjk },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\u00a0', '\u3000', '\u0001', '\u001b', '\u007f', 'é', 'ß', '😀') },
);
const segment = fc.string({ unit: segmentChar, minLength: 1, maxLength: 12 }).filter((s) => s !== '.' && s !== '..');
const workspace = path.resolve('/ws root', 'proj (1)');

const layout = fc.record({
  docDirs: fc.array(segment, { maxLength: 3 }),
  docName: segment.map((s) => `${s}.md`),
  imageDirs: fc.array(segment, { maxLength: 4 }),
  imageName: segment.map((s) => `${s}.png`),
  /** Share the document's folders first, as images/ next to the document does. */
  shared: fc.nat({ max: 3 }),
});

function paths(l: { docDirs: string[]; docName: string; imageDirs: string[]; imageName: string; shared: number }) {
  const shared = l.docDirs.slice(0, l.shared);
  const documentPath = path.join(workspace, ...l.docDirs, l.docName);
  const imagePath = path.join(workspace, ...shared, ...l.imageDirs, l.imageName);
  return { documentPath, imagePath };
}

/** A folder named `..a` is inside: only a whole `..` segment leaves. */
function isInside(folder: string, candidate: string): boolean {
  const rel = path.relative(folder, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

describe('imageLinkFor, fuzzed', () => {
  test('always one valid markdown image, whose destination decodes to the relative path and stays in the workspace', () => {
    fc.assert(
      fc.property(prompt, layout, (p, l) => {
        const { documentPath, imagePath } = paths(l);
        const link = imageLinkFor(p, documentPath, imagePath);
        let parsed: ParsedLink;
        try {
          parsed = parseImageLink(link);
        } catch (e) {
          throw new Error(`${(e as Error).message}: ${JSON.stringify(link)}`, { cause: e });
        }
        const segments = parsed.destination.split('/');
        assert.ok(
          segments.every((s) => s !== ''),
          `empty segment in ${parsed.destination}`,
        );
        const decoded = segments.map((s) => decodeURIComponent(s)).join('/');
        const docDir = path.dirname(documentPath);
        const expectedRel = path.relative(docDir, imagePath).split(path.sep).join('/');
        assert.equal(path.posix.normalize(decoded), expectedRel, link);
        const resolved = path.resolve(docDir, ...decoded.split('/'));
        assert.equal(resolved, imagePath, link);
        assert.ok(isInside(workspace, resolved), `${link} leaves the workspace`);
      }),
      { numRuns: RUNS },
    );
  });

  test('the alt text is the prompt on one line, without control characters, at most 80 characters and an ellipsis', () => {
    fc.assert(
      fc.property(prompt, (p) => {
        const link = imageLinkFor(p, path.join(workspace, 'a.md'), path.join(workspace, 'images', 'x.png'));
        const { alt } = parseImageLink(link);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(alt, /[\u0000-\u001f\u007f\u2028\u2029]/, JSON.stringify(link));
        assert.ok(Array.from(alt).length <= 81, `${Array.from(alt).length}: ${link}`);
        // Without markdown links in it and short enough, the alt is the prompt with its whitespace folded.
        // eslint-disable-next-line no-control-regex
        const folded = p.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
        if (!/\[[^\]]*\]\(/.test(p) && Array.from(folded).length <= 80) assert.equal(alt, folded, JSON.stringify(link));
        // Whatever was cut, what is left starts like the prompt.
        if (!/\[[^\]]*\]\(/.test(p)) assert.ok(folded.startsWith(alt.replace(/…$/, '')), JSON.stringify({ alt, folded }));
      }),
      { numRuns: RUNS },
    );
  });
});
