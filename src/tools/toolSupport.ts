// What both language model tools share: the trust rule, the path rule, and failures worded for the
// agent that called the tool (it reads them and tells the user, or retries with other input).
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { resolveToolImagePath, type WorkspaceFolderLike } from '../core/toolPaths';
import { isGeminiError } from '../gemini/errors';
import type { Services } from '../services';
import { describeError } from '../commands/errorMessages';
import { wordsContext } from '../commands/reportError';
import { staysInsideAny } from '../workspace/realPath';

/** Thrown to the agent: VS Code passes the message on to the language model. */
export class ToolRefusal extends Error {}

export function untrustedRefusal(): string {
  return vscode.l10n.t(
    'Refused: this workspace is not trusted. Text in an untrusted repository could steer a chat agent into spending the user\'s Gemini credit and writing files, so the Gemini image tools only run in trusted workspaces. Ask the user to trust the folder (Workspaces: Manage Workspace Trust) and try again.',
  );
}

export function assertTrusted(): void {
  if (!vscode.workspace.isTrusted) throw new ToolRefusal(untrustedRefusal());
}

export function workspaceFolders(): WorkspaceFolderLike[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

/**
 * The absolute path for a tool's `file_path`, or a refusal that says what to send instead. Inside
 * the workspace by its real path, as the commands check: `images/` may be a link out of it.
 */
export async function toolImagePath(filePath: unknown, addExtension: boolean): Promise<string> {
  const allowOutsideWorkspace = readSettings().allowOutsideWorkspace;
  const folders = workspaceFolders();
  const result = resolveToolImagePath(typeof filePath === 'string' ? filePath : '', folders, { allowOutsideWorkspace, addExtension });
  if (result.ok) {
    if (allowOutsideWorkspace || (await staysInsideAny(folders.map((f) => f.path), result.path))) return result.path;
    throw new ToolRefusal(vscode.l10n.t('{0} is outside the workspace. Give a path inside the workspace, relative to its root.', String(filePath)));
  }
  switch (result.reason) {
    case 'empty':
      throw new ToolRefusal(vscode.l10n.t('file_path is empty: give a workspace-relative path to an image file, such as docs/images/diagram.png.'));
    case 'noWorkspace':
      throw new ToolRefusal(vscode.l10n.t('No folder is open in VS Code, so there is no workspace to save images in. Ask the user to open a folder.'));
    case 'outsideWorkspace':
      throw new ToolRefusal(vscode.l10n.t('{0} is outside the workspace. Give a path inside the workspace, relative to its root.', result.detail));
    case 'notAnImage':
      throw new ToolRefusal(vscode.l10n.t('{0} is not a PNG, JPEG or WebP file name. Use a .png, .jpg or .webp path.', result.detail));
  }
}

export async function toolApiKey(services: Services): Promise<string> {
  const key = await services.keys.get();
  if (!key) throw new ToolRefusal(vscode.l10n.t('No Gemini API key is set. Ask the user to run "Gemini Image: Set API Key" (or to set GEMINI_API_KEY), then try again.'));
  return key;
}

/** Any failure as one sentence for the agent; details went to the log. */
export function toToolError(services: Services, e: unknown, model: string): Error {
  if (e instanceof ToolRefusal) return e;
  services.log.error(`A language model tool failed: ${(e as Error)?.stack ?? e}`);
  if (isGeminiError(e) && e.code === 'cancelled') return new ToolRefusal(vscode.l10n.t('The user cancelled the request. Do not retry unless the user asks.'));
  const described = describeError(e, wordsContext({ settings: readSettings(), model, log: services.log }));
  // An error we have no words for: its own message says more to the agent than "see the log".
  return new ToolRefusal(described.actions.length === 1 && described.actions[0] === 'showLog' && e instanceof Error && !isGeminiError(e) ? e.message : described.text);
}
