// The prompt box: prefilled from the selection, refuses an empty prompt itself, and has a button
// for the options (aspect ratio, size, count) that shows them in its title.
import * as vscode from 'vscode';
import { ASPECT_RATIOS, IMAGE_SIZES, supportsImageSize } from '../gemini/request';
import type { AspectRatio, ImageSize } from '../gemini/types';
import type { ImageOptions } from '../shared/choices';


const MAX_PREFILL = 4000;

/** The box's wording for an edit or combine: its title names the source. */
export interface PromptBoxText {
  title: string;
  placeholder: string;
}

function optionsSummary(o: ImageOptions, model: string): string {
  const parts: string[] = [o.aspectRatio ?? vscode.l10n.t('source\'s shape')];
  if (supportsImageSize(model)) parts.push(o.imageSize);
  parts.push(o.count === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', o.count));
  return parts.join(' · ');
}

export async function askPrompt(initial: string, options: ImageOptions, model: string, text?: PromptBoxText): Promise<{ prompt: string; options: ImageOptions } | undefined> {
  let value = initial.trim().slice(0, MAX_PREFILL);
  let current: ImageOptions = { aspectRatio: options.aspectRatio, imageSize: options.imageSize, count: options.count };
  for (;;) {
    const answer = await showPromptBox(value, current, model, text);
    if (!answer) return undefined;
    value = answer.value;
    if (answer.kind === 'submit') return { prompt: value.trim(), options: current };
    current = (await pickOptions(current, model)) ?? current;
  }
}

function showPromptBox(value: string, options: ImageOptions, model: string, text?: PromptBoxText): Promise<{ kind: 'submit' | 'options'; value: string } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const optionsButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('settings'), tooltip: vscode.l10n.t('Aspect ratio, size and count') };
    const summary = `${model} · ${optionsSummary(options, model)}`;
    box.title = text ? `${text.title} (${summary})` : vscode.l10n.t('Generate Image ({0})', summary);
    box.placeholder = text?.placeholder ?? vscode.l10n.t('Describe the image, e.g. "a lighthouse at dawn, watercolor"');
    box.prompt = vscode.l10n.t('Press Enter to generate, or use the button for aspect ratio, size and count.');
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

async function pickOptions(current: ImageOptions, model: string): Promise<ImageOptions | undefined> {
  const ratio = await vscode.window.showQuickPick(
    ASPECT_RATIOS.map((r) => ({ label: r, picked: r === current.aspectRatio, description: r === current.aspectRatio ? vscode.l10n.t('current') : undefined })),
    { title: vscode.l10n.t('Aspect ratio'), placeHolder: current.aspectRatio ?? vscode.l10n.t('source\'s shape') },
  );
  if (!ratio) return undefined;
  let size = current.imageSize;
  if (supportsImageSize(model)) {
    const pickedSize = await vscode.window.showQuickPick(
      IMAGE_SIZES.map((s) => ({ label: s, description: s === current.imageSize ? vscode.l10n.t('current') : undefined })),
      { title: vscode.l10n.t('Image size'), placeHolder: current.imageSize },
    );
    if (!pickedSize) return undefined;
    size = pickedSize.label as ImageSize;
  }
  const count = await vscode.window.showQuickPick(
    [1, 2, 3, 4, 6, 8].map((n) => ({ label: String(n), description: n === current.count ? vscode.l10n.t('current') : undefined })),
    { title: vscode.l10n.t('How many images') },
  );
  if (!count) return undefined;
  return { aspectRatio: ratio.label as AspectRatio, imageSize: size, count: Number(count.label) };
}
