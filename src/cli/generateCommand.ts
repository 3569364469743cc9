// `generate "<prompt>" --out <file>`: one image through the editor's own pipeline, its ports filled
// for a command line: the key from the environment, a fixed target, Ctrl+C as Cancel, no gallery.
import * as path from 'node:path';
import { generate } from '../generation/pipeline';
import type { GallerySink, GenerationDeps, ImageTarget, ProgressChannel } from '../generation/ports';
import { UploadCache } from '../references/uploadCache';
import type { AspectRatio, Endpoint, ImageSize } from '../gemini/types';
import { cacheRoot, workspaceCacheDir } from '../docs/jobStore';
import { ModelListCache } from '../gemini/modelLister';
import { endpointModels } from './endpointModels';
import { DEFAULT_ASPECT_RATIO, endpointFrom, type CliOptions } from './options';
import { Reporter } from './report';
import type { RunContext } from './fillCommand';

const noGallery: GallerySink = {
  addPending: () => undefined,
  resolvePending: async () => undefined,
  failPending: () => undefined,
};

export interface CliGeneration {
  endpoint: Endpoint;
  env: NodeJS.ProcessEnv;
  target: ImageTarget;
  signal: AbortSignal;
  /** The folder whose cache holds the drafts. */
  cacheFor: string;
  /** Remarks for the person (the models list could not be read...). */
  note: (text: string) => void;
}

/** The pipeline's ports for a command line or an agent: a fixed target, no gallery, no links. */
export function cliGenerationDeps(o: Pick<CliOptions, 'model' | 'modelIsAutomatic'>, g: CliGeneration): GenerationDeps {
  const progress: ProgressChannel = { run: (work) => work(() => undefined, g.signal) };
  const models = endpointModels(cacheRoot(g.env), g.note);
  const { endpoint } = g;
  let uploads: unknown;
  return {
    settings: { model: o.model, modelIsAutomatic: o.modelIsAutomatic, baseUrl: endpoint.baseUrl, authStyle: endpoint.authStyle, timeoutMs: Number(g.env.GEMINI_IMAGE_TIMEOUT_MS) || 300_000, maxRetries: 3, referenceMode: 'auto' },
    modelCache: new ModelListCache(models.store),
    statusBook: models.book,
    keys: { apiKey: async () => endpoint.apiKey },
    targets: { choose: async () => g.target },
    progress,
    gallery: noGallery,
    conversations: { get: async () => undefined, set: async () => undefined },
    uploads: new UploadCache({ get: () => uploads, set: async (v) => void (uploads = v) }),
    draftsDir: path.join(workspaceCacheDir(g.cacheFor), 'drafts'),
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
  const deps = cliGenerationDeps(o, { endpoint, env: run.env, target: targetAt(out), signal: run.signal, cacheFor: path.dirname(out), note: (text) => report.note(text) });
  const outcome = await generate(
    { prompt: o.positionals[0].trim(), options: { aspectRatio: (o.aspectRatio ?? DEFAULT_ASPECT_RATIO) as AspectRatio, imageSize: (o.imageSize ?? '1K') as ImageSize, count: 1 } },
    deps,
  );
  const record = outcome!.records[0];
  report.document({ path: record.path, prompt: record.prompt, model: record.model, cost: record.cost, costFrom: record.costFrom });
  report.line(record.path);
  const cost = record.cost === undefined ? '' : `; ${record.costFrom === 'usage' ? 'cost from usage' : 'estimated cost'} $${record.cost}`;
  report.note(`Made with ${record.model}${o.modelIsAutomatic ? " (chosen from the endpoint's models list)" : ''}${cost}.`);
  return 0;
}
