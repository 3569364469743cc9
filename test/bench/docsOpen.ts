// The bench's "open a document that links 200 images of 5 MB": what the editor's diagnostics run
// when such a page opens (documentImages: the link scan, a stat, the real-path check and the
// metadata of each image), in a fresh process, with its peak RSS growth and its wall time. Half the
// images carry their metadata after IHDR (as the docs filler writes it), half before IEND (as a
// streamed generation does); their image data is in 8 KB IDAT chunks, as libpng writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { pngMetadataChunks } from '../../src/core/pngMetadata';
import { documentImages } from '../../src/docs/documentImages';
import { trackPeak } from './memory';

export interface OpenDocumentResult {
  ms: number;
  peakGrowthBytes: number;
  images: number;
  /** How many came out current (their metadata found and matching the link). */
  current: number;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function imageData(bytes: number): Buffer {
  const piece = chunk('IDAT', Buffer.alloc(8192, 0x5a));
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / piece.length) }, () => piece));
}

export async function openDocument(root: string, count: number, imageBytes: number): Promise<OpenDocumentResult> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2048, 0);
  ihdr.writeUInt32BE(2048, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const head = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr)]);
  const body = imageData(imageBytes);
  const iend = chunk('IEND', Buffer.alloc(0));
  mkdirSync(path.join(root, 'docs', 'images'), { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const prompt = `figure ${i}: a quiet harbour at dawn`;
    const text = Buffer.from(pngMetadataChunks({ version: 1, prompt, model: 'gemini-3.1-flash-image' }));
    const parts = i % 2 ? [head, body, text, iend] : [head, text, body, iend];
    writeFileSync(path.join(root, 'docs', 'images', `figure-${i}.png`), Buffer.concat(parts));
    lines.push(`Figure ${i}: ![${prompt}](images/figure-${i}.png)`, '');
  }
  const doc = path.join(root, 'docs', 'index.md');
  const text = lines.join('\n');
  writeFileSync(doc, text);
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  const peak = trackPeak();
  const t0 = performance.now();
  const items = await documentImages(doc, text, root);
  const ms = performance.now() - t0;
  return { ms, peakGrowthBytes: peak.peak() - baseline, images: items.length, current: items.filter((i) => i.state === 'current').length };
}
