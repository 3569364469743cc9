// A 16 MB reply from a source that never waits: the parser itself gives the event loop its turns,
// and still decodes the exact bytes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ImageSink } from '../../src/gemini/imageSink';
import { parseGenerateContentReply } from '../../src/gemini/responseParser';
import { reply } from '../support/responseParserHarness';

describe('a 16 MB reply in 64 KB chunks', () => {
  it('never holds the event loop for long, and decodes the exact bytes', async (t) => {
    const image = randomBytes(12 * 1024 * 1024);
    const body = Buffer.from(reply([{ text: 'Here is your 4K image.' }, { inlineData: { mimeType: 'image/png', data: image.toString('base64') }, thoughtSignature: 's'.repeat(4096) }]));
    // A source that never waits: the parser itself must give the loop its turns.
    async function* source() {
      for (let at = 0; at < body.length; at += 65536) yield body.subarray(at, at + 65536);
    }
    // The best of three runs: on a loaded machine the OS may preempt one run for longer than the
    // parser ever holds the loop; a parser that never yields stalls for the whole parse every time.
    const stalls: number[] = [];
    for (let attempt = 0; attempt < 3 && !stalls.some((s) => s < 50); attempt++) {
      let written = 0;
      const hash = createHash('sha256');
      const hashingSink: ImageSink<string> = {
        begin: () => ({
          write(bytes) {
            written += bytes.length;
            hash.update(bytes);
          },
          finish: async () => hash.digest('hex'),
          discard: async () => undefined,
        }),
      };
      const delay = monitorEventLoopDelay({ resolution: 1 });
      // Give the monitor's timer one turn before measuring.
      await new Promise((resolve) => setTimeout(resolve, 5));
      delay.enable();
      const started = performance.now();
      const r = await parseGenerateContentReply(source(), hashingSink);
      const took = performance.now() - started;
      delay.disable();
      assert.equal(written, image.length);
      assert.equal(r.images[0].handle, createHash('sha256').update(image).digest('hex'));
      assert.deepEqual(r.texts, ['Here is your 4K image.']);
      stalls.push(delay.max / 1e6);
      t.diagnostic(`parse ${took.toFixed(1)} ms, longest stall ${stalls[stalls.length - 1].toFixed(1)} ms`);
    }
    const baselineStart = performance.now();
    const parsed = JSON.parse(body.toString('utf8'));
    Buffer.from(parsed.candidates[0].content.parts[1].inlineData.data, 'base64');
    t.diagnostic(`JSON.parse + Buffer.from ${(performance.now() - baselineStart).toFixed(1)} ms`);
    const stallMs = Math.min(...stalls);
    assert.ok(stallMs < 50, `longest stall ${stallMs} ms`);
  });
});
