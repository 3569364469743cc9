// Images the panel shows from outside the workspace (a reference picked from the home folder, the
// source of an edit): the webview may not load them by path, since only the workspace folders are
// its roots (VS Code takes a root as a folder, so a file cannot be one). They travel as data: URIs.
import { promises as fs } from 'node:fs';
import { MIME_TYPE, sniffImageFormat } from '../core/imageType';

/** Beyond this an outside image is not inlined: its card shows no picture rather than megabytes of base64. */
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

const cache = new Map<string, { stamp: string; uri: string | undefined }>();

/** The image at `file` as a data: URI; undefined when it is missing, too large, or not PNG, JPEG, WebP or GIF. */
export async function inlineImage(file: string, maxBytes = MAX_INLINE_IMAGE_BYTES): Promise<string | undefined> {
  let stamp: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
  const known = cache.get(file);
  if (known?.stamp === stamp) return known.uri;
  const bytes = await fs.readFile(file).catch(() => undefined);
  const format = bytes && sniffImageFormat(bytes);
  const uri = format ? `data:${MIME_TYPE[format]};base64,${bytes.toString('base64')}` : undefined;
  if (cache.size > 64) cache.clear();
  cache.set(file, { stamp, uri });
  return uri;
}
