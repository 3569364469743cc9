// The panel: its commands, what its buttons do, and the studio's prompt box.
import * as vscode from 'vscode';
import { inertLinks } from '../core/inertText';
import { readSettings } from '../config';
import { sidecarPathFor } from '../core/imageMetadata';
import { imageLinkFor } from '../core/markdownLink';
import { applyStyle, findStyle } from '../core/styles';
import { imageModelSpec, pricePerImage } from '../core/models';
import { withCachedModels } from '../cachedModels';
import type { GalleryRecord } from '../shared/gallery';
import { fitChoices, type GenerationChoices } from '../shared/choices';
import type { ImageAction, StudioOptions } from '../shared/protocol';
import type { Services } from '../services';
import { insertImageLinks, isMarkdown } from '../workspace/markdownInsert';
import { deleteWithTrashFallback } from '../workspace/trashFallback';
import { useAsAltText } from './altText';
import type { Command } from './command';
import { lastChoices, rememberChoices } from './lastChoices';
import { runGeneration } from './runGeneration';
import { availableStyles } from './styles';
import { askAboutImage, describeQuestion } from './understanding';
import { NO_STYLE_ID } from '../shared/constants';
import { IMAGE_FILE_EXTENSIONS } from '../core/imageType';
import { fileExists } from '../workspace/fileExists';

export class ShowPanelCommand implements Command {
  readonly id = 'geminiImage.showPanel';
  constructor(private readonly services: Services) {}

  execute(): void {
    this.services.gallery.show();
  }
}

/** Forgets the gallery's records whose file is missing: only here, never when the panel loads. */
export class ForgetMissingImagesCommand implements Command {
  readonly id = 'geminiImage.forgetMissingImages';
  constructor(private readonly services: Services) {}

  async execute(): Promise<void> {
    const count = await this.services.gallery.forgetMissing(fileExists);
    void vscode.window.showInformationMessage(
      count === 0 ? vscode.l10n.t('Every image in the gallery has its file.') : count === 1 ? vscode.l10n.t('Forgot 1 image whose file is missing.') : vscode.l10n.t('Forgot {0} images whose files are missing.', count),
    );
  }
}

export class ShowLogCommand implements Command {
  readonly id = 'geminiImage.showLog';
  constructor(private readonly services: Services) {}

  execute(): void {
    this.services.log.show();
  }
}

export function studioOptions(services: Services): StudioOptions {
  const settings = withCachedModels(services.globalState, readSettings());
  const last = lastChoices(services.workspaceState, settings);
  const spec = imageModelSpec(settings.model);
  const prices: Record<string, number> = {};
  for (const size of spec.imageSizes.length ? spec.imageSizes : (['1K'] as const)) {
    const price = pricePerImage({ model: settings.model, imageSize: spec.imageSizes.length ? size : undefined, overrides: settings.priceOverrides });
    if (price !== undefined) prices[size] = price;
  }
  return {
    model: settings.model,
    pricePerImage: prices,
    // Only what this model takes: the panel never offers a choice the request would drop.
    aspectRatios: [...spec.aspectRatios],
    imageSizes: [...spec.imageSizes],
    supportsImageSize: spec.imageSizes.length > 0,
    counts: [1, 2, 3, 4, 6, 8],
    styles: [{ id: NO_STYLE_ID, name: vscode.l10n.t('None'), description: '' }, ...availableStyles().map((s) => ({ id: s.id, name: s.name, description: s.description }))],
    // A remembered choice this model lacks is replaced, as the palette does: the select shows what is sent.
    current: fitChoices(last, spec),
  };
}

/** The studio's Generate button (parseFromWebview has checked the choices). */
export async function generateFromStudio(services: Services, prompt: string, choices: GenerationChoices): Promise<void> {
  const { aspectRatio, imageSize, count } = choices;
  const style = findStyle(availableStyles(services.log), choices.styleId);
  const applied = applyStyle(style, prompt.trim());
  await rememberChoices(services.workspaceState, readSettings(), { aspectRatio, imageSize, count, styleId: style?.id ?? NO_STYLE_ID });
  const references = services.references.all().map((r) => r.path);
  const records = await runGeneration(services, {
    prompt: applied.finalPrompt,
    userPrompt: prompt.trim(),
    styleName: applied.styleName,
    options: { aspectRatio, imageSize, count },
    references: references.length ? references : undefined,
  }, { document: services.markdown.document() });
  if (records?.length) services.references.clear();
}

