// `generate "<prompt>" --out <file>`: one image through the editor's own pipeline, its ports filled
// for a command line: the key from the environment, a fixed target, Ctrl+C as Cancel, no gallery.
import * as path from 'node:path';
import { generate } from '../generation/pipeline';
import type { GallerySink, GenerationDeps, ImageTarget, ProgressChannel } from '../generation/ports';
import { UploadCache } from '../references/uploadCache';
import type { AspectRatio, Endpoint, ImageSize } from '../gemini/types';
import { workspaceCacheDir } from '../docs/jobStore';
import { DEFAULT_ASPECT_RATIO, endpointFrom, type CliOptions } from './options';
import { Reporter } from './report';
import type { RunContext } from './fillCommand';

const noGallery: GallerySink = {
  addPending: () => undefined,
  resolvePending: async () => undefined,
  failPending: () => undefined,
};

/** The pipeline's ports for a command line or an agent: a fixed target, no gallery, no links. */
export function cliGenerationDeps(o: Pick<CliOptions, 'model'>, endpoint: Endpoint, env: NodeJS.ProcessEnv, target: ImageTarget, signal: AbortSignal, cacheFor: string): GenerationDeps {
  const progress: ProgressChannel = { run: (work) => work(() => undefined, signal) };
  let uploads: unknown;
  return {
    settings: { model: o.model, baseUrl: endpoint.baseUrl, authStyle: endpoint.authStyle, timeoutMs: Number(env.GEMINI_IMAGE_TIMEOUT_MS) || 180_000, maxRetries: 3, referenceMode: 'auto' },
    keys: { apiKey: async () => endpoint.apiKey },
    targets: { choose: async () => target },
    progress,
    gallery: noGallery,
    conversations: { get: () => undefined, set: async () => undefined },
    uploads: new UploadCache({ get: () => uploads, set: async (v) => void (uploads = v) }),
    draftsDir: path.join(workspaceCacheDir(cacheFor), 'drafts'),
    userAgent: 'gemini-image-cli',
  };
}

/** The target for `out`: its extension follows the format the model sends; -1, -2 when taken. */
export function targetAt(out: string): ImageTarget {
  const ext = path.extname(out);
  const base = ext ? out.slice(0, -ext.length) : out;
  return { targetPath: (e) => `${base}.${e}`, tempDir: path.dirname(out) };
}

export async function runGenerate(o: CliOptions, run: RunContext): Promise<number> {
  const endpoint = endpointFrom(o, run.env);
  const report = new Reporter(run.streams, o.json, endpoint.apiKey);
  const out = path.resolve(run.cwd, o.out!);
  const deps = cliGenerationDeps(o, endpoint, run.env, targetAt(out), run.signal, path.dirname(out));
  const outcome = await generate(
    { prompt: o.positionals[0].trim(), options: { aspectRatio: (o.aspectRatio ?? DEFAULT_ASPECT_RATIO) as AspectRatio, imageSize: (o.imageSize ?? '1K') as ImageSize, count: 1 } },
    deps,
  );
  const record = outcome!.records[0];
  report.document({ path: record.path, prompt: record.prompt, model: record.model });
  report.line(record.path);
  return 0;
}
