// The generate image tool: an agent asks for an image at a workspace path; the user confirms with
// the model and the estimated cost in view; the same generation as the commands runs (progress with
// Cancel, retries, errors, never overwriting); the agent gets the path and a markdown link.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { withCachedModels } from '../cachedModels';
import { readSettings, type Settings } from '../config';
import { estimateCost, formatDollars, imageModelSpec, type PriceOverrides } from '../core/models';
import { imageLinkFor } from '../core/markdownLink';
import { pngThumbnail } from '../core/pngThumbnail';
import { workspaceRelative } from '../core/toolPaths';
import { ASPECT_RATIOS, IMAGE_SIZES } from '../gemini/request';
import type { AspectRatio, ImageSize } from '../gemini/types';
import { runGeneration } from '../commands/runGeneration';
import type { Services } from '../services';
import { ensureWritable } from '../workspace/imageDestination';
import type { Reservation } from '../core/sessionBudget';
import { isGeminiError } from '../gemini/errors';
import { sentImageSize } from '../generation/usage';
import { agentBudget, budgetRefusalWords } from './agentBudget';
import { assertTrusted, toolApiKey, toolImagePath, toToolError, ToolRefusal, untrustedRefusal, workspaceFolders } from './toolSupport';

export interface GenerateImageInput {
  prompt: string;
  file_path: string;
  aspect_ratio?: string;
  image_size?: string;
  markdown_file_path?: string;
}

interface Plan {
  prompt: string;
  target: string;
  aspectRatio: AspectRatio;
  imageSize: ImageSize;
  model: string;
}

async function plan(input: GenerateImageInput, settings: Settings): Promise<Plan> {
  const prompt = typeof input.prompt === 'string' ? input.prompt.trim() : '';
  if (!prompt) throw new ToolRefusal(vscode.l10n.t('prompt is empty: describe the image to draw.'));
  const aspectRatio = input.aspect_ratio ?? settings.aspectRatio;
  if (!(ASPECT_RATIOS as readonly string[]).includes(aspectRatio)) throw new ToolRefusal(vscode.l10n.t('aspect_ratio must be one of {0}.', ASPECT_RATIOS.join(', ')));
  const imageSize = input.image_size ?? settings.imageSize;
  if (!(IMAGE_SIZES as readonly string[]).includes(imageSize)) throw new ToolRefusal(vscode.l10n.t('image_size must be one of {0}.', IMAGE_SIZES.join(', ')));
  return { prompt, target: await toolImagePath(input.file_path, true), aspectRatio: aspectRatio as AspectRatio, imageSize: imageSize as ImageSize, model: settings.model };
}

export function costText(model: string, imageSize: ImageSize, overrides?: PriceOverrides): string {
  // A size the model does not take is not sent: the model's own size is what is billed.
  const sent = imageModelSpec(model).imageSizes.includes(imageSize) ? imageSize : undefined;
  const cost = estimateCost({ model, imageSize: sent, images: 1, overrides });
  return cost === undefined
    ? vscode.l10n.t('unknown for {0} (a relay or a model without a published price)', model)
    : vscode.l10n.t('about {0} at Google\'s standard rate (a relay may charge differently)', formatDollars(cost));
}

export class GenerateImageTool implements vscode.LanguageModelTool<GenerateImageInput> {
  constructor(private readonly services: Services) {}

