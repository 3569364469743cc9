// Before alt text replaces a docs image's alt text, the prompt it held moves into a
// `<!-- gemini-image -->` comment above the link, with the options the image was made with, so
// the image stays current and a regenerate makes the same picture.
import type { ImageMetadata } from '../core/imageMetadata';
import { findImageLinks, type ImageLink } from './imageLinks';
import { altPrompt, DIRECTIVE, imageSpecOf } from './imageSpec';

export interface TextInsertion {
  /** Offset in the document. */
  offset: number;
  text: string;
}

const KEY_LINE = /^\s*(prompt|aspect-ratio|aspect|ratio|size|image-size|model|style|references?)\s*:/i;

/** The link that covers `offset` (a cursor on it). */
export function imageLinkAtOffset(text: string, offset: number): ImageLink | undefined {
  return findImageLinks(text).find((l) => offset >= l.start && offset <= l.end);
}

/**
 * Where the prompt must be kept before the alt text changes: undefined when the alt text is not
 * the prompt of an image we made (no metadata of ours, another prompt, or a comment holds it already).
 * `keep` is false when the link does not start its line, so no comment can belong to it.
 */
export function promptToKeep(text: string, link: ImageLink, meta: ImageMetadata | undefined): { keep: true; insertion: TextInsertion } | { keep: false } | undefined {
  if (!meta) return undefined;
  const prompt = altPrompt(link.rawAlt);
  if (!prompt || imageSpecOf(link).prompt !== prompt || (meta.userPrompt ?? meta.prompt) !== prompt) return undefined;
  const lineStart = text.lastIndexOf('\n', link.start - 1) + 1;
  const indent = text.slice(lineStart, link.start);
  if (!/^[ \t]*$/.test(indent)) return { keep: false };
  const named = link.comment ? imageSpecOf(link).options : {};
  const promptLine = (KEY_LINE.test(prompt) ? `prompt: ${prompt}` : prompt).replace(/-->/g, '-- >');
  const options: string[] = [];
  if (meta.aspectRatio && !named.aspectRatio) options.push(`aspect-ratio: ${meta.aspectRatio}`);
  if (meta.imageSize && !named.imageSize) options.push(`size: ${meta.imageSize}`);
  if (meta.style && !named.style) options.push(`style: ${meta.style}`);
  if (link.comment && isOurs(link.comment.text)) {
    // Our comment with options only: the prompt (and what it lacks) goes in after its first line.
    const lines = text.split('\n');
    const first = link.comment.startLine;
    const offset = lines.slice(0, first + 1).reduce((n, l) => n + l.length + 1, 0);
    const body = [promptLine, ...options].map((l) => `${indent}${l}\n`).join('');
    const opener = lines[first];
    // A one-line `<!-- gemini-image size: 2K -->`: the prompt goes in before its end.
    if (opener.trimEnd().endsWith('-->')) return { keep: true, insertion: { offset: offset - 1 - (opener.length - opener.lastIndexOf('-->')), text: `\n${body}${indent}` } };
    return { keep: true, insertion: { offset, text: body } };
  }
  const comment = [`<!-- ${DIRECTIVE}`, promptLine, ...options, '-->'].map((l) => `${indent}${l}\n`).join('');
  return { keep: true, insertion: { offset: lineStart, text: comment } };
}

function isOurs(comment: string): boolean {
  return new RegExp(`^\\s*${DIRECTIVE}(?=\\s|$)`).test(comment);
}
