// What an image is, from its mime type and its first bytes; and its size, from its header.

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

const BY_MIME: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export const EXTENSION: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' };
export const MIME_TYPE: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** The image files the extension reads and writes, by extension (without the dot). */
export const IMAGE_FILE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const;
const IMAGE_FILE = /\.(png|jpe?g|webp)$/i;

export function isImageFileName(name: string): boolean {
  return IMAGE_FILE.test(name);
}

/** The MIME type a file name implies (PNG when it implies none we know). */
export function mimeTypeForPath(name: string): string {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1].toLowerCase() ?? '';
  return MIME_TYPE[BY_EXTENSION[ext] ?? 'png'];
}

const BY_EXTENSION: Record<string, ImageFormat> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp', gif: 'gif' };

/** The MIME type of the bytes, for replies that name none. */
export function sniffMimeType(head: Uint8Array): string | undefined {
  const format = sniffImageFormat(head);
  return format && MIME_TYPE[format];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format the bytes actually have, whatever the reply claimed. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | undefined {
  if (head.length >= 8 && PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return 'gif';
  return undefined;
}

/** The format to save as: the bytes decide when they are recognisable, else the declared type. */
export function imageFormat(mimeType: string | undefined, head: Uint8Array): ImageFormat | undefined {
  return sniffImageFormat(head) ?? BY_MIME[(mimeType ?? '').toLowerCase().split(';')[0].trim()];
}

export interface ImageDimensions {
  width: number;
  height: number;
}

/** Width and height from the header of a PNG, JPEG, WebP or GIF; undefined when unreadable. */
export function imageDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  const format = sniffImageFormat(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (format) {
      case 'png':
        return { width: view.getUint32(16), height: view.getUint32(20) };
      case 'gif':
        return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
      case 'webp':
        return webpDimensions(bytes, view);
      case 'jpeg':
        return jpegDimensions(bytes, view);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

function webpDimensions(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  const chunk = ascii(bytes, 12, 16);
  if (chunk === 'VP8X') return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
  if (chunk === 'VP8L') {
    const b = view.getUint32(21, true);
    return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  return undefined;
}

function jpegDimensions(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1];
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
