// Which gallery image a drop into a markdown editor carries: the panel puts the image's id under
// its own type, and its webview resource URI (whose path ends with the file's path) as a URI list.

export interface DroppedImageSource {
  /** The panel's own data type: the gallery id. */
  id?: string;
  /** text/uri-list: one URI a line, `#` lines are comments. */
  uriList?: string;
}

export function recordForDrop<R extends { id: string; path: string }>(records: readonly R[], drop: DroppedImageSource): R | undefined {
  if (drop.id) return records.find((r) => r.id === drop.id);
  const lines = (drop.uriList ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map(uriPath);
  return records.find((r) => {
    const file = r.path.replace(/\\/g, '/');
    return lines.some((p) => p !== undefined && (p === file || p.endsWith(file.startsWith('/') ? file : `/${file}`)));
  });
}

function uriPath(line: string): string | undefined {
  try {
    return decodeURIComponent(new URL(line).pathname);
  } catch {
    return undefined;
  }
}
