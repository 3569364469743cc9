// The failures that are not the Gemini API's (a file we cannot read, a reference that is not an
// image, a destination we cannot use, a conversation that cannot continue), and the one list of
// codes every error carries. `message` is English, for the log; the front end words the code.
import type { GeminiErrorKind } from '../gemini/errors';

export type DestinationErrorCode =
  | 'outsideWorkspace'
  | 'unknownVariable'
  | 'needsDocument'
  /** A folder we cannot write to (or create). */
  | 'notWritable'
  /** Every numbered name (`name.png` to `name-999.png`) is taken. */
  | 'noFreeName';

export type ConversationErrorCode =
  /** Another base URL than the conversation's. */
  | 'baseUrlChanged'
  /** The same base URL with another key. */
  | 'keyChanged'
  | 'modelChanged'
  /** An image of an earlier turn cannot be read. */
  | 'imageMissing'
  /** An image of an earlier turn is not the one the server sent (edited since). */
  | 'imageChanged'
  /** The reply was parsed with thoughtImages: 'discard', so its turn cannot be sent back. */
  | 'draftsDiscarded'
  /** The turns are not a conversation that can continue (no model turn last, no parts...). */
  | 'notRefinable';

export type StudioErrorCode =
  /** A local file (a reference, an image to describe) could not be read. */
  | 'fileUnreadable'
  /** A reference or an image to describe is not a PNG, JPEG or WebP image. */
  | 'notAnImage'
  | DestinationErrorCode
  | ConversationErrorCode;

/** Every code an error of ours carries: GeminiError's kinds and StudioError's codes. */
export type ErrorCode = GeminiErrorKind | StudioErrorCode;

export interface StudioErrorDetails {
  /** The file's name or path, for the message. */
  file?: string;
  /** What the code is about: the destination, the variable, the folder. */
  detail?: string;
}

export class StudioError<C extends StudioErrorCode = StudioErrorCode> extends Error {
  override readonly name: string = 'StudioError';

  constructor(
    readonly code: C,
    message: string,
    readonly details: StudioErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
