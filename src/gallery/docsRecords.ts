// An image the docs made (quick fix, CodeLens, Now, Batch) as a gallery record, like any other
// image. A regenerate writes over the same path: its record replaces the old one's as the next
// version of the same card, with the new prompt, size and style.
import { randomUUID } from 'node:crypto';
import type { ImageMetadata } from '../core/imageMetadata';
import { mimeTypeForPath } from '../core/imageType';
import { estimateCost, type PriceOverrides } from '../core/models';
import type { AspectRatio, ImageSize } from '../gemini/types';
import type { GalleryRecord } from '../shared/gallery';

export interface DocsImageWritten {
  /** Absolute path of the file written. */
  path: string;
  /** The metadata written into it. */
  meta: ImageMetadata;
  byteLength: number;
  /** Made through the Batch API (half price). */
  batch?: boolean;
  priceOverrides?: PriceOverrides;
  /** Dollars the reply's usage gave, when it gave them (else the price table's estimate). */
  cost?: number;
}

export interface DocsRecordChange {
  record: GalleryRecord;
  /** Records of the same path that the new one replaces (its earlier versions). */
  replaces: string[];
}

export function docsRecord(written: DocsImageWritten, existing: readonly GalleryRecord[], now = new Date()): DocsRecordChange {
  const { meta } = written;
  const earlier = existing.filter((r) => r.path === written.path);
  const latest = earlier.reduce<GalleryRecord | undefined>((a, r) => (!a || (r.version ?? 1) > (a.version ?? 1) ? r : a), undefined);
  const userPrompt = meta.userPrompt ?? meta.prompt;
  const model = meta.model ?? '';
  const imageSize = meta.imageSize as ImageSize | undefined;
  const cost = written.cost ?? (model ? estimateCost({ model, imageSize, images: 1, batch: written.batch, overrides: written.priceOverrides }) : undefined);
  const record: GalleryRecord = {
    id: randomUUID(),
    path: written.path,
    prompt: userPrompt,
    model,
    aspectRatio: meta.aspectRatio as AspectRatio | undefined,
    imageSize,
    width: meta.width,
    height: meta.height,
    byteLength: written.byteLength,
    mimeType: mimeTypeForPath(written.path),
    createdAt: meta.createdAt ?? now.toISOString(),
    texts: [],
    styleName: meta.style,
    sentPrompt: meta.prompt !== userPrompt ? meta.prompt : undefined,
    ...(latest ? { conversationId: latest.conversationId ?? latest.id, version: (latest.version ?? 1) + 1 } : {}),
    ...(cost === undefined ? {} : { cost }),
  };
  return { record, replaces: earlier.map((r) => r.id) };
}
