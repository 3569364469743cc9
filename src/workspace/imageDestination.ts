// Deciding where the images of one generation go, before anything is sent.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DestinationError, resolveDestination } from '../core/destination';
import { promptSlug } from '../core/fileNames';
import type { Settings } from '../config';
import type { ImageTarget } from '../generation/ports';
import { isMarkdown } from './markdownInsert';
import { checkWritableFolder } from './writableFolder';
import { assertReallyInside } from './realPath';
import { IMAGE_FILE_EXTENSIONS } from '../core/imageType';

export type { ImageTarget };

/**
 * Undefined when the user dismissed the save dialog. Throws DestinationError. `besideImage`: the
 * result of a refine, regenerate or edit goes in its source's folder, whatever the destination says.
 */
export async function chooseImageTarget(settings: Settings, prompt: string, forDocument: vscode.TextDocument | undefined, besideImage?: string, now = new Date()): Promise<ImageTarget | undefined> {
  if (besideImage) {
    const dir = path.dirname(besideImage);
    await ensureWritable(dir);
    return { targetPath: (ext) => path.join(dir, `${promptSlug(prompt)}.${ext}`), tempDir: dir };
  }
  const document = forDocument?.uri.scheme === 'file' ? forDocument : undefined;
  const folder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');

  if (!folder) {
    const base = document ? path.dirname(document.uri.fsPath) : os.homedir();
    const picked = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('No folder is open: where should the image be saved?'),
      defaultUri: vscode.Uri.file(path.join(base, `${promptSlug(prompt)}.png`)),
      filters: { [vscode.l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
      saveLabel: vscode.l10n.t('Save Image Here'),
    });
    if (!picked) return undefined;
    const chosen = picked.fsPath;
    const stem = chosen.slice(0, chosen.length - path.extname(chosen).length);
    await ensureWritable(path.dirname(chosen));
    return { targetPath: (ext) => `${stem}.${ext}`, tempDir: path.dirname(chosen) };
  }

  const resolve = (ext: string) => {
    const result = resolveDestination({
      pattern: settings.destination,
      workspaceFolder: folder.uri.fsPath,
      documentPath: document?.uri.fsPath,
      isMarkdown: !!document && isMarkdown(document),
      prompt,
      ext,
      model: settings.model,
      now,
      allowOutsideWorkspace: settings.allowOutsideWorkspace,
    });
    if (!result.ok) throw new DestinationError(result.reason, result.detail);
    return result.path;
  };
  const tempDir = path.dirname(resolve('png'));
  // Checked before the folder is created (mkdir would follow a link) and again after.
  if (!settings.allowOutsideWorkspace) await assertReallyInside(folder.uri.fsPath, tempDir);
  await ensureWritable(tempDir);
  if (!settings.allowOutsideWorkspace) await assertReallyInside(folder.uri.fsPath, tempDir);
  return { targetPath: resolve, tempDir };
}

/** Checks that we may write there, before any request is sent; the folder itself comes with the first image. */
export async function ensureWritable(dir: string): Promise<void> {
  await checkWritableFolder(dir);
}
