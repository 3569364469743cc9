// `![alt](relative/path.png)` for an image, relative to the markdown document that links it.
import * as path from 'node:path';

const MAX_ALT_CHARS = 80;

/** A short alt text from a prompt: one line, brackets and backslashes escaped, capped. */
export function altTextFromPrompt(prompt: string): string {
  // eslint-disable-next-line no-control-regex
  let text = prompt.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = Array.from(text);
  if (chars.length > MAX_ALT_CHARS) {
    let cut = chars.slice(0, MAX_ALT_CHARS).join('');
    const lastSpace = cut.lastIndexOf(' ');
    if (lastSpace > MAX_ALT_CHARS / 2) cut = cut.slice(0, lastSpace);
    text = `${cut.replace(/[\s,.;:，。；：]+$/, '')}…`;
  }
  return escapeAlt(text);
}

/**
 * Every character CommonMark (and GFM's strikethrough) reads as inline syntax: brackets, backslashes,
 * code spans, raw HTML and autolinks that would run past the `](`, emphasis and entities, so a
 * renderer's alt text shows the prompt's own characters.
 */
export function escapeAlt(text: string): string {
  return text.replace(/[\\[\]`<*_~&]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** The link target: posix, relative to the document's folder, percent-encoded where markdown needs it. */
export function relativeLinkTarget(documentPath: string, imagePath: string): string {
  const rel = path.relative(path.dirname(documentPath), imagePath);
  const target = encodeLinkPath(rel.split(path.sep).join('/'));
  // A first segment such as `notes:2024` would read as a URI scheme (RFC 3986, 4.2): mark it a path.
  return !path.isAbsolute(rel) && /^[a-z][a-z0-9+.-]*:/i.test(target) ? `./${target}` : target;
}

export function encodeLinkPath(posixPath: string): string {
  return posixPath
    .split('/')
    .map((segment) =>
      // Backslashes and `&` too: CommonMark reads escapes and entities in a destination. Control characters end it.
      // eslint-disable-next-line no-control-regex
      segment.replace(/[%\s()<>#?[\]`\\&\u0000-\u001f\u007f]/g, (c) => (c === ' ' ? '%20' : encodeURIComponent(c) === c ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c))),
    )
    .join('/');
}

export function markdownImageLink(alt: string, target: string): string {
  return `![${alt}](${target})`;
}

/** The whole link for an image generated from `prompt`, to be placed in `documentPath`. */
export function imageLinkFor(prompt: string, documentPath: string, imagePath: string): string {
  return markdownImageLink(altTextFromPrompt(prompt), relativeLinkTarget(documentPath, imagePath));
}
