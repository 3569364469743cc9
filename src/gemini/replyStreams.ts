// The two kinds of streamed strings in a model turn: an inlineData `data` (pure base64) and a text
// part, which may carry images as `data:image/...;base64,` URLs (some relays do that).

import { B64_DATA, B64_INVALID, B64_PAD, BASE64_CLASS, Base64Decoder } from './base64Decoder';
import { GeminiError } from './errors';
import type { ImageWriter } from './imageSink';
import { ByteBudget, ByteBuilder, type StringStream } from './jsonScanner';

/** An image being written; it stands in the built JSON where its base64 was. */
export class PendingImage {
  readonly decoder: Base64Decoder;
  /** The first bytes, to tell the type when the reply gives none. */
  head = Buffer.alloc(0);
  settled = false;

  constructor(
    readonly writer: ImageWriter<unknown>,
    /** The type named by a data URL. */
    readonly urlMimeType: string | undefined,
    onBytes: (image: PendingImage, bytes: Buffer) => void,
  ) {
    const onDecoded = (bytes: Buffer) => {
      if (this.head.length < 16) this.head = Buffer.concat([this.head, bytes.subarray(0, 16 - this.head.length)]);
      onBytes(this, bytes);
    };
    this.decoder = new Base64Decoder(onDecoded, { jsonRaw: true, recycle: writer.keepsNoBytes });
  }

  get byteLength(): number {
    return this.decoder.byteLength;
  }
}

export interface ImageStarter {
  begin(urlMimeType?: string): PendingImage;
}

/** A text part with data-URL images: segments[i] + base64 of images[i] + segments[i + 1] ... */
export class TextWithImages {
  constructor(
    /** One more than images; segment i ends with the `data:image/x;base64,` prefix of image i. */
    readonly segments: string[],
    readonly prefixLengths: number[],
    readonly images: PendingImage[],
  ) {}

  /** The words around the images, without the data URLs and their `![alt](...)` wrapping. */
  remainingText(): string {
    const { segments, prefixLengths } = this;
    let out = '';
    let wrapped = false;
    for (let i = 0; i < segments.length; i++) {
      let seg = segments[i];
      if (wrapped) seg = seg.slice(1);
      wrapped = false;
      if (i < prefixLengths.length) {
        seg = seg.slice(0, seg.length - prefixLengths[i]);
        const open = markdownImageOpening(seg);
        if (open >= 0 && segments[i + 1].startsWith(')')) {
          seg = seg.slice(0, open);
          wrapped = true;
        }
      }
      out += seg;
    }
    return out;
  }
}

/** Where a trailing `![alt](` starts (alt without `]`, from the last `![`), or -1. */
export function markdownImageOpening(text: string): number {
  if (!text.endsWith('](')) return -1;
  const close = text.length - 2;
  const open = text.lastIndexOf('![', close - 1);
  if (open < 0 || text.lastIndexOf(']', close - 1) >= open + 2) return -1;
  return open;
}

/** `data` of an inlineData: all of it is the image's base64. */
export class ImageDataStream implements StringStream {
  constructor(private readonly image: PendingImage) {}

  raw(buf: Buffer, start: number, end: number): void {
    this.image.decoder.push(buf, start, end);
  }

  escaped(code: number): void {
    this.image.decoder.pushChar(code);
  }

  end(): unknown {
    this.image.decoder.end();
    return this.image;
  }
}

const URL_PREFIX = 'data:image/';
const URL_MARK = ';base64,';
const MAX_SUBTYPE = 32;

function isSubtypeChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x2b || c === 0x2d;
}

/**
 * Finds `data:image/<subtype>;base64,` in a stream of characters, with the same results as
 * /data:image\/([A-Za-z0-9.+-]{1,32});base64,/g over the whole text.
 */
export class DataUrlMatcher {
  private phase = 0;
  private at = 0;
  private seen: number[] = [];
  subtype = '';
  /** Characters of the last complete prefix. */
  prefixLength = 0;