  /** With the model the generation will use: the automatic choice from the cached list. */
  private settings(): Settings {
    return withCachedModels(this.services.globalState, readSettings());
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateImageInput>): Promise<vscode.PreparedToolInvocation> {
    if (!vscode.workspace.isTrusted) return { invocationMessage: untrustedRefusal() };
    let p: Plan;
    try {
      p = await plan(options.input, this.settings());
    } catch (e) {
      // invoke() reports the same problem to the agent; nothing to confirm.
      return { invocationMessage: (e as Error).message };
    }
    // Over the budget: nothing to confirm; invoke() refuses with the same words.
    const settings = this.settings();
    const refusal = agentBudget(settings.agentBudget).check(imageEstimate(p, settings));
    if (refusal) return { invocationMessage: budgetRefusalWords(refusal, p.model) };
    const where = workspaceRelative(p.target, workspaceFolders());
    const message = new vscode.MarkdownString();
    const row = (label: string, text: string) => message.appendMarkdown(`**${label}:** `).appendText(text).appendMarkdown('\n\n');
    row(vscode.l10n.t('Prompt'), p.prompt);
    row(vscode.l10n.t('Saved as'), vscode.l10n.t('{0} (never over an existing file)', where));
    row(vscode.l10n.t('Model'), `${p.model}, ${p.aspectRatio}, ${p.imageSize}`);
    row(vscode.l10n.t('Estimated cost'), costText(p.model, p.imageSize, this.settings().priceOverrides));
    const budget = agentBudget(settings.agentBudget);
    row(vscode.l10n.t('Chat tools budget'), vscode.l10n.t('{0} of {1} spent in this window', formatDollars(budget.spent), formatDollars(settings.agentBudget)));
    return {
      invocationMessage: vscode.l10n.t('Generating {0} with {1}…', where, p.model),
      confirmationMessages: { title: vscode.l10n.t('Generate an image with Gemini?'), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GenerateImageInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const settings = this.settings();
    let model = settings.model;
    let reservation: Reservation | undefined;
    try {
      assertTrusted();
      const p = await plan(options.input, settings);
      model = p.model;
      const estimate = imageEstimate(p, settings);
      const answer = agentBudget(settings.agentBudget).reserve(estimate);
      if (!answer.ok) throw new ToolRefusal(budgetRefusalWords(answer.refusal, p.model));
      reservation = answer.reservation;
      const apiKey = await toolApiKey(this.services);
      const dir = path.dirname(p.target);
      const stem = p.target.slice(0, p.target.length - path.extname(p.target).length);
      await ensureWritable(dir);
      const records = await runGeneration(
        this.services,
        { prompt: p.prompt, options: { aspectRatio: p.aspectRatio, imageSize: p.imageSize, count: 1 } },
        { apiKey, tool: { target: { targetPath: (ext: string) => `${stem}.${ext}`, tempDir: dir }, cancellation: token } },
      );
      const saved = records?.[0];
      if (!saved) throw new ToolRefusal(vscode.l10n.t('No image was saved.'));
      reservation.settle(saved.cost ?? estimate);
      const text = new vscode.LanguageModelTextPart(this.describeResult(options.input, p, saved.path));
      const thumbnail = await thumbnailPart(saved.path);
      // The 1.100 typings list only text and prompt-tsx parts; the data part is checked for at run time.
      return new vscode.LanguageModelToolResult(thumbnail ? [text, thumbnail as vscode.LanguageModelTextPart] : [text]);
    } catch (e) {
      // An answer without the image may still be billed; a refused or unsent request is not.
      if (isGeminiError(e) && ['blocked', 'noImage', 'badResponse', 'timeout'].includes(e.kind)) reservation?.settle();
      else reservation?.release();
      throw toToolError(this.services, e, model);
    }
  }

  private describeResult(input: GenerateImageInput, p: Plan, savedPath: string): string {
    const folders = workspaceFolders();
    const where = workspaceRelative(savedPath, folders);
    const markdownFile = typeof input.markdown_file_path === 'string' && input.markdown_file_path.trim() ? toolMarkdownPath(input.markdown_file_path, folders[0]?.path) : undefined;
    const root = folders.find((f) => !path.relative(f.path, savedPath).startsWith('..'))?.path ?? path.dirname(savedPath);
    const from = markdownFile ?? path.join(root, 'README.md');
    const link = imageLinkFor(p.prompt, from, savedPath);
    const lines = [`Saved the image at ${where} (model ${p.model}, ${p.aspectRatio}, ${p.imageSize}).`];
    if (savedPath !== p.target) lines.push(`${workspaceRelative(p.target, folders)} already existed or the model sent another format, so the file is ${where}; nothing was overwritten.`);
    lines.push(markdownFile ? `Markdown link, relative to ${workspaceRelative(markdownFile, folders)}:` : 'Markdown link, relative to the workspace root:', link);
    lines.push(JSON.stringify({ path: where, markdownLink: link }));
    return lines.join('\n');
  }
}

function imageEstimate(p: Plan, settings: Settings): number | undefined {
  return estimateCost({ model: p.model, imageSize: sentImageSize(p.model, p.imageSize), images: 1, overrides: settings.priceOverrides });
}

type DataPartClass = { image(data: Uint8Array, mime: string): unknown };

/**
 * The image, small, for the agent's model to look at: where the running VS Code has
 * LanguageModelDataPart (stable in the typings after 1.100, present at run time in 1.100 already).
 */
async function thumbnailPart(file: string): Promise<unknown> {
  const DataPart = (vscode as unknown as { LanguageModelDataPart?: DataPartClass }).LanguageModelDataPart;
  if (typeof DataPart?.image !== 'function') return undefined;
  try {
    const thumbnail = await pngThumbnail(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
    return thumbnail && DataPart.image(thumbnail, 'image/png');
  } catch {
    return undefined;
  }
}

function toolMarkdownPath(input: string, root: string | undefined): string {
  return path.isAbsolute(input) || !root ? path.resolve(input) : path.resolve(root, input);
}
