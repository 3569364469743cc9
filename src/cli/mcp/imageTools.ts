// generate_image, edit_image, describe_image: the CLI's generation pipeline (never overwriting,
// retries, typed errors) and its understanding request, with every path held inside the root.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { matchingAspectRatio } from '../../core/aspectRatio';
import { imageDimensions, imageFormat, MIME_TYPE } from '../../core/imageType';
import { imageLinkFor } from '../../core/markdownLink';
import { automaticTextModel, estimateCost, imageModelSpec } from '../../core/models';
import { budgetRefusalText, type SessionBudget } from '../../core/sessionBudget';
import { GeminiClient } from '../../gemini/client';
import { GeminiError } from '../../gemini/errors';
import { buildUnderstandingRequest } from '../../gemini/request';
import { memorySink } from '../../gemini/responseParser';
import type { AspectRatio, Endpoint, ImageSize } from '../../gemini/types';
import { generate } from '../../generation/pipeline';
import { sentImageSize } from '../../generation/usage';
import { inlinePart } from '../../references/referenceParts';
import { isAspectRatio, isImageSize } from '../../shared/choices';
import { cliGenerationDeps, targetAt } from '../generateCommand';
import { DEFAULT_ASPECT_RATIO, type CliOptions } from '../options';
import { ToolRefusal, type RootPaths } from './rootPaths';
import { thumbnail } from './thumbnail';

export interface Session {
  options: CliOptions;
  env: NodeJS.ProcessEnv;
  paths: RootPaths;
  budget: SessionBudget;
  /** The key, read once at the first paid call. */
  endpoint(): Endpoint;
  signal: AbortSignal;
  /** Tells the client how far a long call is, when it asked. */
  progress?: (done: number, total: number, message: string) => void;
}