  /** True when a complete prefix ends with this character. */
  feed(c: number): boolean {
    if (this.phase === 0 && this.at === 0 && c !== 0x64) return false;
    this.seen.push(c);
    if (this.phase === 0) {
      if (c === URL_PREFIX.charCodeAt(this.at)) {
        if (++this.at === URL_PREFIX.length) {
          this.phase = 1;
          this.subtype = '';
        }
        return false;
      }
    } else if (this.phase === 1) {
      if (isSubtypeChar(c) && this.subtype.length < MAX_SUBTYPE) {
        this.subtype += String.fromCharCode(c);
        return false;
      }
      if (c === 0x3b && this.subtype.length > 0) {
        this.phase = 2;
        this.at = 1;
        return false;
      }
    } else if (c === URL_MARK.charCodeAt(this.at)) {
      if (++this.at === URL_MARK.length) {
        this.prefixLength = this.seen.length;
        this.reset();
        return true;
      }
      return false;
    }
    // No match from this start: try again from the next character (only ever a few dozen).
    const again = this.seen.slice(1);
    this.reset();
    let done = false;
    for (const x of again) done = this.feed(x);
    return done;
  }

  private reset(): void {
    this.phase = 0;
    this.at = 0;
    this.seen = [];
  }
}

function controlCharacter(): GeminiError {
  return new GeminiError('badResponse', 'Invalid JSON: control character in a string');
}

/**
 * A text part. Plain text is collected (as UTF-8 bytes, decoded at ASCII boundaries); the base64
 * of a data URL goes straight to an image writer, so a text part holding a 12 MB image costs no
 * more than an inlineData part. A URL ends at the first character outside the base64 alphabet
 * (`=` only at its end), as in /[A-Za-z0-9+\/_-]*=*\/.
 */
export class TextStream implements StringStream {
  private readonly bytes = new ByteBuilder();
  private text = '';
  private readonly segments: string[] = [];
  private readonly prefixLengths: number[] = [];
  private readonly images: PendingImage[] = [];
  private readonly matcher = new DataUrlMatcher();
  private image: PendingImage | undefined;
  private runLength = 0;
  private padded = false;

  constructor(
    private readonly starter: ImageStarter,
    private readonly budget: ByteBudget,
  ) {}

  raw(buf: Buffer, start: number, end: number): void {
    while (start < end) start = this.image ? this.base64Span(buf, start, end) : this.textSpan(buf, start, end);
  }

  escaped(code: number): void {
    if (this.image) {
      const cls = code < 0x80 ? BASE64_CLASS[code] : B64_INVALID;
      if ((cls === B64_DATA && !this.padded) || cls === B64_PAD) {
        if (cls === B64_PAD) this.padded = true;
        this.runLength++;
        this.image.decoder.pushChar(code);
        return;
      }
      this.closeDataUrl();
    }
    this.budget.add(1);
    this.text += this.bytes.take() + String.fromCharCode(code);
    if (this.matcher.feed(code)) this.openDataUrl();
  }

  end(): unknown {
    if (this.image) this.closeDataUrl();
    const last = this.text + this.bytes.take();
    if (this.images.length === 0) return last;
    this.segments.push(last);
    return new TextWithImages(this.segments, this.prefixLengths, this.images);
  }

  private textSpan(buf: Buffer, start: number, end: number): number {
    const matcher = this.matcher;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c < 0x20) throw controlCharacter();
      if (matcher.feed(c)) {
        this.keep(buf, start, i + 1);
        this.openDataUrl();
        return i + 1;
      }
    }
    this.keep(buf, start, end);
    return end;
  }

  private keep(buf: Buffer, start: number, end: number): void {
    this.budget.add(end - start);
    this.bytes.append(buf, start, end);
  }

  private base64Span(buf: Buffer, start: number, end: number): number {
    let i = start;
    for (; i < end; i++) {
      const cls = BASE64_CLASS[buf[i]];
      if (cls === B64_DATA && !this.padded) continue;
      if (cls !== B64_PAD) break;
      this.padded = true;
    }
    if (i > start) {
      this.runLength += i - start;
      (this.image as PendingImage).decoder.push(buf, start, i);
    }
    if (i < end) this.closeDataUrl();
    return i;
  }

  private openDataUrl(): void {
    this.segments.push(this.text + this.bytes.take());
    this.prefixLengths.push(this.matcher.prefixLength);
    this.text = '';
    this.image = this.starter.begin(`image/${this.matcher.subtype}`);
    this.runLength = 0;
    this.padded = false;
  }

  private closeDataUrl(): void {
    const image = this.image as PendingImage;
    this.image = undefined;
    if (this.runLength === 0) {
      // "data:image/png;base64," followed by nothing: it stays text (the writer is discarded at the end).
      this.text = (this.segments.pop() as string) + this.text;
      this.prefixLengths.pop();
      return;
    }
    image.decoder.end();
    this.images.push(image);
  }
}
