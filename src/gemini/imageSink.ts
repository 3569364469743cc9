// Where decoded image bytes go while a reply is parsed: the parser never holds an image itself.

/** Receives decoded image bytes as they arrive. H is whatever the sink makes (a temp file, a Buffer). */
export interface ImageSink<H> {
  begin(): ImageWriter<H>;
}

export interface ImageWriter<H> {
  /** write() is done with its bytes once it has returned (or its promise settled): it keeps none. */
  readonly keepsNoBytes?: boolean;
  /**
   * Decoded bytes, in order. Each call gets a fresh buffer the writer may keep. The parser awaits a
   * returned promise (backpressure) before it reads on.
   */
  write(bytes: Uint8Array): void | Promise<void>;
  /** The image is complete and kept: mimeType as the reply said it; `thought` for a draft image. */
  finish(mimeType: string, part?: { thought: boolean }): Promise<H>;
  /** The image is not wanted (the parse failed, or it turned out empty or superseded): drop what was written. */
  discard(): Promise<void>;
}

/**
 * Keeps each image in memory. For tests and image-understanding calls; for a generated image a
 * file sink is better, since finishing here briefly holds the pieces and the joined copy.
 */
export function memorySink(): ImageSink<Buffer> {
  return {
    begin(): ImageWriter<Buffer> {
      let pieces: Uint8Array[] = [];
      return {
        write(bytes) {
          pieces.push(bytes);
        },
        async finish() {
          const joined = Buffer.concat(pieces);
          pieces = [];
          return joined;
        },
        async discard() {
          pieces = [];
        },
      };
    },
  };
}
