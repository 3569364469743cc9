// JSON with comments and trailing commas, as VS Code's settings files are written: outside strings
// the comments and any comma before a closing bracket are dropped, then JSON.parse reads the rest.
// (jsonc-parser would add 10 KB to the package for this one use.)
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      i = commentEnd(text, i);
    } else {
      const next = c === ',' ? text[significant(text, i + 1)] : undefined;
      if (next !== '}' && next !== ']') out += c;
      i++;
    }
  }
  return JSON.parse(out);
}

/** Index just past the string that starts at `start` (a quote), escapes included. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** Index just past the comment that starts at `start`. */
function commentEnd(text: string, start: number): number {
  if (text[start + 1] === '/') {
    const end = text.indexOf('\n', start);
    return end < 0 ? text.length : end;
  }
  const end = text.indexOf('*/', start + 2);
  return end < 0 ? text.length : end + 2;
}

/** The index of the next character that is neither white space nor in a comment. */
function significant(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i])) i++;
    else if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) i = commentEnd(text, i);
    else break;
  }
  return i;
}
