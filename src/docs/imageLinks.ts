// The image links a CommonMark renderer sees in a markdown document: `![alt](dest)`,
// `![alt](<dest with spaces>)` and `![alt][ref]` / `![alt][]` / `![alt]` with a definition.
// One pass over the lines blanks what is not inline content (fenced and indented code, HTML
// blocks, link reference definitions), then a scan of what is left blanks code spans and reads the
// images. Offsets are the document's own. Checked against markdown-it in test/unit/imageLinks.test.ts.
import { maskBlocks, type CommentBlock } from './markdownBlocks';

export interface ImageLink {
  /** The alt text as written between the brackets. */
  rawAlt: string;
  /** The destination as written (angle brackets removed, escapes kept). */
  rawTarget: string;
  /** The destination as a path: backslash escapes and percent-encoding undone. */
  target: string;
  /** Offsets of the whole link in the document. */
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** Set for reference-style links: the label used. */
  reference?: string;
  /** The HTML comment that ends on the line just above, when the image starts its line. */
  comment?: CommentBlock;
}

const BANG = 0x21;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const PAREN = 0x28;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const NL = 0x0a;
const MAX_LABEL = 999;

export function findImageLinks(text: string): ImageLink[] {
  const blocks = maskBlocks(text);
  const masked = blocks.masked;
  blankCodeSpans(masked);
  const links: ImageLink[] = [];
  const n = masked.length;
  for (let i = 0; i < n - 1; i++) {
    if (masked[i] !== BANG || masked[i + 1] !== OPEN || isEscaped(masked, i)) continue;
    const link = readImage(text, masked, i, blocks.definitions);
    if (!link) continue;
    links.push(link);
    i = link.end - 1;
  }
  if (links.length) attachLines(text, links, blocks.comments);
  return links;
}

/** Case-insensitive, whitespace-collapsed, as CommonMark matches labels. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
}

/** Backslash escapes undone (ASCII punctuation only, as CommonMark does), then %XX decoded. */
export function decodeDestination(raw: string): string {
  const unescaped = raw.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}

function isEscaped(s: Uint16Array, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && s[k] === BACKSLASH) k--;
  return (at - 1 - k) % 2 === 1;
}

/** True when a blank line starts at `at` (which is just after a newline). */
function blankLineAt(s: Uint16Array, at: number): boolean {
  for (let k = at; k < s.length; k++) {
    const c = s[k];
    if (c === NL) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Code spans: a run of N backticks up to the next run of exactly N, within one paragraph. */
function blankCodeSpans(s: Uint16Array): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s[i];
    if (c === NL && blankLineAt(s, i + 1)) continue;
    if (c !== BACKTICK || isEscaped(s, i)) continue;
    let run = i;
    while (run < n && s[run] === BACKTICK) run++;
    const width = run - i;
    let close = -1;
    for (let k = run; k < n; k++) {
      const d = s[k];
      if (d === NL && blankLineAt(s, k + 1)) break;
      if (d !== BACKTICK) continue;
      let end = k;
      while (end < n && s[end] === BACKTICK) end++;
      if (end - k === width) {
        close = end;
        break;
      }
      k = end - 1;
    }
    if (close < 0) {
      i = run - 1;
      continue;
    }
    for (let k = i; k < close; k++) if (s[k] !== NL) s[k] = 0x20;
    i = close - 1;
  }
}

