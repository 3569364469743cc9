// Where an image link goes in a markdown document: at a block boundary after the block that holds
// the cursor or the end of the selection, as a paragraph of its own. Line-based like markdownSection:
// fenced code and front matter are single blocks, and a list runs on across blank lines while its
// items continue.

export interface LinkPlacement {
  /** Insert `text` at this zero-based line and character. */
  line: number;
  character: number;
  text: string;
  /** The zero-based line of the (first) link once inserted. */
  linkLine: number;
}

const ATX = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;

/** For each line, the last line of the fenced block or front matter it belongs to (or -1). */
function regionEnds(lines: readonly string[]): number[] {
  const ends = lines.map(() => -1);
  let i = 0;
  if (lines[0]?.trimEnd() === '---') {
    const close = lines.findIndex((l, j) => j > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(l));
    if (close > 0) {
      ends.fill(close, 0, close + 1);
      i = close + 1;
    }
  }
  for (; i < lines.length; i++) {
    const open = lines[i].match(FENCE_OPEN);
    if (!open || (open[1][0] === '`' && open[2].includes('`'))) continue;
    const indent = lines[i].length - lines[i].trimStart().length;
    let close = lines.length - 1;
    for (let j = i + 1; j < lines.length; j++) {
      const m = lines[j].match(/^[ \t]*(`{3,}|~{3,})[ \t]*$/);
      if (m && m[1][0] === open[1][0] && m[1].length >= open[1].length) {
        close = j;
        break;
      }
      // A fence inside a list item ends with the item: a line indented less than the fence.
      if (indent > 0 && lines[j].trim() && lines[j].length - lines[j].trimStart().length < indent) {
        close = j - 1;
        break;
      }
    }
    ends.fill(close, i, close + 1);
    i = close;
  }
  return ends;
}

export function placeImageLink(lines: readonly string[], anchorLine: number, link: string): LinkPlacement {
  const n = lines.length;
  const regions = regionEnds(lines);
  const blank = (i: number): boolean => i >= 0 && i < n && regions[i] < 0 && lines[i].trim() === '';
  const indent = (i: number): number => lines[i].length - lines[i].trimStart().length;
  const a = Math.max(0, Math.min(n - 1, Math.floor(Number.isFinite(anchorLine) ? anchorLine : 0)));

  /** The last line of the block that starts at or holds line `i` (not blank). */
  const blockEnd = (i: number): number => {
    if (regions[i] >= 0) return regions[i];
    if (ATX.test(lines[i]) || THEMATIC_BREAK.test(lines[i])) return i;
    let e = i;
    while (e + 1 < n && !blank(e + 1)) {
      const next = lines[e + 1];
      if (ATX.test(next) || (regions[e + 1] >= 0 && indent(e + 1) < 4 && (indent(e + 1) < 2 || !inList(i)))) break;
      if (SETEXT_UNDERLINE.test(next)) return e + 1;
      if (THEMATIC_BREAK.test(next)) break;
      e = regions[e + 1] >= 0 ? regions[e + 1] : e + 1;
    }
    return e;
  };
  const blockStart = (i: number): number => {
    let s = i;
    while (s > 0 && !blank(s - 1) && !ATX.test(lines[s - 1]) && !ATX.test(lines[s])) s--;
    return s;
  };
  /** Whether the block holding line `i` belongs to a list: an item, or indented text after one. */
  function inList(i: number): boolean {
    for (let s = blockStart(i); ; ) {
      for (let j = s; j <= i && j < n; j++) if (regions[j] < 0 && LIST_ITEM.test(lines[j]) && !THEMATIC_BREAK.test(lines[j])) return true;
      if (indent(s) < 2 || s === 0) return false;
      let p = s - 1;
      while (p >= 0 && blank(p)) p--;
      if (p < 0) return false;
      i = p;
      s = blockStart(p);
    }
  }
  const continuesList = (j: number): boolean => j < n && !ATX.test(lines[j]) && ((LIST_ITEM.test(lines[j]) && !THEMATIC_BREAK.test(lines[j])) || indent(j) >= 2);
  const nextContent = (i: number): number => {
    let j = i + 1;
    while (j < n && blank(j)) j++;
    return j;
  };

  let start = a;
  if (blank(a)) {
    let p = a - 1;
    while (p >= 0 && blank(p)) p--;
    const j = nextContent(a);
    if (!(p >= 0 && inList(p) && continuesList(j))) return blankSlot(lines, a, link, blank);
    start = p;
  }
  let end = blockEnd(start);
  if (inList(start)) {
    for (let j = nextContent(end); continuesList(j); j = nextContent(end)) end = blockEnd(j);
  }
  const following = end + 1 < n ? lines[end + 1] : undefined;
  const after = following !== undefined && following.trim() !== '' ? '\n' : '';
  return { line: end, character: lines[end].length, text: `\n\n${link}${after}`, linkLine: end + 2 };
}

/** On a blank line between blocks: the link there, with a blank line on each side. */
function blankSlot(lines: readonly string[], a: number, link: string, blank: (i: number) => boolean): LinkPlacement {
  const before = a > 0 && !blank(a - 1) ? '\n' : '';
  const after = a + 1 < lines.length && !blank(a + 1) ? '\n' : '';
  return { line: a, character: lines[a].length, text: `${before}${link}${after}`, linkLine: a + (before ? 1 : 0) };
}

/** The line a selection's block is looked up from: its end, or the line before when it ends at a line's start. */
export function anchorLineOf(start: { line: number }, end: { line: number; character: number }): number {
  return end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
}
