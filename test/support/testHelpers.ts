// Small helpers the test files share.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { GeminiError } from '../../src/gemini/errors';

/** Awaits a promise that must reject with a GeminiError of `kind`; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, kind: GeminiError['kind']): Promise<GeminiError> {
  let caught: unknown;
  await promise.catch((e) => (caught = e));
  assert.ok(caught instanceof GeminiError, `expected a GeminiError, got ${caught}`);
  assert.equal(caught.kind, kind, caught.message);
  return caught;
}

/** A port on 127.0.0.1 that nothing listens on (for "connection refused"). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A small deterministic PRNG (xorshift32), so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
