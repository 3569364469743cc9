// The path a language model tool gets (`docs/images/diagram.png`): resolved against the workspace
// folders, kept inside them, and given an image extension.
import * as path from 'node:path';

export interface WorkspaceFolderLike {
  name: string;
  /** Absolute file-system path. */
  path: string;
}

export type ToolPathResult =
  | { ok: true; path: string }
  | { ok: false; reason: 'empty' | 'noWorkspace' | 'outsideWorkspace' | 'notAnImage'; detail: string };

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

function inside(folder: string, candidate: string): boolean {
  const rel = path.relative(folder, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * `input` is relative to the workspace (in a multi-root workspace it may start with a folder's
 * name), or absolute inside a folder. Without an extension `.png` is added (`addExtension`).
 */
export function resolveToolImagePath(input: string, folders: readonly WorkspaceFolderLike[], options: { allowOutsideWorkspace?: boolean; addExtension?: boolean } = {}): ToolPathResult {
  const raw = input.trim().replace(/\\/g, '/');
  if (!raw) return { ok: false, reason: 'empty', detail: input };
  if (!folders.length) return { ok: false, reason: 'noWorkspace', detail: input };
  let resolved: string;
  if (path.isAbsolute(raw) || /^[a-z]:\//i.test(raw)) {
    resolved = path.resolve(raw);
  } else {
    const [first, ...rest] = raw.replace(/^\.\//, '').split('/');
    const named = folders.length > 1 ? folders.find((f) => f.name === first) : undefined;
    resolved = named ? path.resolve(named.path, ...rest) : path.resolve(folders[0].path, raw);
  }
  if (!options.allowOutsideWorkspace && !folders.some((f) => inside(f.path, resolved))) return { ok: false, reason: 'outsideWorkspace', detail: input };
  const ext = path.extname(resolved).toLowerCase();
  if (!ext && options.addExtension) resolved += '.png';
  else if (!IMAGE_EXTENSIONS.includes(ext)) return { ok: false, reason: 'notAnImage', detail: input };
  if (resolved === path.parse(resolved).root || folders.some((f) => path.resolve(f.path) === resolved)) return { ok: false, reason: 'empty', detail: input };
  return { ok: true, path: resolved };
}

/** The path as the user and the agent see it: relative to its workspace folder, posix. */
export function workspaceRelative(filePath: string, folders: readonly WorkspaceFolderLike[]): string {
  const folder = folders.find((f) => inside(f.path, filePath));
  if (!folder) return filePath;
  const rel = path.relative(folder.path, filePath).split(path.sep).join('/');
  return folders.length > 1 ? `${folder.name}/${rel}` : rel;
}
