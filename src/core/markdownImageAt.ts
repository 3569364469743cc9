// Finding the markdown image link under the cursor, for Generate Alt Text.

export interface ImageLinkAt {
  /** Offsets in the line: the alt text between the brackets. */
  altStart: number;
  altEnd: number;
  alt: string;
  /** The destination as written (angle brackets removed), and decoded to a path. */
  target: string;
  path: string;
}

// ![alt](dest "title") or ![alt](<dest with spaces> "title"); alt may hold escaped brackets.
const IMAGE_LINK = /!\[((?:\\.|[^\\\]])*)\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;

/** The image link covering `character` on `line`, if any. */
export function imageLinkAt(line: string, character: number): ImageLinkAt | undefined {
  for (const m of line.matchAll(IMAGE_LINK)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (character < start || character > end) continue;
    const rawTarget = m[2].startsWith('<') ? m[2].slice(1, -1) : m[2];
    return { altStart: start + 2, altEnd: start + 2 + m[1].length, alt: m[1], target: rawTarget, path: decodeTarget(rawTarget) };
  }
  return undefined;
}

/** A link destination as a path: percent-decoding and backslash escapes undone; URLs refused. */
export function decodeTarget(target: string): string {
  const unescaped = target.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}

export function isRemoteTarget(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) && !/^file:/i.test(target);
}

export interface ImageLinkInDocument extends ImageLinkAt {
  line: number;
}

/** Every image link in a document whose destination is `imagePath` (resolved from the document's folder). */
export function imageLinksTo(lines: readonly string[], documentPath: string, imagePath: string, resolve: (from: string, to: string) => string): ImageLinkInDocument[] {
  const found: ImageLinkInDocument[] = [];
  lines.forEach((text, line) => {
    for (const m of text.matchAll(IMAGE_LINK)) {
      const link = imageLinkAt(text, m.index ?? 0);
      if (!link || isRemoteTarget(link.target) || /^file:/i.test(link.target)) continue;
      if (resolve(documentPath, link.path) === imagePath) found.push({ ...link, line });
    }
  });
  return found;
}