// A type, not an interface: the SDK's result type has an index signature.
export type ToolResult = {
  content: ({ type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string })[];
  isError?: boolean;
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

interface ImageJob {
  prompt: string;
  target: string;
  model: string;
  /** No model was named: the endpoint's models list decides (the estimate is the default's). */
  modelIsAutomatic?: boolean;
  aspectRatio: AspectRatio;
  imageSize: ImageSize;
  references: string[];
  what: string;
}

const BILLED_FAILURES = new Set(['blocked', 'noImage', 'badResponse', 'timeout']);

async function makeImage(session: Session, job: ImageJob): Promise<ToolResult> {
  const estimate = estimateCost({ model: job.model, imageSize: sentImageSize(job.model, job.imageSize), images: 1 });
  const answer = session.budget.reserve(estimate);
  if (!answer.ok) throw new ToolRefusal(budgetRefusalText(answer.refusal, `${job.what} with ${job.model}`));
  const endpoint = session.endpoint();
  const { root } = session.paths;
  try {
    const deps = cliGenerationDeps({ model: job.model, modelIsAutomatic: !!job.modelIsAutomatic }, { endpoint, env: session.env, target: targetAt(job.target), signal: session.signal, cacheFor: root, note: () => undefined });
    const outcome = await generate(
      { prompt: job.prompt, options: { aspectRatio: job.aspectRatio, imageSize: job.imageSize, count: 1 }, references: job.references, sourceNames: job.references.map((r) => session.paths.relative(r)) },
      deps,
    );
    const record = outcome?.records[0];
    if (!record) throw new GeminiError('noImage', 'No image was saved.');
    answer.reservation.settle(record.cost ?? estimate);
    const rel = session.paths.relative(record.path);
    const link = imageLinkFor(job.prompt, path.join(root, 'README.md'), record.path);
    const lines = [`Saved ${rel} (model ${record.model}, ${job.aspectRatio}, ${job.imageSize}).`];
    if (path.resolve(record.path) !== path.resolve(job.target)) lines.push(`${session.paths.relative(job.target)} was taken (or the model sent another format), so the file is ${rel}; nothing was overwritten.`);
    lines.push('Markdown link, relative to the project root:', link);
    const usage = { path: rel, markdownLink: link, model: record.model, tokens: record.tokens ?? null, cost: record.cost ?? null, budgetSpent: session.budget.spent, budget: session.budget.limit ?? null };
    lines.push(JSON.stringify(usage));
    const preview = await thumbnail(record.path);
    return { content: [{ type: 'text', text: lines.join('\n') }, ...(preview ? [{ type: 'image' as const, ...preview }] : [])] };
  } catch (e) {
    // An answer without the image may still be billed; a refused or unsent request is not.
    if (e instanceof GeminiError && BILLED_FAILURES.has(e.kind)) answer.reservation.settle();
    else answer.reservation.release();
    throw e;
  }
}

export async function generateImage(session: Session, args: Record<string, unknown>): Promise<ToolResult> {
  const prompt = text(args.prompt);
  if (!prompt) throw new ToolRefusal('prompt is empty: describe the image to draw.');
  const target = await session.paths.imageTarget(args.path, 'path');
  const aspectRatio = args.aspect_ratio ?? session.options.aspectRatio ?? DEFAULT_ASPECT_RATIO;
  if (!isAspectRatio(aspectRatio)) throw new ToolRefusal(`aspect_ratio must be one of the listed ratios, not ${String(aspectRatio)}.`);
  const imageSize = args.size ?? session.options.imageSize ?? '1K';
  if (!isImageSize(imageSize)) throw new ToolRefusal(`size must be 512, 1K, 2K or 4K, not ${String(imageSize)}.`);
  const references = Array.isArray(args.references) ? await Promise.all(args.references.map((r) => session.paths.existingImage(r, 'references:'))) : [];
  const named = text(args.model)?.replace(/^models\//, '');
  const model = named ?? session.options.model;
  return makeImage(session, { prompt, target, model, modelIsAutomatic: !named && session.options.modelIsAutomatic, aspectRatio, imageSize, references, what: 'this image' });
}

export async function editImage(session: Session, args: Record<string, unknown>): Promise<ToolResult> {
  const prompt = text(args.prompt);
  if (!prompt) throw new ToolRefusal('prompt is empty: say what should change.');
  const source = await session.paths.existingImage(args.source, 'source');
  const ext = path.extname(source);
  const target = text(args.path) ? await session.paths.imageTarget(args.path, 'path') : await session.paths.imageTarget(session.paths.relative(`${source.slice(0, -ext.length)}-edit.png`), 'path');
  // An edit keeps the source's shape.
  const model = session.options.model;
  const dimensions = imageDimensions(await fs.readFile(source));
  const aspectRatio = (dimensions && matchingAspectRatio(dimensions.width, dimensions.height, imageModelSpec(model).aspectRatios)) || DEFAULT_ASPECT_RATIO;
  return makeImage(session, { prompt, target, model, aspectRatio: aspectRatio as AspectRatio, imageSize: (session.options.imageSize ?? '1K') as ImageSize, references: [source], modelIsAutomatic: session.options.modelIsAutomatic, what: `an edit of ${session.paths.relative(source)}` });
}

export const DESCRIBE_QUESTION = 'Describe this image in a few sentences for a technical document: what it shows, its style and notable details. Plain text, no preamble.';

export async function describeImage(session: Session, args: Record<string, unknown>): Promise<ToolResult> {
  const file = await session.paths.existingImage(args.path, 'path');
  const bytes = await fs.readFile(file);
  const format = imageFormat(undefined, bytes);
  if (!format || format === 'gif') throw new ToolRefusal(`${session.paths.relative(file)} is not a PNG, JPEG or WebP image.`);
  const model = session.env.GEMINI_IMAGE_TEXT_MODEL?.trim() || automaticTextModel(undefined, new Date());
  const endpoint = session.endpoint();
  const client = new GeminiClient({ endpoint, userAgent: 'gemini-image-cli', timeoutMs: Number(session.env.GEMINI_IMAGE_TIMEOUT_MS) || 180_000 });
  const reply = await client.generateContent(model, buildUnderstandingRequest(DESCRIBE_QUESTION, inlinePart({ bytes, mimeType: MIME_TYPE[format] })), memorySink(), { signal: session.signal, parse: { thoughtImages: 'discard' } });
  const description = reply.texts.join('\n').trim();
  if (!description) throw new GeminiError(reply.blockReason ? 'blocked' : 'noText', 'The model gave no text.', { finishReason: reply.finishReason, blockReason: reply.blockReason });
  return { content: [{ type: 'text', text: `${description}\n${JSON.stringify({ path: session.paths.relative(file), model })}` }] };
}
