// `generate "<prompt>" --out <file>`: one image through the editor's own pipeline, its ports filled
// for a command line: the key from the environment, a fixed target, Ctrl+C as Cancel, no gallery.
import * as path from 'node:path';
import { generate } from '../generation/pipeline';
import type { GallerySink, GenerationDeps, ProgressChannel } from '../generation/ports';
import { UploadCache } from '../references/uploadCache';
import type { AspectRatio, ImageSize } from '../gemini/types';
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

export async function runGenerate(o: CliOptions, run: RunContext): Promise<number> {
  const endpoint = endpointFrom(o, run.env);
  const report = new Reporter(run.streams, o.json, endpoint.apiKey);
  const out = path.resolve(run.cwd, o.out!);
  const ext = path.extname(out);
  const base = ext ? out.slice(0, -ext.length) : out;
  const progress: ProgressChannel = { run: (work) => work(() => undefined, run.signal) };
  const models = endpointModels(cacheRoot(run.env), (text) => report.note(text));
  let uploads: unknown;
  const deps: GenerationDeps = {
    settings: { model: o.model, modelIsAutomatic: o.modelIsAutomatic, baseUrl: endpoint.baseUrl, authStyle: endpoint.authStyle, timeoutMs: Number(run.env.GEMINI_IMAGE_TIMEOUT_MS) || 300_000, maxRetries: 3, referenceMode: 'auto' },
    modelCache: new ModelListCache(models.store),
    statusBook: models.book,
    keys: { apiKey: async () => endpoint.apiKey },
    targets: { choose: async () => ({ targetPath: (e) => `${base}.${e}`, tempDir: path.dirname(out) }) },
    progress,
    gallery: noGallery,
    conversations: { get: () => undefined, set: async () => undefined },
    uploads: new UploadCache({ get: () => uploads, set: async (v) => void (uploads = v) }),
    draftsDir: path.join(workspaceCacheDir(path.dirname(out)), 'drafts'),
    userAgent: 'gemini-image-cli',
  };
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