/** The end of a bracketed label starting after `[` at `from` (index of its `]`), or -1. */
function labelEnd(s: Uint16Array, from: number, nested: boolean): number {
  let depth = 0;
  for (let k = from; k < s.length && k - from <= MAX_LABEL * 4; k++) {
    const c = s[k];
    if (c === BACKSLASH) k++;
    else if (c === NL && blankLineAt(s, k + 1)) return -1;
    else if (c === OPEN) {
      if (!nested) return -1;
      depth++;
    } else if (c === CLOSE) {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

function readImage(text: string, s: Uint16Array, at: number, definitions: Map<string, string>): ImageLink | undefined {
  const altEnd = labelEnd(s, at + 2, true);
  if (altEnd < 0) return undefined;
  const rawAlt = text.slice(at + 2, altEnd);
  const after = altEnd + 1;
  if (s[after] === PAREN) {
    // markdown-it (VS Code's preview) does not fall back to a reference when this fails.
    const inline = readInlineTail(text, s, after + 1);
    return inline && make(at, inline.end, rawAlt, inline.raw);
  }
  let label = rawAlt;
  let end = after;
  if (s[after] === OPEN) {
    const close = labelEnd(s, after + 1, false);
    if (close >= 0) {
      const full = text.slice(after + 1, close);
      end = close + 1;
      if (full.trim() !== '') label = full;
      else if (full.length > 0) return undefined;
    }
  }
  if (label.length > MAX_LABEL || label.trim() === '') return undefined;
  const key = normalizeLabel(label);
  const raw = definitions.get(key);
  if (raw === undefined) return undefined;
  return { ...make(at, end, rawAlt, raw), reference: key };
}

function make(start: number, end: number, rawAlt: string, rawTarget: string): ImageLink {
  return { rawAlt, rawTarget, target: decodeDestination(rawTarget), start, end, line: 0 };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NL;
}

/** `(dest "title")` after the `(`: the destination and where the link ends, or undefined. */
function readInlineTail(text: string, s: Uint16Array, from: number): { raw: string; end: number } | undefined {
  let k = skipSpace(s, from);
  if (k < 0) return undefined;
  let raw: string;
  if (s[k] === 0x3c) {
    const start = k + 1;
    for (k = start; k < s.length; k++) {
      const c = s[k];
      if (c === BACKSLASH) k++;
      else if (c === NL || c === 0x3c) return undefined;
      else if (c === 0x3e) break;
    }
    if (k >= s.length) return undefined;
    raw = text.slice(start, k);
    k++;
  } else {
    const start = k;
    let depth = 0;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === BACKSLASH && k + 1 < s.length && s[k + 1] > 0x20) k++;
      else if (c <= 0x20 || c === 0x7f) break;
      else if (c === PAREN) {
        if (++depth > 32) return undefined;
      } else if (c === 0x29) {
        if (depth === 0) break;
        depth--;
      }
    }
    if (depth !== 0) return undefined;
    raw = text.slice(start, k);
  }
  const beforeTitle = k;
  k = skipSpace(s, k);
  if (k < 0) return undefined;
  const opener = s[k];
  if (k > beforeTitle && (opener === 0x22 || opener === 0x27 || opener === PAREN)) {
    const closer = opener === PAREN ? 0x29 : opener;
    for (k++; k < s.length; k++) {
      const c = s[k];
      if (c === BACKSLASH) k++;
      else if (c === NL && blankLineAt(s, k + 1)) return undefined;
      else if (c === closer) break;
      else if (opener === PAREN && c === PAREN) return undefined;
    }
    if (k >= s.length) return undefined;
    k = skipSpace(s, k + 1);
    if (k < 0) return undefined;
  }
  return s[k] === 0x29 ? { raw, end: k + 1 } : undefined;
}

/** Spaces and at most one line break; -1 when a blank line comes first. */
function skipSpace(s: Uint16Array, from: number): number {
  let k = from;
  let breaks = 0;
  while (k < s.length && isSpace(s[k])) {
    if (s[k] === NL && ++breaks > 1) return -1;
    k++;
  }
  return k;
}

function attachLines(text: string, links: ImageLink[], comments: CommentBlock[]): void {
  const commentByNextLine = new Map(comments.map((c) => [c.endLine + 1, c]));
  let line = 0;
  let lineStart = 0;
  let lastLine = -1;
  for (const link of links) {
    for (let k = text.indexOf('\n', lineStart); k >= 0 && k < link.start; k = text.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    link.line = line;
    const comment = commentByNextLine.get(line);
    // Only the first image of the line, and only when nothing but markers precede it.
    if (comment && line !== lastLine && /^[\s>*+\-\d.)]*$/.test(text.slice(lineStart, link.start))) link.comment = comment;
    lastLine = line;
  }
}
