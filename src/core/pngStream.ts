// A PNG's chunk layout, followed as its bytes stream past without keeping them: which chunk
// types it has, and whether it ends with IEND exactly, so text chunks can be added in place.

export class PngChunkWatcher {
  private seen = 0;
  /** Where the next chunk's 8-byte header starts (after the 8-byte signature). */
  private nextHeader = 8;
  private readonly header = Buffer.alloc(8);
  private headerBytes = 0;
  private lastType = '';
  private lastEnd = 0;
  readonly types = new Set<string>();

  feed(bytes: Uint8Array): void {
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      const at = this.seen + i;
      if (at < this.nextHeader) {
        i += Math.min(n - i, this.nextHeader - at);
        continue;
      }
      const take = Math.min(8 - this.headerBytes, n - i);
      this.header.set(bytes.subarray(i, i + take), this.headerBytes);
      this.headerBytes += take;
      i += take;
      if (this.headerBytes === 8) {
        const type = this.header.toString('latin1', 4, 8);
        this.types.add(type);
        this.lastType = type;
        this.lastEnd = this.nextHeader = this.nextHeader + 12 + this.header.readUInt32BE(0);
        this.headerBytes = 0;
      }
    }
    this.seen += n;
  }

  /** The last chunk is IEND and the bytes end with it. */
  endsWithIend(): boolean {
    return this.lastType === 'IEND' && this.lastEnd === this.seen && this.headerBytes === 0;
  }
}

/** The 12 bytes of an IEND chunk (its CRC is fixed). */
export const IEND_CHUNK = Uint8Array.of(0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82);
