// Commands on image files: Edit / Combine with a prompt, Describe, Remix (also by a drop on the panel).
import type { CommandId } from '../commandIds';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inertLinks } from '../core/inertText';
import { readSettings } from '../config';
import { matchingAspectRatio } from '../core/aspectRatio';
import { IMAGE_FILE_EXTENSIONS, imageDimensions, isImageFileName } from '../core/imageType';
import { remixFromMetadata } from '../core/remix';
import { BUILTIN_STYLES } from '../core/styles';
import { ASPECT_RATIOS, IMAGE_SIZES, isAspectRatio, isImageSize } from '../shared/choices';
import { NO_STYLE_ID } from '../shared/constants';
import { availableStyles } from './styles';
import { withCachedModels } from '../cachedModels';
import { imageModelSpec } from '../core/models';
import { readImageMetadata } from '../workspace/metadataFiles';
import { maxReferenceImages } from '../references/referenceParts';
import type { Services } from '../services';
import type { Command } from './command';
import { askAndGenerate } from './askAndGenerate';
import { apiKeyOrAsk, confirmReferenceLimit } from './editorPorts';
import { askAboutImage, describeQuestion } from './understanding';
import { linkedImageAt } from './altText';
import { staysInside } from '../workspace/realPath';

/** The explorer passes (clicked, selected[]); the palette passes nothing: ask, titled, from the document's folder. */
async function imageUris(clicked: unknown, selected: unknown, many: boolean, title: string): Promise<vscode.Uri[] | undefined> {
  const fromExplorer = (Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : []).filter(
    (u): u is vscode.Uri => u instanceof vscode.Uri,
  );
  if (fromExplorer.length) return fromExplorer;
  const document = vscode.window.activeTextEditor?.document;
  // A folder's URI ends with a slash, so the dialog opens in it rather than in its parent.
  const folder = document && !document.isUntitled && document.uri.scheme === 'file' ? document.uri.with({ path: `${path.posix.dirname(document.uri.path)}/` }) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    openLabel: title,
    canSelectMany: many,
    filters: { [vscode.l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
    defaultUri: folder,
  });
  return picked;
}

async function oneImageUri(clicked: unknown, title: string): Promise<vscode.Uri | undefined> {
  return (await imageUris(clicked, undefined, false, title))?.[0];
}

abstract class ReferenceCommand implements Command {
  abstract readonly id: CommandId;
  protected abstract readonly many: boolean;
  constructor(protected readonly services: Services) {}

