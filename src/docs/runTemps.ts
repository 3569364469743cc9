// Temporary image files of a fill carry the process id in their names (`.gemini-image-batch-123-
// ab12.part`), so a later run can remove what a killed one left without touching files that a
// live run, here or in another window, is still writing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const RUN_TEMP = /^\.gemini-image-(?:batch-|now-)(\d+)-[0-9a-f]+\.part$/;

export function runTempTag(kind: 'batch' | 'now', pid = process.pid): string {
  return `${kind}-${pid}-`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes run temp files in `dirs` whose process is gone; returns them. */
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
      const m = RUN_TEMP.exec(name);
      if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
