// Failures that are not the Gemini API's: a file we cannot read, a reference that is not an image.
// `message` is English, for the log; the front end words it from `code` and `details`.

export type StudioErrorCode =
  /** A local file (a reference, an earlier refine turn) could not be read. */
  | 'fileUnreadable'
  /** A reference is not a PNG, JPEG or WebP image. */
  | 'notAnImage';

export interface StudioErrorDetails {
  /** The file's name (not its path). */
  file?: string;
}

export class StudioError extends Error {
  override readonly name = 'StudioError';

  constructor(
    readonly code: StudioErrorCode,
    message: string,
    readonly details: StudioErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
