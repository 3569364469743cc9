// Where a path really leads once symbolic links are followed. The destination check in
// src/core/destination.ts is lexical: `images/` inside the workspace may be a link to a folder
// outside it (a cloned repository can ship one). Plain node, so tests reach it without VS Code.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DestinationError, isInside } from '../core/destination';

/**
 * The real path `target` would have: its longest existing prefix resolved with realpath, the rest
 * appended. A dangling link on the way is not followed and counts as leading nowhere we know.
 */
export async function realPathOf(target: string): Promise<string | undefined> {
  const rest: string[] = [];
  let existing = path.resolve(target);
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (await isLink(existing)) return undefined;
      const parent = path.dirname(existing);
      if (parent === existing) return undefined;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

async function isLink(p: string): Promise<boolean> {
  try {
    return (await fs.lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether `target`, links followed, stays inside `folder` (whose own real path is the reference). */
export async function staysInside(folder: string, target: string): Promise<{ inside: boolean; real: string | undefined }> {
  const [root, real] = await Promise.all([realPathOf(folder), realPathOf(target)]);
  return { inside: !!root && !!real && isInside(root, real), real };
}

/** Throws DestinationError 'outsideWorkspace' when `dir` leads out of the workspace folder. */
export async function assertReallyInside(workspaceFolder: string, dir: string): Promise<void> {
  const { inside, real } = await staysInside(workspaceFolder, dir);
  if (!inside) throw new DestinationError('outsideWorkspace', real && real !== path.resolve(dir) ? `${dir} (${real})` : dir);
}

/**
 * Whether `target` (already inside one of `folders` by its path) stays inside that folder once
 * links are followed: what a chat tool's path must pass before anything is read or written.
 */
export async function staysInsideAny(folders: readonly string[], target: string): Promise<boolean> {
  for (const folder of folders) {
    if (isInside(folder, target) && (await staysInside(folder, target)).inside) return true;
  }
  return false;
}