  async execute(clicked?: unknown, selected?: unknown): Promise<void> {
    const uris = await imageUris(clicked, selected, this.many, this.many ? vscode.l10n.t('Combine Images') : vscode.l10n.t('Edit Image'));
    if (!uris?.length) return;
    const unsupported = uris.filter((u) => !isImageFileName(u.fsPath));
    if (unsupported.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image.', inertLinks(unsupported.map((u) => path.basename(u.fsPath)).join(', '))));
      return;
    }
    const apiKey = await apiKeyOrAsk(this.services);
    if (!apiKey) return;
    // Asked here, before the prompt is typed; the pipeline is told so and does not ask again.
    const model = withCachedModels(this.services.globalState, readSettings(uris[0])).model;
    const max = maxReferenceImages(model);
    if (uris.length > max && !(await confirmReferenceLimit({ model, max, count: uris.length }))) return;
    // An edit keeps the source's shape and makes one image; the panel's last choices are for new images.
    const names = uris.map((u) => path.basename(u.fsPath));
    const dimensions = imageDimensions(await vscode.workspace.fs.readFile(uris[0]));
    await askAndGenerate(this.services, {
      references: uris.map((u) => u.fsPath),
      sourceNames: uris.map((u) => vscode.workspace.asRelativePath(u, false)),
      scope: uris[0],
      box: {
        title: this.many ? vscode.l10n.t('Combine {0}', names.join(', ')) : vscode.l10n.t('Edit {0}', names[0]),
        placeholder: vscode.l10n.t('What should change?'),
        single: true,
      },
      options: { aspectRatio: dimensions ? matchingAspectRatio(dimensions.width, dimensions.height, imageModelSpec(model).aspectRatios) : undefined, count: 1 },
      // An edit is named after its source (lighthouse-edit.png), not after what changed.
      origin: { apiKey, referencesConfirmed: true, besideImage: this.many ? undefined : uris[0].fsPath, fileName: this.many ? undefined : `${path.parse(uris[0].fsPath).name}-edit` },
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
    // From the palette with the cursor on ![...](path): that image, as Generate Alt Text does.
    const linked = clicked === undefined ? linkedImageAt(vscode.window.activeTextEditor) : undefined;
    const uri = linked ? vscode.Uri.file(linked) : await oneImageUri(clicked, vscode.l10n.t('Describe Image'));
    if (!uri) return;
    const text = await askAboutImage(this.services, uri.fsPath, describeQuestion(), vscode.l10n.t('Describing the image…'));
    if (!text) return;
    const record = this.services.gallery.all().find((r) => r.path === uri.fsPath);
    if (record) {
      this.services.gallery.show(record.id);
      await this.services.gallery.update(record.id, { description: text });
    }
    const copy = vscode.l10n.t('Copy');
    // The model's words, which an image can steer: shown as words, never as a link.
    const picked = await vscode.window.showInformationMessage(inertLinks(text), copy);
    if (picked === copy) await vscode.env.clipboard.writeText(text);
  }
}

export class RemixCommand implements Command {
  readonly id = 'geminiImage.remix';
  constructor(private readonly services: Services) {}

  async execute(clicked?: unknown): Promise<void> {
    const uri = await oneImageUri(clicked, vscode.l10n.t('Remix'));
    if (!uri) return;
    await remixFile(this.services, uri);
  }
}

/** Reopens the studio's prompt box with the prompt an image carries. */
export async function remixFile(services: Services, uri: vscode.Uri): Promise<void> {
  const meta = await readImageMetadata(uri.fsPath).catch(() => undefined);
  if (!meta) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no prompt: it was not made by Gemini Image Studio, or its metadata was removed.', inertLinks(path.basename(uri.fsPath))));
    return;
  }
  const settings = readSettings(uri);
  const styles = availableStyles(services.log).map((s) => ({ id: s.id, names: [s.name, ...BUILTIN_STYLES.filter((b) => b.id === s.id).map((b) => b.name)] }));
  const remix = remixFromMetadata(meta, { aspectRatios: ASPECT_RATIOS, imageSizes: IMAGE_SIZES, styles, noStyleId: NO_STYLE_ID });
  const { aspectRatio, imageSize, styleId } = remix.choices;
  await services.gallery.setPrompt(remix.prompt, { ...(isAspectRatio(aspectRatio) ? { aspectRatio } : {}), ...(isImageSize(imageSize) ? { imageSize } : {}), ...(styleId ? { styleId } : {}) }, true);
  const notes = [
    remix.model && remix.model !== settings.model ? vscode.l10n.t('{0} was made with {1}; the current model is {2} (Select Model switches).', path.basename(uri.fsPath), remix.model, settings.model) : undefined,
    remix.missingStyle ? vscode.l10n.t('Its style "{0}" is no longer available.', remix.missingStyle) : undefined,
  ].filter((n): n is string => !!n);
  if (notes.length) await services.gallery.notice('info', notes.join(' '));
}

/**
 * A file dropped on the panel: only an image inside a workspace folder (or one the gallery
 * knows) is read; anything else is refused, since the webview's word is not trusted.
 */
export async function remixDropped(services: Services, uri: vscode.Uri): Promise<void> {
  // `..` segments and symbolic links are followed before the workspace check, not after.
  const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path.resolve(uri.fsPath))) : undefined;
  const inWorkspace = !!folder && (await staysInside(folder.uri.fsPath, uri.fsPath)).inside;
  const known = services.gallery.all().some((r) => r.path === uri.fsPath);
  if (!isImageFileName(uri.fsPath) || !(inWorkspace || known)) {
    services.log.warn(`Refused a drop on the panel: ${uri.toString()}`);
    await services.gallery.notice('error', vscode.l10n.t('Only images in the workspace can be dropped here.'));
    return;
  }
  await remixFile(services, uri);
}
