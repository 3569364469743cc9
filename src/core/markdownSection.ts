// The markdown section under the cursor (its heading down to the next heading of the same or a
// higher level), and text cut to a bounded size at a natural boundary. Line-based, like the editor:
// headings inside fenced code and YAML front matter are not headings.

export interface MarkdownHeading {
  level: number;
  text: string;
  /** First line (a setext heading starts at its first text line). */
  startLine: number;
  /** Last line (a setext heading ends at its underline). */
  endLine: number;
}

export interface MarkdownSection {
  /** The heading's text; undefined for the part before the first heading. */
  heading?: string;
  level?: number;
  /** The section's lines, heading included, joined with `\n`; trailing blank lines left out. */
  text: string;
  /** Zero-based, inclusive. */
  startLine: number;
  endLine: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
// Lines that start a block a setext underline cannot turn into a heading.
const OTHER_BLOCK = /^ {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|<)/;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The lines of YAML front matter (`---` on the first line to the next `---` or `...`), as [first, last]; undefined when there is none. */
function frontMatter(lines: string[]): [number, number] | undefined {
  if (lines[0]?.trimEnd() !== '---') return undefined;
  for (let i = 1; i < lines.length; i++) if (/^(?:---|\.\.\.)[ \t]*$/.test(lines[i])) return [0, i];
  return undefined;
}

function atxText(rest: string | undefined): string {
  if (rest === undefined) return '';
  // A closing sequence of #s is not part of the text; a rest of only #s is an empty heading.
  if (/^#+$/.test(rest)) return '';
  return rest.replace(/[ \t]+#+$/, '').trim();
}

export function markdownHeadings(markdownText: string): MarkdownHeading[] {
  const lines = splitLines(markdownText);
  const headings: MarkdownHeading[] = [];
  const front = frontMatter(lines);
  let fence: { char: string; length: number } | undefined;
  // 'para': a paragraph a setext underline may close, starting at paraStart; 'other': a list item,
  // quote or HTML block and its lazy continuation lines.
  let block: 'para' | 'other' | undefined;
  let paraStart = 0;
  for (let i = front ? front[1] + 1 : 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const close = line.match(/^ {0,3}(`{3,}|~{3,})[ \t]*$/);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
      continue;
    }
    const open = line.match(FENCE_OPEN);
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = { char: open[1][0], length: open[1].length };
      block = undefined;
      continue;
    }
    if (!line.trim()) {
      block = undefined;
      continue;
    }
    const atx = line.match(ATX);
    if (atx) {
      headings.push({ level: atx[1].length, text: atxText(atx[2]), startLine: i, endLine: i });
      block = undefined;
      continue;
    }
    const underline = line.match(SETEXT_UNDERLINE);
    if (underline && block === 'para') {
      const text = lines.slice(paraStart, i).map((l) => l.trim()).join(' ');
      headings.push({ level: underline[1][0] === '=' ? 1 : 2, text, startLine: paraStart, endLine: i });
      block = undefined;
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      block = undefined;
      continue;
    }
    if (block !== undefined) continue; // a continuation line
    if (OTHER_BLOCK.test(line)) block = 'other';
    else if (/^(?: {4}|\t)/.test(line)) continue; // indented code cannot start a paragraph
    else {
      block = 'para';
      paraStart = i;
    }
  }
  return headings;
}

/** The section that holds `line` (zero-based; clamped to the document). */
export function sectionAt(markdownText: string, line: number): MarkdownSection {
  const lines = splitLines(markdownText);
  const last = lines.length - 1;
  const at = Math.max(0, Math.min(last, Math.floor(Number.isFinite(line) ? line : 0)));
  const headings = markdownHeadings(markdownText);
  let index = -1;
  for (let i = 0; i < headings.length && headings[i].startLine <= at; i++) index = i;
  let start: number;
  let end: number;
  let heading: MarkdownHeading | undefined;
  if (index < 0) {
    const front = frontMatter(lines);
    start = front && at > front[1] ? front[1] + 1 : 0;
    end = headings.length > 0 ? headings[0].startLine - 1 : last;
    if (front && at > front[1]) while (start < end && !lines[start].trim()) start++;
  } else {
    heading = headings[index];
    start = heading.startLine;
    const next = headings.slice(index + 1).find((h) => h.level <= heading!.level);
    end = next ? next.startLine - 1 : last;
  }
  while (end > start && !lines[end].trim()) end--;
  end = Math.max(start, end);
  return {
    ...(heading ? { heading: heading.text, level: heading.level } : {}),
    text: lines.slice(start, end + 1).join('\n'),
    startLine: start,
    endLine: end,
  };
}

const SENTENCE_END = /[.!?](?=[\s"'”’)\]]|$)["'”’)\]]*|[。！？…]+[”’」』）]*/g;

/**
 * At most `maxChars` UTF-16 code units of `text`, cut after the last paragraph, else sentence, else
 * word that keeps at least half of the budget; else at a grapheme boundary (never inside a
 * surrogate pair or an emoji sequence). Trailing whitespace is trimmed from a cut text.
 */
export function boundText(text: string, maxChars: number): { text: string; truncated: boolean } {
  const max = Math.max(0, Math.floor(maxChars));
  if (text.length <= max) return { text, truncated: false };
  const window = text.slice(0, max);
  const floor = Math.floor(max / 2);
  const lastAt = (re: RegExp, source: string, useEnd: boolean): number => {
    let best = -1;
    for (const m of source.matchAll(re)) {
      const pos = useEnd ? (m.index ?? 0) + m[0].length : (m.index ?? 0);
      if (pos >= floor && pos <= window.length) best = pos;
    }
    return best;
  };
  let cut = lastAt(/\n[ \t]*\n/g, window, false);
  // One character of lookahead so a sentence ending right at the budget counts.
  if (cut < 0) cut = lastAt(SENTENCE_END, text.slice(0, max + 1), true);
  if (cut < 0) cut = lastAt(/\s/g, window, false);
  if (cut < 0) cut = graphemeBoundaryAtOrBefore(text, max);
  return { text: text.slice(0, cut).trimEnd(), truncated: true };
}

function graphemeBoundaryAtOrBefore(text: string, index: number): number {
  const from = Math.max(0, index - 64);
  let boundary = from;
  for (const { index: i } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text.slice(from, index + 64))) {
    if (from + i > index) break;
    boundary = from + i;
  }
  // The slice may have started inside a pair: never return a position between two surrogates.
  const code = text.charCodeAt(boundary - 1);
  return code >= 0xd800 && code <= 0xdbff ? boundary - 1 : boundary;
}
