// Can images be written to a folder? Checked before anything is sent, without creating it: the
// folder is made when the first image arrives (the temp file's open), so a failed request leaves
// no empty folder behind. No vscode at run time.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DestinationError } from '../core/destination';

export async function checkWritableFolder(dir: string): Promise<void> {
  let existing = path.resolve(dir);
  for (;;) {
    try {
      const stat = await fs.stat(existing);
      if (!stat.isDirectory()) throw new DestinationError('notWritable', `${dir} (${existing} is a file)`);
      break;
    } catch (e) {
      if (e instanceof DestinationError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) throw new DestinationError('notWritable', `${dir} (${code ?? (e as Error).message})`, { cause: e });
      existing = parent;
    }
  }
  try {
    await fs.access(existing, constants.W_OK);
  } catch (e) {
    throw new DestinationError('notWritable', `${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
}
