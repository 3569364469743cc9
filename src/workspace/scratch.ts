// Reused copy buffers for file-to-file work, so writing a results file's hundred images allocates
// no fresh off-heap buffer per image (garbage that waits for the next GC shows up as RSS).
const SCRATCH_BYTES = 64 * 1024;
const MAX_FREE = 8;
const free: Buffer[] = [];

/** Lends a buffer of 64 KiB (old contents; use only what you read into it) for the time of `use`. */
export async function withScratch<T>(use: (buffer: Buffer) => Promise<T>): Promise<T> {
  const buffer = free.pop() ?? Buffer.allocUnsafe(SCRATCH_BYTES);
  try {
    return await use(buffer);
  } finally {
    if (free.length < MAX_FREE) free.push(buffer);
  }
}
