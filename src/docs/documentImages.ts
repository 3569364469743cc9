// One open document's images and their states, for the editor's diagnostics and CodeLens. The
// metadata of an image file is read once per version of the file (size and mtime), so an update
// while typing costs the link scan and a stat per image.
import { promises as fs } from 'node:fs';
import { BUILTIN_STYLES, type ImageStyle } from '../core/styles';
import { findImageLinks, type ImageLink } from './imageLinks';
import { collectImages, imageState, resolveLinkTarget, type DocImage, type ImageState } from './targets';

export interface DocumentImage {
  link: ImageLink;
  image: DocImage;
  state: ImageState;
}

const states = new Map<string, { stamp: string; state: ImageState }>();
const MAX_CACHED = 2000;
const PARALLEL_READS = 16;

async function cachedState(image: DocImage, root: string, styles: readonly ImageStyle[]): Promise<ImageState> {
  let stamp = 'missing';
  try {
    const stat = await fs.stat(image.path);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // Missing: imageState says so without reading anything.
  }
  const key = `${image.path}\0${JSON.stringify(image.spec)}`;
  const known = states.get(key);
  if (known && known.stamp === stamp) return known.state;
  const { state } = await imageState(image, root, styles);
  if (states.size > MAX_CACHED) states.clear();
  states.set(key, { stamp, state });
  return state;
}

export async function documentImages(documentPath: string, text: string, root: string, styles: readonly ImageStyle[] = BUILTIN_STYLES): Promise<DocumentImage[]> {
  const links = findImageLinks(text);
  const images = collectImages([{ path: documentPath, text, links }], root, styles);
  const byPath = new Map(images.map((i) => [i.path, i]));
  const stateOf = new Map<string, ImageState>();
  // A few at a time: each reads a little of its file, and hundreds at once only queue in the thread pool.
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const image = images[next++];
      stateOf.set(image.path, await cachedState(image, root, styles));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, images.length) }, worker));
  const out: DocumentImage[] = [];
  for (const link of links) {
    const file = resolveLinkTarget(documentPath, link.target, root);
    const image = file ? byPath.get(file) : undefined;
    if (image) out.push({ link, image, state: stateOf.get(image.path)! });
  }
  return out;
}
