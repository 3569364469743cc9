// Every path an agent sends, resolved against the server's root: lexically inside it, then with
// symbolic links followed (a link in the repository cannot lead a write or a read out of it).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { resolveToolImagePath } from '../../core/toolPaths';
import { isImageFileName } from '../../core/imageType';
import { staysInside } from '../../workspace/realPath';

/** A refusal the agent reads (an error result), never a crash of the server. */
export class ToolRefusal extends Error {}

export class RootPaths {
  constructor(readonly root: string) {}

  private get folders() {
    return [{ name: path.basename(this.root), path: this.root }];
  }

  /** Relative to the root, posix, as the agent should name it back. */
  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/') || '.';
  }

  private async reallyInside(abs: string, input: string): Promise<void> {
    const { inside, real } = await staysInside(this.root, abs);
    if (!inside) throw new ToolRefusal(`${input} leads outside the project root${real && real !== abs ? ` (to ${real}, through a symbolic link)` : ''}. Give a path inside ${this.root}; nothing was read or written.`);
  }

  /** Where a new image may go: an image file name inside the root (.png added when there is no extension). */
  async imageTarget(input: unknown, field: string): Promise<string> {
    const text = typeof input === 'string' ? input : '';
    const result = resolveToolImagePath(text, this.folders, { addExtension: true });
    if (!result.ok) {
      if (result.reason === 'outsideWorkspace') throw new ToolRefusal(`${field} ${text} is outside the project root. Give a path inside ${this.root}, relative to it; nothing was written.`);
      if (result.reason === 'notAnImage') throw new ToolRefusal(`${field} ${text} is not a PNG, JPEG or WebP file name. Use .png, .jpg or .webp.`);
      throw new ToolRefusal(`${field} is empty: give a path relative to the project root, such as docs/images/cover.png.`);
    }
    await this.reallyInside(result.path, text);
    return result.path;
  }

  /** An existing image of the project, to read. */
  async existingImage(input: unknown, field: string): Promise<string> {
    const abs = await this.existing(input, field);
    if (!isImageFileName(abs)) throw new ToolRefusal(`${field} ${String(input)} is not a PNG, JPEG or WebP image.`);
    return abs;
  }

  /** An existing file or folder inside the root. */
  async existing(input: unknown, field: string): Promise<string> {
    const text = typeof input === 'string' ? input.trim() : '';
    if (!text) throw new ToolRefusal(`${field} is empty: give a path relative to the project root.`);
    const abs = path.resolve(this.root, text);
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ToolRefusal(`${field} ${text} is outside the project root. Give a path inside ${this.root}, relative to it; nothing was read.`);
    await this.reallyInside(abs, text);
    if (!existsSync(abs)) throw new ToolRefusal(`${field} ${text} does not exist in the project.`);
    return abs;
  }

  /** Markdown files or folders for the docs tools; default: the whole root. */
  async docsPaths(input: unknown): Promise<string[]> {
    if (input === undefined || (Array.isArray(input) && input.length === 0)) return [this.root];
    if (!Array.isArray(input)) throw new ToolRefusal('paths must be an array of paths relative to the project root.');
    return Promise.all(input.map((p) => this.existing(p, 'paths:')));
  }
}
