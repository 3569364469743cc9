// Positional writes of several pieces at once, for the temporary image files (imageStore.ts).
import type { promises as fs } from 'node:fs';

/** Drops the last `count` bytes of `pieces` (they hold at least that many). */
export function dropLastBytes(pieces: Uint8Array[], count: number): void {
  while (count > 0) {
    const last = pieces[pieces.length - 1];
    if (last.byteLength <= count) {
      count -= last.byteLength;
      pieces.pop();
    } else {
      pieces[pieces.length - 1] = last.subarray(0, last.byteLength - count);
      count = 0;
    }
  }
}

/** Writes `pieces` at `position`, going on after a short write. */
export async function writeAllAt(handle: fs.FileHandle, pieces: Uint8Array[], position: number): Promise<void> {
  let rest = pieces;
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest, position);
    position += bytesWritten;
    let skip = 0;
    while (skip < rest.length && bytesWritten >= rest[skip].byteLength) bytesWritten -= rest[skip++].byteLength;
    rest = rest.slice(skip);
    if (bytesWritten > 0) rest[0] = rest[0].subarray(bytesWritten);
  }
}
