// `![alt](relative/path.png)` for an image, relative to the markdown document that links it.
import * as path from 'node:path';

const MAX_ALT_CHARS = 80;

/** A short alt text from a prompt: one line, brackets and backslashes escaped, capped. */
export function altTextFromPrompt(prompt: string): string {
  let text = prompt.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  if (chars.length > MAX_ALT_CHARS) {
    let cut = chars.slice(0, MAX_ALT_CHARS).join('');
    const lastSpace = cut.lastIndexOf(' ');
    if (lastSpace > MAX_ALT_CHARS / 2) cut = cut.slice(0, lastSpace);
    text = `${cut.replace(/[\s,.;:，。；：]+$/, '')}…`;
  }
  return escapeAlt(text);
}

export function escapeAlt(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** The link target: posix, relative to the document's folder, percent-encoded where markdown needs it. */
export function relativeLinkTarget(documentPath: string, imagePath: string): string {
  const rel = path.relative(path.dirname(documentPath), imagePath).split(path.sep).join('/');
  return encodeLinkPath(rel);
}

export function encodeLinkPath(posixPath: string): string {
  return posixPath
    .split('/')
    .map((segment) =>
      segment.replace(/[%\s()<>#?[\]`]/g, (c) => (c === ' ' ? '%20' : encodeURIComponent(c) === c ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c))),
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
