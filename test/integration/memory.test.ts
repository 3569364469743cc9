// Stable memory: 500 generations in one process (as in one extension host) against the stand-in,
// the heap measured after a full GC every 25. The heap ends within 10% of where it stood once
// everything was loaded, and a straight line through the samples does not climb.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startFakeGemini } from '../support/fakeGemini';

const KEY = 'memory-soak-key-Qm4';
const TOTAL = 500;
const EVERY = 25;

test('500 generations in one process: the heap after GC ends within 10% of its start, with no growth per generation', { timeout: 90_000 }, async () => {
  // Only the client runs in the measured process; the stand-in keeps its records here.
  const server = await startFakeGemini({ apiKeys: [KEY], recordBodies: false, keepSentImages: false });
  server.setDefault({ kind: 'image', bytes: 200_000 });
  try {
    const worker = join(__dirname, '..', 'support', 'memorySoakWorker.js');
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', worker, server.url, KEY, String(TOTAL), String(EVERY)], { timeout: 80_000 });
    const samples = JSON.parse(stdout) as { done: number; heap: number }[];
    assert.equal(samples.at(-1)!.done, TOTAL);
    assert.equal(server.requests.length, TOTAL, 'every generation reached the server once');
    // The first generations load undici and warm the pools: the baseline is taken after them.
    const steady = samples.filter((s) => s.done >= 50);
    const start = steady[0].heap;
    const end = steady.at(-1)!.heap;
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    const report = steady.map((s) => `${s.done}: ${mb(s.heap)}`).join(', ');
    assert.ok(end <= start * 1.1, `heap ${mb(start)} -> ${mb(end)} (${report})`);
    const n = steady.length;
    const mx = steady.reduce((a, s) => a + s.done, 0) / n;
    const my = steady.reduce((a, s) => a + s.heap, 0) / n;
    const slope = steady.reduce((a, s) => a + (s.done - mx) * (s.heap - my), 0) / steady.reduce((a, s) => a + (s.done - mx) ** 2, 0);
    // Growth per generation small enough that 500 more would stay inside the same 10%.
    assert.ok(slope * TOTAL < start * 0.1, `growth ${slope.toFixed(0)} bytes per generation (${report})`);
  } finally {
    await server.close();
  }
});
