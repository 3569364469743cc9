// The flow of every command that asks for a prompt, a style and options before generating: the
// prompt box (with the last choices), the style picker, then the job for the pipeline.
import type * as vscode from 'vscode';
import { readSettings } from '../config';
import { applyStyle, type ImageStyle } from '../core/styles';
import { NO_STYLE_ID } from '../shared/constants';
import type { Services } from '../services';
import { lastChoices, rememberChoices } from './lastChoices';
import { askPrompt, type PromptBoxText } from './promptInput';
import type { ImageOptions } from '../shared/choices';
import { runGeneration, type JobOrigin } from './runGeneration';
import { availableStyles, pickStyle } from './styles';

export interface AskAndGenerateInput {
  /** What the prompt box starts with. */
  prefill?: string;
  /** The editor's selection, for a style's `${selection}`. */
  selectionText?: string;
  /** A style the user picked already (undefined: None); absent: ask. */
  style?: ImageStyle;
  styleAlreadyPicked?: boolean;
  references?: string[];
  /** How the metadata names the references (workspace-relative). */
  sourceNames?: string[];
  /** The box's own title and placeholder (an edit names its source). */
  box?: PromptBoxText;
  /**
   * Options that replace the last choices in the box (an edit: the source's shape, one image);
   * given, the box's answer is not remembered as the next generation's choices either.
   */
  options?: Partial<ImageOptions>;
  /** Where the settings are read for (the document, the first reference). */
  scope?: vscode.Uri;
  origin?: JobOrigin;
}

export async function askAndGenerate(services: Services, input: AskAndGenerateInput = {}): Promise<void> {
  const settings = readSettings(input.scope ?? input.origin?.editor?.document.uri);
  const last = lastChoices(services.workspaceState, settings);
  const asked = await askPrompt(input.prefill ?? '', { ...last, ...input.options }, settings.model, input.box);
  if (!asked) return;
  const style = input.styleAlreadyPicked ? input.style : await pickStyle(availableStyles(services.log), last.styleId);
  if (style === null) return;
  const applied = applyStyle(style, asked.prompt, input.selectionText);
  const remembered = input.options ? last : { ...asked.options, aspectRatio: asked.options.aspectRatio ?? last.aspectRatio };
  await rememberChoices(services.workspaceState, settings, { ...remembered, styleId: style?.id ?? NO_STYLE_ID });
  await runGeneration(
    services,
    { prompt: applied.finalPrompt, userPrompt: asked.prompt, styleName: applied.styleName, options: asked.options, references: input.references, sourceNames: input.sourceNames },
    input.origin,
  );
}
