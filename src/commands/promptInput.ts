// The prompt box: prefilled from the selection, refuses an empty prompt itself, and has a button
// for the options (aspect ratio, size, count) that shows them in its title.
import * as vscode from 'vscode';
import { estimateCost, formatDollars, imageModelSpec, type PriceOverrides } from '../core/models';
import type { AspectRatio, ImageSize } from '../gemini/types';
import { fitChoices, type ImageOptions } from '../shared/choices';


const MAX_PREFILL = 4000;

/** The box's wording for an edit or combine: its title names the source. */
export interface PromptBoxText {
  title: string;
  placeholder: string;
  /** One image only (an edit): no count in the title nor in the gear's steps. */
  single?: boolean;
}

let overrides: PriceOverrides | undefined;

/** The estimate for `count` images, when the model's price is known. */
function estimate(model: string, imageSize: ImageSize, count: number): string | undefined {
  const sizes = imageModelSpec(model).imageSizes;
  const cost = estimateCost({ model, imageSize: sizes.includes(imageSize) ? imageSize : undefined, images: count, overrides });
  return cost === undefined ? undefined : vscode.l10n.t('about {0}', formatDollars(cost));
}

/** Pro at 4K costs several times a Flash image: the estimate is said before anything is sent. */
function isCostly(model: string, imageSize: ImageSize): boolean {
  return imageSize === '4K' && /pro/i.test(model) && imageModelSpec(model).imageSizes.includes('4K');
}

function optionsSummary(o: ImageOptions, model: string, single = false): string {
  const parts: string[] = [o.aspectRatio ?? vscode.l10n.t('source\'s shape')];
  if (imageModelSpec(model).imageSizes.includes(o.imageSize)) parts.push(o.imageSize);
  if (!single) parts.push(o.count === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', o.count));
  const cost = isCostly(model, o.imageSize) ? estimate(model, o.imageSize, o.count) : undefined;
  if (cost) parts.push(cost);
  return parts.join(' · ');
}

export async function askPrompt(initial: string, options: ImageOptions, model: string, text?: PromptBoxText, prices?: PriceOverrides): Promise<{ prompt: string; options: ImageOptions } | undefined> {
  overrides = prices;
  let value = initial.trim().slice(0, MAX_PREFILL);
  const spec = imageModelSpec(model);
  // A remembered choice the model does not take falls back to what it does.
  let current: ImageOptions = fitChoices({ aspectRatio: options.aspectRatio, imageSize: options.imageSize, count: options.count }, spec);
  for (;;) {
    const answer = await showPromptBox(value, current, model, text);
    if (!answer) return undefined;
    value = answer.value;
    if (answer.kind === 'submit') return { prompt: value.trim(), options: current };
    current = (await pickOptions(current, model, text?.single)) ?? current;
  }
}

function showPromptBox(value: string, options: ImageOptions, model: string, text?: PromptBoxText): Promise<{ kind: 'submit' | 'options'; value: string } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const optionsButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('settings'), tooltip: vscode.l10n.t('Aspect ratio, size and count') };
    const summary = `${model} · ${optionsSummary(options, model, text?.single)}`;
    box.title = text ? `${text.title} (${summary})` : vscode.l10n.t('Generate Image ({0})', summary);
    box.placeholder = text?.placeholder ?? vscode.l10n.t('Describe the image, e.g. "a lighthouse at dawn, watercolor"');
    // VS Code adds "(Press 'Enter' to confirm or 'Escape' to cancel)" itself.
    box.prompt = vscode.l10n.t('The gear button sets the aspect ratio, size and count.');
    box.value = value;
    box.ignoreFocusOut = true;
    box.buttons = [optionsButton];
    let settled = false;
    const finish = (result: { kind: 'submit' | 'options'; value: string } | undefined) => {
      if (settled) return;
      settled = true;
      resolve(result);
      box.dispose();
    };
    box.onDidChangeValue((v) => {
      box.validationMessage = v.trim() ? undefined : box.validationMessage;
    });
    box.onDidAccept(() => {
      if (!box.value.trim()) {
        box.validationMessage = vscode.l10n.t('The prompt cannot be empty.');
        return;
      }
      finish({ kind: 'submit', value: box.value });
    });
    box.onDidTriggerButton(() => finish({ kind: 'options', value: box.value }));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

async function pickOptions(current: ImageOptions, model: string, single = false): Promise<ImageOptions | undefined> {
  const spec = imageModelSpec(model);
  const ratio = await vscode.window.showQuickPick(
    spec.aspectRatios.map((r) => ({ label: r, picked: r === current.aspectRatio, description: r === current.aspectRatio ? vscode.l10n.t('current') : undefined })),
    { title: vscode.l10n.t('Aspect ratio'), placeHolder: current.aspectRatio ?? vscode.l10n.t('source\'s shape') },
  );
  if (!ratio) return undefined;
  let size = current.imageSize;
  if (spec.imageSizes.length > 0) {
    const pickedSize = await vscode.window.showQuickPick(
      spec.imageSizes.map((s) => ({ label: s, description: [s === current.imageSize ? vscode.l10n.t('current') : undefined, estimate(model, s, 1)].filter(Boolean).join(' · ') })),
      { title: vscode.l10n.t('Image size'), placeHolder: current.imageSize },
    );
    if (!pickedSize) return undefined;
    size = pickedSize.label as ImageSize;
  }
  if (single) return { aspectRatio: ratio.label as AspectRatio, imageSize: size, count: 1 };
  const count = await vscode.window.showQuickPick(
    [1, 2, 3, 4, 6, 8].map((n) => ({ label: String(n), description: [n === current.count ? vscode.l10n.t('current') : undefined, estimate(model, size, n)].filter(Boolean).join(' · ') })),
    { title: isCostly(model, size) ? vscode.l10n.t('How many images (estimated cost shown)') : vscode.l10n.t('How many images') },
  );
  if (!count) return undefined;
  return { aspectRatio: ratio.label as AspectRatio, imageSize: size, count: Number(count.label) };
}