export async function addReferenceFromDialog(services: Services): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Use as Reference'),
    filters: { [vscode.l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (picked?.length) services.references.add(picked.map((u) => u.fsPath));
}

/** What the panel's buttons do. */
export async function runImageAction(services: Services, action: ImageAction, record: GalleryRecord): Promise<void> {
  const uri = vscode.Uri.file(record.path);
  switch (action) {
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Active });
      return;
    case 'reveal':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    case 'insert': {
      const editor = await services.markdown.editor();
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a markdown file to insert the image into.'));
        return;
      }
      await insertImageLinks(editor, [{ path: record.path, prompt: record.prompt }], undefined, { announce: true });
      return;
    }
    case 'copyLink': {
      const active = vscode.window.activeTextEditor;
      const doc = active && isMarkdown(active.document) ? active.document : undefined;
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Relative to the markdown file when one is open, else to the workspace folder's root.
      const from = doc?.uri.fsPath ?? (folder ? vscode.Uri.joinPath(folder.uri, 'README.md').fsPath : record.path);
      const link = imageLinkFor(record.prompt, from, record.path);
      await vscode.env.clipboard.writeText(link);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', link), 4000);
      return;
    }
    case 'copyPrompt':
      await vscode.env.clipboard.writeText(record.prompt);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied.'), 4000);
      await services.gallery.setPrompt(record.prompt, { aspectRatio: record.aspectRatio });
      return;
    case 'regenerate': {
      const settings = readSettings();
      await runGeneration(services, {
        prompt: record.prompt,
        styleName: record.styleName,
        options: {
          aspectRatio: record.aspectRatio ?? settings.aspectRatio,
          imageSize: record.imageSize ?? settings.imageSize,
          count: 1,
        },
        references: record.references,
      }, { besideImage: record.path });
      return;
    }
    case 'refine': {
      if (!(await services.gallery.canRefine(record))) {
        // Never offered for a conversation that is gone: the card loses its Refine.
        await services.gallery.update(record.id, { refinable: false });
        void vscode.window.showInformationMessage(vscode.l10n.t('This image\'s conversation is no longer stored, so it cannot be refined. Use Regenerate, or Edit Image with Prompt... with it as the source.'));
        return;
      }
      const instruction = await vscode.window.showInputBox({
        title: vscode.l10n.t('Refine "{0}"', record.prompt.length > 60 ? `${record.prompt.slice(0, 60)}…` : record.prompt),
        placeHolder: vscode.l10n.t('What should change? e.g. "make the sky orange"'),
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The instruction cannot be empty.')),
      });
      if (!instruction?.trim()) return;
      const settings = readSettings();
      await runGeneration(services, {
        prompt: instruction.trim(),
        options: { aspectRatio: record.aspectRatio ?? settings.aspectRatio, imageSize: settings.imageSize, count: 1 },
        refineOf: record,
      });
      return;
    }
    case 'useAsReference':
      services.references.add([record.path]);
      services.gallery.show();
      vscode.window.setStatusBarMessage(vscode.l10n.t('Added as a reference for the next image.'), 4000);
      return;
    case 'describe': {
      const text = await askAboutImage(services, record.path, describeQuestion(), vscode.l10n.t('Describing the image…'));
      if (!text) return;
      await services.gallery.update(record.id, { description: text });
      return;
    }
    case 'useAsAltText':
      await useAsAltText(services.markdown.document(), record.path, record.description);
      return;
    case 'delete': {
      const trash = vscode.l10n.t('Move to Trash');
      const picked = await vscode.window.showWarningMessage(vscode.l10n.t('Delete {0}?', vscode.workspace.asRelativePath(uri)), { modal: true, detail: record.prompt }, trash);
      if (picked !== trash) return;
      const name = vscode.workspace.asRelativePath(uri);
      const isGone = (e: unknown) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound';
      const outcome = await deleteWithTrashFallback(vscode.workspace.fs, uri, isGone, async (e) => {
        // Some file systems (code-server, remote, web) have no trash: a second, explicit question,
        // Keep first (the default); the file system's words, with their URIs, go to the log.
        services.log.warn(`${record.path} cannot go to the trash: ${(e as Error).message}`);
        const keep = vscode.l10n.t('Keep');
        const permanently = vscode.l10n.t('Delete Permanently');
        const question = inertLinks(vscode.l10n.t('There is no trash here, so {0} can only be deleted for good: keep it, or delete it permanently?', name));
        return (await vscode.window.showWarningMessage(question, { modal: true }, keep, permanently)) === permanently;
      });
      if (outcome === 'kept') return;
      const useTrash = outcome === 'trashed';
      // A JPEG/WebP's prompt lives in a sidecar beside it: it goes with the image.
      await vscode.workspace.fs.delete(vscode.Uri.file(sidecarPathFor(record.path)), { useTrash }).then(undefined, () => undefined);
      // Its conversation goes with it (unless another image of the same reply is kept).
      await services.gallery.remove(record.id);
      return;
    }
  }
}
