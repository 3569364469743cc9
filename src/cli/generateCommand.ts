// `generate "<prompt>" --out <file>`: one image, through the same generation code as the editor.
import * as path from 'node:path';
import { GeminiClient } from '../gemini/client';
import { buildImageRequest } from '../gemini/request';
import type { AspectRatio, ImageSize } from '../gemini/types';
import { METADATA_VERSION } from '../core/pngMetadata';
import { generateImages } from '../generation/generateImages';
import { endpointFrom, type CliOptions } from './options';
import { Reporter } from './report';
import type { RunContext } from './fillCommand';

export async function runGenerate(o: CliOptions, run: RunContext): Promise<number> {
  const endpoint = endpointFrom(o, run.env);
  const report = new Reporter(run.streams, o.json, endpoint.apiKey);
  const prompt = o.positionals[0].trim();
  const out = path.resolve(run.cwd, o.out!);
  const ext = path.extname(out);
  const base = ext ? out.slice(0, -ext.length) : out;
  const client = new GeminiClient({ endpoint, userAgent: 'gemini-image-cli', timeoutMs: Number(run.env.GEMINI_IMAGE_TIMEOUT_MS) || 180_000 });
  const request = buildImageRequest({ prompt, model: o.model, aspectRatio: o.aspectRatio as AspectRatio | undefined, imageSize: o.imageSize as ImageSize | undefined });
  const result = await generateImages({
    client,
    model: o.model,
    request,
    count: 1,
    targetPath: (e) => `${base}.${e}`,
    tempDir: path.dirname(out),
    signal: run.signal,
    metadataFor: () => ({ version: METADATA_VERSION, prompt, model: o.model, aspectRatio: o.aspectRatio, imageSize: o.imageSize, createdAt: new Date().toISOString() }),
  });
  const image = result.images[0];
  report.document({ path: image.path, mimeType: image.mimeType, width: image.width, height: image.height, texts: result.texts });
  report.line(image.path);
  for (const text of result.texts) if (text.trim()) report.note(text.trim());
  return 0;
}
