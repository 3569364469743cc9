// Temporary image files name their writer (src/workspace/imageStore.ts), so a later run removes
// what a killed one left at once, without touching files that a live run, here or in another
// window, is still writing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isOrphanedTempFile, isTempFileName } from '../workspace/imageStore';

/** Removes temp files in `dirs` whose writer is gone; returns them. */
export async function sweepDeadRunTemps(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!isTempFileName(name) || !isOrphanedTempFile(name)) continue;
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
