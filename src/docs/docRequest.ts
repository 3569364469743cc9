// One docs image as a generateContent request and as the metadata its file will carry. The same in
// both modes: a batch line holds exactly the request an interactive call would send.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ImageMetadata } from '../core/imageMetadata';
import { MIME_TYPE, sniffImageFormat } from '../core/imageType';
import { METADATA_VERSION } from '../core/pngMetadata';
import { applyStyle, BUILTIN_STYLES, findStyle, type ImageStyle } from '../core/styles';
import { GeminiError } from '../gemini/errors';
import { buildImageRequest } from '../gemini/request';
import type { AspectRatio, GenerateContentRequest, ImageSize, Part } from '../gemini/types';
import type { FillDefaults, PlannedImage } from './plan';
import { resolveLinkTarget } from './targets';

export interface DocRequest {
  model: string;
  request: GenerateContentRequest;
  meta: ImageMetadata;
}

export async function docRequest(image: PlannedImage, root: string, defaults: FillDefaults, styles: readonly ImageStyle[] = BUILTIN_STYLES, now = new Date()): Promise<DocRequest> {
  const { spec } = image;
  const style = findStyle(styles, spec.options.style);
  const applied = applyStyle(style, spec.prompt);
  const aspectRatio = (spec.options.aspectRatio ?? defaults.aspectRatio) as AspectRatio | undefined;
  const imageSize = (spec.options.imageSize ?? defaults.imageSize) as ImageSize | undefined;
  const references = await referenceParts(spec.options.references ?? [], image.sites[0].document, root);
  const request = buildImageRequest({ prompt: applied.finalPrompt, model: image.model, aspectRatio, imageSize, references });
  const meta: ImageMetadata = { version: METADATA_VERSION, prompt: applied.finalPrompt, model: image.model, createdAt: now.toISOString() };
  if (applied.styleName) {
    meta.userPrompt = spec.prompt;
    meta.style = applied.styleName;
  }
  // What was asked, defaults included, as Generate Image records it: a later `size:` compares with it.
  if (aspectRatio) meta.aspectRatio = aspectRatio;
  if (imageSize) meta.imageSize = imageSize;
  return { model: image.model, request, meta };
}

/** Reference images as inline parts; each must be an image inside the workspace. */
async function referenceParts(references: string[], document: string, root: string): Promise<Part[]> {
  const parts: Part[] = [];
  for (const ref of references) {
    const file = resolveLinkTarget(document, ref, root);
    if (!file) throw new GeminiError('badRequest', `The reference ${ref} is not an image inside the workspace.`, { serverMessage: 'badReference' });
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch {
      throw new GeminiError('badRequest', `The reference ${path.relative(root, file)} cannot be read.`, { serverMessage: 'badReference' });
    }
    const format = sniffImageFormat(bytes);
    if (!format) throw new GeminiError('badRequest', `The reference ${path.relative(root, file)} is not a PNG, JPEG or WebP image.`, { serverMessage: 'badReference' });
    parts.push({ inlineData: { mimeType: MIME_TYPE[format], data: bytes.toString('base64') } });
  }
  return parts;
}
