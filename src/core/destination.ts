// Where a generated image goes: a pattern with variables, in the spirit of
// `markdown.copyFiles.destination`, resolved to an absolute path inside the workspace.
import * as path from 'node:path';
import { promptSlug } from './fileNames';
import { StudioError, type DestinationErrorCode } from './studioError';

export const DEFAULT_MARKDOWN_DESTINATION = '${documentDirName}/images/${promptSlug}.${ext}';
export const DEFAULT_DESTINATION = '${workspaceFolder}/images/${promptSlug}.${ext}';

export interface DestinationInput {
  /** The setting; empty means the default for the context. */
  pattern: string;
  /** The workspace folder that will hold the image (absolute). */
  workspaceFolder: string;
  /** The document the image is for, when there is a file-backed one (absolute). */
  documentPath?: string;
  isMarkdown: boolean;
  prompt: string;
  /** Without the dot. */
  ext: string;
  model: string;
  now: Date;
  /** The user allowed destinations outside the workspace. */
  allowOutsideWorkspace?: boolean;
}

export type DestinationResult =
  | { ok: true; path: string }
  | { ok: false; reason: 'outsideWorkspace' | 'unknownVariable' | 'needsDocument'; detail: string };

const VARIABLE = /\$\{([A-Za-z]+)\}/g;

export function resolveDestination(input: DestinationInput): DestinationResult {
  const pattern = input.pattern.trim() || (input.isMarkdown && input.documentPath ? DEFAULT_MARKDOWN_DESTINATION : DEFAULT_DESTINATION);
  const doc = input.documentPath;
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = input.now;
  const values: Record<string, string | undefined> = {
    workspaceFolder: input.workspaceFolder,
    documentDirName: doc && path.dirname(doc),
    documentFileName: doc && path.basename(doc),
    documentBaseName: doc && path.basename(doc, path.extname(doc)),
    documentRelativeDirName: doc && path.relative(input.workspaceFolder, path.dirname(doc)),
    promptSlug: promptSlug(input.prompt),
    ext: input.ext,
    model: input.model.replace(/[^A-Za-z0-9._-]/g, '-'),
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
  };

  let failure: DestinationResult | undefined;
  let resolved = pattern.replace(VARIABLE, (whole, name: string) => {
    if (!(name in values)) {
      failure ??= { ok: false, reason: 'unknownVariable', detail: whole };
      return '';
    }
    const value = values[name];
    if (value === undefined) {
      failure ??= { ok: false, reason: 'needsDocument', detail: whole };
      return '';
    }
    return value;
  });
  if (failure) return failure;

  // A folder (trailing slash) or a name without extension gets the slug and the extension.
  if (/[\\/]$/.test(resolved)) resolved += `${values.promptSlug}.${input.ext}`;
  else if (!path.extname(resolved)) resolved += `.${input.ext}`;

  const absolute = path.resolve(input.workspaceFolder, resolved);
  if (!input.allowOutsideWorkspace && !isInside(input.workspaceFolder, absolute)) {
    return { ok: false, reason: 'outsideWorkspace', detail: absolute };
  }
  return { ok: true, path: absolute };
}

export function isInside(folder: string, candidate: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(candidate));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The destination cannot be used; `detail` is the path or the variable at fault. */
export class DestinationError extends StudioError<DestinationErrorCode> {
  override readonly name = 'DestinationError';
  constructor(
    readonly reason: DestinationErrorCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(reason, `${reason}: ${detail}`, { detail }, options);
  }
}

/** Every numbered name for `file` is taken: typed, so the user reads which, not "the reply could not be read". */
export function noFreeName(file: string, tries: number): DestinationError {
  return new DestinationError('noFreeName', file, { cause: new Error(`${tries} numbered names taken`) });
}
