// Makes the images the stand-in server sends: a placeholder picture, or noise of a target size.
import { randomBytes } from 'node:crypto';
import { encodeJpegBlocks } from './jpeg';
import { encodePng, pngFromScanlines } from './png';
import { renderRgb, renderScaled, type Design } from './render';
import { encodeWebpLossless } from './webp';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';
export const IMAGE_MIMES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/webp'];

export interface ImageSpec extends Design {
  mimeType: ImageMime;
  width: number;
  height: number;
  /** Approximate file size wanted: the picture becomes incompressible noise. */
  targetBytes?: number;
}

export interface MadeImage {
  bytes: Buffer;
  mimeType: ImageMime;
  width: number;
  height: number;
}

/** Pixels rendered per output pixel, per side: keeps 2K and 4K as cheap as 1K. */
function scaleFor(width: number, height: number): number {
  const pixels = width * height;
  return pixels <= 2_500_000 ? 1 : pixels <= 10_000_000 ? 2 : 4;
}

export function makeImage(spec: ImageSpec): MadeImage {
  if (spec.targetBytes !== undefined) return makeNoise(spec, spec.targetBytes);
  const { width, height, mimeType } = spec;
  const scale = scaleFor(width, height);
  let bytes: Buffer;
  if (mimeType === 'image/png') {
    bytes = encodePng(width, height, renderScaled(width, height, scale, spec));
  } else if (mimeType === 'image/jpeg') {
    bytes = encodeJpegBlocks(width, height, renderRgb(Math.ceil(width / 8), Math.ceil(height / 8), spec));
  } else {
    bytes = encodeWebpLossless(width, height, renderScaled(width, height, scale * 2, spec));
  }
  return { bytes, mimeType, width, height };
}

/** Same aspect ratio as asked, as many pixels as it takes to reach about `target` bytes. */
function noiseSize(spec: ImageSpec, bytesPerPixel: number, target: number): { width: number; height: number } {
  const pixels = Math.max(1, target / bytesPerPixel);
  const scale = Math.sqrt(pixels / (spec.width * spec.height));
  const width = Math.max(1, Math.min(16384, Math.round(spec.width * scale)));
  const height = Math.max(1, Math.min(16384, Math.round(pixels / width)));
  return { width, height };
}

function makeNoise(spec: ImageSpec, target: number): MadeImage {
  const { mimeType } = spec;
  if (mimeType === 'image/jpeg') {
    // The picture itself, padded with random bytes in APP15 segments (decoders skip them).
    const blocks = renderRgb(Math.ceil(spec.width / 8), Math.ceil(spec.height / 8), spec);
    const padding: Buffer[] = [];
    let left = target - encodeJpegBlocks(spec.width, spec.height, blocks).length;
    while (left > 4) {
      const piece = Math.min(65_533, left - 4);
      padding.push(randomBytes(piece));
      left -= piece + 4;
    }
    return { bytes: encodeJpegBlocks(spec.width, spec.height, blocks, padding), mimeType, width: spec.width, height: spec.height };
  }
  if (mimeType === 'image/webp') {
    const { width, height } = noiseSize(spec, 3, target); // alpha is one symbol: 0 bits
    return { bytes: encodeWebpLossless(width, height, randomBytes(width * height * 3)), mimeType, width, height };
  }
  const { width, height } = noiseSize(spec, 3, target);
  const stride = width * 3 + 1;
  const lines = randomBytes(stride * height);
  for (let y = 0; y < height; y++) lines[y * stride] = 0; // filter: None
  return { bytes: pngFromScanlines(width, height, lines, 0), mimeType, width, height };
}
