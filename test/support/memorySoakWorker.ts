// Child process of test/integration/memory.test.ts (run with --expose-gc): N generations in this one
// process against the stand-in at argv[2], printing the heap after a full GC every `every` generations.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { GeminiClient } from '../../src/gemini/client';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { generateImages } from '../../src/generation/generateImages';
import { tempDir } from './tempWorkspace';

const [baseUrl, key, total, every] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const MODEL = 'gemini-nano-banana-2.1';

async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const dir = tempDir('gis-memory-');
  const client = new GeminiClient({ endpoint: { baseUrl, apiKey: key, authStyle: 'x-goog-api-key' }, maxRetries: 1, maxRetryDelayMs: 10 });
  const samples: { done: number; heap: number }[] = [];
  try {
    for (let done = 0; done <= total; done++) {
      if (done % every === 0) samples.push({ done, heap: await heapAfterGc() });
      if (done === total) break;
      const images = join(dir.path, 'images');
      const result = await generateImages({
        client,
        model: MODEL,
        request: buildImageRequest({ prompt: `soak ${done}`, model: MODEL }),
        count: 1,
        targetPath: (ext) => join(images, `soak.${ext}`),
        tempDir: images,
        metadataFor: () => ({ version: 1, prompt: `soak ${done}`, model: MODEL, createdAt: new Date(0).toISOString() }),
      });
      for (const image of result.images) rmSync(image.path);
    }
  } finally {
    await closeDispatchers();
    dir.cleanup();
  }
  process.stdout.write(`${JSON.stringify(samples)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
