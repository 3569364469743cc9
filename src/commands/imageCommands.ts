// Commands on image files: Edit / Combine with a prompt, Describe, Remix (also by a drop on the panel).
import type { CommandId } from '../commandIds';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { withChosenModels } from './modelChoice';
import { IMAGE_FILE_EXTENSIONS, isImageFileName } from '../core/imageType';
import { readImageMetadata } from '../workspace/metadataFiles';
import { applyStyle } from '../core/styles';
import { ImagePanel } from '../panel/imagePanel';
import { maxReferenceImages } from '../references/referenceParts';
import type { Services } from '../services';
import type { Command } from './command';
import { lastChoices, rememberChoices } from './lastChoices';
import { askPrompt } from './promptInput';
import { apiKeyOrAsk, runGeneration } from './runGeneration';
import { availableStyles, pickStyle } from './styles';
import { askAboutImage, describeQuestion } from './understanding';
import { NO_STYLE_ID } from '../shared/constants';

/** The explorer passes (clicked, selected[]); the palette passes nothing: ask. */
async function imageUris(clicked: unknown, selected: unknown, many: boolean): Promise<vscode.Uri[] | undefined> {
  const fromExplorer = (Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : []).filter(
    (u): u is vscode.Uri => u instanceof vscode.Uri,
  );
  if (fromExplorer.length) return fromExplorer;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: many,
    filters: { [vscode.l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked;
}

async function oneImageUri(clicked: unknown): Promise<vscode.Uri | undefined> {
  return (await imageUris(clicked, undefined, false))?.[0];
}

abstract class ReferenceCommand implements Command {
  abstract readonly id: CommandId;
  protected abstract readonly many: boolean;
  constructor(protected readonly services: Services) {}

  async execute(clicked?: unknown, selected?: unknown): Promise<void> {
    const uris = await imageUris(clicked, selected, this.many);
    if (!uris?.length) return;
    const unsupported = uris.filter((u) => !isImageFileName(u.fsPath));
    if (unsupported.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image.', unsupported.map((u) => path.basename(u.fsPath)).join(', ')));
      return;
    }
    const apiKey = await apiKeyOrAsk(this.services);
    if (!apiKey) return;
    const settings = await withChosenModels(this.services, readSettings(uris[0]), apiKey);
    const max = maxReferenceImages(settings.model);
    if (uris.length > max) {
      const go = vscode.l10n.t('Send Anyway');
      const picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} takes at most {1} reference images; {2} are selected. The model may ignore some or refuse.', settings.model, max, uris.length),
        { modal: true },
        go,
      );
      if (picked !== go) return;
    }
    const state = this.services.context.workspaceState;
    const last = lastChoices(state, settings);
    const asked = await askPrompt('', last, settings.model, settings.priceOverrides);
    if (!asked) return;
    const style = await pickStyle(availableStyles(this.services.log), last.styleId);
    if (style === null) return;
    const applied = applyStyle(style, asked.prompt);
    await rememberChoices(state, settings, { ...asked.options, styleId: style?.id ?? NO_STYLE_ID });
    await runGeneration(this.services, {
      prompt: applied.finalPrompt,
      userPrompt: asked.prompt,
      styleName: applied.styleName,
      choices: asked.options,
      references: uris.map((u) => u.fsPath),
      apiKey,
    });
  }
}

export class EditImageCommand extends ReferenceCommand {
  readonly id = 'geminiImage.editImage';
  protected readonly many = false;
}

export class CombineImagesCommand extends ReferenceCommand {
  readonly id = 'geminiImage.combineImages';
  protected readonly many = true;
}

export class DescribeImageCommand implements Command {
  readonly id = 'geminiImage.describeImage';
  constructor(private readonly services: Services) {}

  async execute(clicked?: unknown): Promise<void> {
    const uri = await oneImageUri(clicked);
    if (!uri) return;
    const text = await askAboutImage(this.services, uri.fsPath, describeQuestion(), vscode.l10n.t('Describing the image…'));
    if (!text) return;
    const record = this.services.gallery.all().find((r) => r.path === uri.fsPath);
    if (record) {
      const updated = await this.services.gallery.update(record.id, { description: text });
      const panel = ImagePanel.createOrShow(this.services.panel, record.id);
      if (updated) await panel.updateImage(updated);
    }
    const copy = vscode.l10n.t('Copy');
    const picked = await vscode.window.showInformationMessage(text, copy);
    if (picked === copy) await vscode.env.clipboard.writeText(text);
  }
}

export class RemixCommand implements Command {
  readonly id = 'geminiImage.remix';
  constructor(private readonly services: Services) {}

  async execute(clicked?: unknown): Promise<void> {
    const uri = await oneImageUri(clicked);
    if (!uri) return;
    await remixFile(this.services, uri);
  }
}

/** Reopens the studio's prompt box with the prompt an image carries. */
export async function remixFile(services: Services, uri: vscode.Uri): Promise<void> {
  const meta = await readImageMetadata(uri.fsPath).catch(() => undefined);
  if (!meta) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no prompt: it was not made by Gemini Image Studio, or its metadata was removed.', path.basename(uri.fsPath)));
    return;
  }
  const panel = ImagePanel.createOrShow(services.panel);
  await panel.setPrompt(meta.userPrompt ?? meta.prompt, meta.aspectRatio ? { aspectRatio: meta.aspectRatio } : undefined);
}

/**
 * A file dropped on the panel: only an image inside a workspace folder (or one the gallery
 * knows) is read; anything else is refused, since the webview's word is not trusted.
 */
export async function remixDropped(services: Services, uri: vscode.Uri): Promise<void> {
  const inWorkspace = uri.scheme === 'file' && !!vscode.workspace.getWorkspaceFolder(uri);
  const known = services.gallery.all().some((r) => r.path === uri.fsPath);
  if (!isImageFileName(uri.fsPath) || !(inWorkspace || known)) {
    services.log.warn(`Refused a drop on the panel: ${uri.toString()}`);
    await ImagePanel.instance?.notice('error', vscode.l10n.t('Only images in the workspace can be dropped here.'));
    return;
  }
  await remixFile(services, uri);
}
