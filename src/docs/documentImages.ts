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
  await Promise.all(images.map(async (i) => stateOf.set(i.path, await cachedState(i, root, styles))));
  const out: DocumentImage[] = [];
  for (const link of links) {
    const file = resolveLinkTarget(documentPath, link.target, root);
    const image = file ? byPath.get(file) : undefined;
    if (image) out.push({ link, image, state: stateOf.get(image.path)! });
  }
  return out;
}
