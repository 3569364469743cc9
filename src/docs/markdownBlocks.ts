// The block pass of the link finder: which lines are inline content. Code blocks, HTML blocks and
// link reference definitions are blanked (spaces, newlines kept) in a copy of the text; the
// definitions and the HTML comments are returned. Containers are followed as far as images need:
// blockquote markers are read past, list items shift where an indented code block starts.

export interface CommentBlock {
  /** What is between `<!--` and `-->`. */
  text: string;
  startLine: number;
  endLine: number;
}

export interface Blocks {
  /** The document's UTF-16 code units with the non-inline parts blanked. */
  masked: Uint16Array;
  /** Normalized label -> destination as written, the first definition winning. */
  definitions: Map<string, string>;
  comments: CommentBlock[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^(?: {0,3}> ?)+/;
const LIST_ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])( {1,4}|\t|$)/;
const ATX = /^ {0,3}#{1,6}(?:\s|$)/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HTML_RAW = /^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)/i;
const HTML_RAW_END = /<\/(script|pre|style|textarea)>/i;
const HTML_BLOCK =
  /^ {0,3}<\/?(address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|\/?>|$)/i;
const HTML_TAG_LINE = /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;
const DEFINITION = /^ {0,3}\[((?:\\.|[^\\[\]])+)\]:[ \t]*(?:<((?:\\.|[^\\<>\n])*)>|(\S+))(?:[ \t]+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))?[ \t]*$/;

type Open = { kind: 'fence'; char: string; width: number } | { kind: 'comment' } | { kind: 'raw' } | { kind: 'html' } | undefined;

export function maskBlocks(text: string): Blocks {
  const masked = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) masked[i] = text.charCodeAt(i);
  const definitions = new Map<string, string>();
  const comments: CommentBlock[] = [];
  const blank = (from: number, to: number) => masked.fill(0x20, from, to);
  let open: Open;
  let comment: { start: number; startLine: number } | undefined;
  let paragraph = false;
  // Where list content starts (columns), or -1 outside a list.
  let listIndent = -1;
  let afterBlank = false;
  let lineNo = -1;
  for (let start = 0; start <= text.length; ) {
    lineNo++;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const next = end + 1;
    if (!open && isPlainText(text, start, end)) {
      // Most lines are prose: nothing in them can open a block or a definition.
      if (listIndent >= 0 && afterBlank && leadingSpaces(text, start) < listIndent) listIndent = -1;
      if (paragraph || leadingSpaces(text, start) < (listIndent >= 0 ? listIndent + 4 : 4)) paragraph = true;
      else blank(start, end);
      afterBlank = false;
      if (nl < 0) break;
      start = next;
      continue;
    }
    const raw = text.slice(start, end).replace(/\r$/, '');
    const quote = QUOTE.exec(raw)?.[0].length ?? 0;
    const line = raw.slice(quote);
    const at = start + quote;
    const isBlank = line.trim() === '';

    if (open?.kind === 'fence') {
      const close = FENCE.exec(line);
      if (close && close[1][0] === open.char && close[1].length >= open.width && close[2].trim() === '') open = undefined;
      blank(start, end);
    } else if (open?.kind === 'comment') {
      const close = raw.indexOf('-->');
      if (close >= 0) {
        open = undefined;
        finishComment(start + close, lineNo);
      }
      blank(start, end);
    } else if (open?.kind === 'raw') {
      if (HTML_RAW_END.test(raw)) open = undefined;
      blank(start, end);
    } else if (open?.kind === 'html') {
      if (isBlank) open = undefined;
      else blank(start, end);
    } else if (isBlank) {
      paragraph = false;
    } else {
      const indent = columnsOf(line);
      if (listIndent >= 0 && afterBlank && indent < listIndent && !LIST_ITEM.test(line)) listIndent = -1;
      const codeIndent = listIndent >= 0 ? listIndent + 4 : 4;
      const item = LIST_ITEM.exec(line);
      const fence = FENCE.exec(item ? ' '.repeat(item[0].length) + line.slice(item[0].length) : line);
      if (!paragraph && indent >= codeIndent) {
        blank(start, end);
      } else if (fence && !(fence[1][0] === '`' && fence[2].includes('`')) && columnsOf(fence[0]) - (listIndent >= 0 ? listIndent : 0) < 4) {
        open = { kind: 'fence', char: fence[1][0], width: fence[1].length };
        blank(start, end);
        paragraph = false;
      } else if (/^ {0,3}<!--/.test(line)) {
        const opened = at + line.indexOf('<!--');
        comment = { start: opened + 4, startLine: lineNo };
        const close = text.indexOf('-->', opened + 4);
        if (close >= 0 && close < end) finishComment(close, lineNo);
        else open = { kind: 'comment' };
        blank(start, end);
        paragraph = false;
      } else if (HTML_RAW.test(line)) {
        if (!HTML_RAW_END.test(line)) open = { kind: 'raw' };
        blank(start, end);
        paragraph = false;
      } else if (HTML_BLOCK.test(line) || (!paragraph && HTML_TAG_LINE.test(line))) {
        open = { kind: 'html' };
        blank(start, end);
        paragraph = false;
      } else if (!paragraph && definition(line)) {
        blank(start, end);
      } else {
        if (item) listIndent = item[3] === '' ? item[1].length + item[2].length + 1 : item[0].length;
        paragraph = !(ATX.test(line) || THEMATIC.test(line));
      }
    }
    afterBlank = isBlank;
    if (nl < 0) break;
    start = next;
  }
  if (open?.kind === 'comment' && comment) comment = undefined;
  return { masked, definitions, comments };

  function definition(line: string): boolean {
    const m = DEFINITION.exec(line);
    if (!m || m[1].trim() === '') return false;
    const label = m[1].trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
    if (!definitions.has(label)) definitions.set(label, m[2] ?? m[3]);
    return true;
  }

  function finishComment(closeAt: number, endLine: number): void {
    if (!comment) return;
    comments.push({ text: text.slice(comment.start, closeAt), startLine: comment.startLine, endLine });
    comment = undefined;
  }
}

function leadingSpaces(text: string, from: number): number {
  let k = from;
  while (text.charCodeAt(k) === 0x20) k++;
  return k - from;
}

/** A line that starts (after spaces, no tabs) with a letter: paragraph text, whatever follows. */
function isPlainText(text: string, start: number, end: number): boolean {
  let k = start;
  while (k < end && text.charCodeAt(k) === 0x20) k++;
  if (k === end) return false;
  const c = text.charCodeAt(k) | 0x20;
  return c >= 0x61 && c <= 0x7a;
}

function columnsOf(s: string): number {
  let col = 0;
  for (const ch of s) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}
