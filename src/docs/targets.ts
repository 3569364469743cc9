// From markdown files to the images to make: each local link resolved inside the workspace, two
// links to one path made once, and each image's state (missing, stale, current, not ours).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../core/destination';
import type { ImageMetadata } from '../core/imageMetadata';
import { readImageMetadata } from '../workspace/metadataFiles';
import { staysInside } from '../workspace/realPath';
import { BUILTIN_STYLES, findStyle, type ImageStyle } from '../core/styles';
import { findImageLinks, type ImageLink } from './imageLinks';
import { imageSpecOf, isStale, sameSpec, type ImageSpec } from './imageSpec';

export type ImageState = 'missing' | 'stale' | 'current' | 'notOurs';

export interface LinkSite {
  document: string;
  /** 0-based. */
  line: number;
}

export interface DocImage {
  /** Absolute path of the image file. */
  path: string;
  /** Relative to the workspace root, with `/`. */
  relPath: string;
  spec: ImageSpec;
  /** Every link to this path; the first one's spec is used. */
  sites: LinkSite[];
  /** Links to this path that ask for something else (the first one wins). */
  conflicts: LinkSite[];
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp)$/i;

/**
 * The file a link names, or undefined when it is not ours to write: a URL (any scheme, data:
 * included), an absolute or rooted path, anything resolving outside `root`, or not an image name.
 */
export function resolveLinkTarget(documentPath: string, target: string, root: string): string | undefined {
  const bare = target.replace(/[?#].*$/, '');
  if (!bare || /^[a-z][a-z0-9+.-]*:/i.test(bare) || bare.startsWith('/') || bare.startsWith('\\') || path.isAbsolute(bare)) return undefined;
  if (!IMAGE_EXTENSIONS.test(bare)) return undefined;
  const resolved = path.resolve(path.dirname(documentPath), bare);
  return isInside(root, resolved) && resolved !== path.resolve(root) ? resolved : undefined;
}

/** The images linked from these documents, deduplicated by path, in document order. */
export function collectImages(documents: { path: string; text: string; links?: ImageLink[] }[], root: string, styles: readonly ImageStyle[] = BUILTIN_STYLES): DocImage[] {
  const byPath = new Map<string, DocImage>();
  for (const doc of documents) {
    for (const link of doc.links ?? findImageLinks(doc.text)) {
      const file = resolveLinkTarget(doc.path, link.target, root);
      if (!file) continue;
      const spec = imageSpecOf(link, styles);
      if (!spec.prompt) continue;
      const site = { document: doc.path, line: link.line };
      const known = byPath.get(file);
      if (!known) byPath.set(file, { path: file, relPath: path.relative(root, file).split(path.sep).join('/'), spec, sites: [site], conflicts: [] });
      else if (sameSpec(known.spec, spec)) known.sites.push(site);
      else known.conflicts.push(site);
    }
  }
  return [...byPath.values()];
}

/** The state of one image on disk, and its metadata when it has ours. */
export async function imageState(image: Pick<DocImage, 'path' | 'spec'>, root: string, styles: readonly ImageStyle[] = BUILTIN_STYLES): Promise<{ state: ImageState; meta?: ImageMetadata }> {
  // Symbolic links may not carry a write (or a read) outside the workspace.
  if (!(await staysInside(root, image.path)).inside) return { state: 'notOurs' };
  try {
    await fs.access(image.path);
  } catch {
    return { state: 'missing' };
  }
  const meta = await readImageMetadata(image.path);
  if (!meta) return { state: 'notOurs', meta };
  const styleName = findStyle(styles, image.spec.options.style)?.name;
  return { state: isStale(meta, image.spec, styleName) ? 'stale' : 'current', meta };
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'out', 'dist']);

/** Markdown files at or under these paths (folders walked; hidden folders and node_modules skipped). */
export async function markdownFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (p: string): Promise<void> => {
    const stat = await fs.stat(p);
    if (stat.isFile()) {
      if (/\.(md|markdown)$/i.test(p)) out.add(path.resolve(p));
      return;
    }
    if (!stat.isDirectory()) return;
    const names = (await fs.readdir(p)).sort();
    for (const name of names) {
      const child = path.join(p, name);
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      await walk(child);
    }
  };
  for (const p of paths) await walk(p);
  return [...out];
}
