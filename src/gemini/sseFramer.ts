// Server-sent events (the HTML standard's event stream format) read as bytes: the value of each
// `data:` line is handed on as raw spans the moment it arrives, so an event carrying a 12 MB image
// is never held whole. Lines end with CRLF, LF or CR; `:` lines are comments (keep-alives);
// `event`, `id`, `retry` and unknown fields are read past. A blank line ends an event; so does the
// end of the stream (Google's SDK accepts a last event without its blank line, and so do we).

/** What the framer reports, in order. */
export interface SseHandler {
  /** Bytes of a data line's value (never the line end); one line may come in many spans. */
  data(buf: Buffer, start: number, end: number): void;
  /** A second or later data line starts in this event: its value follows a line feed. */
  dataLineBreak(): void;
  /** The event is complete (only events with at least one data line are reported). */
  eventEnd(): void;
}

/** The longest field name we read; longer names are not ours and are skipped. */
const MAX_FIELD = 16;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = Buffer.from('data');
const BOM = [0xef, 0xbb, 0xbf];

const S_LINE_START = 0;
const S_FIELD = 1;
const S_VALUE_START = 2;
const S_DATA = 3;
const S_SKIP = 4;

/** Where the line that goes on at `from` ends (its CR or LF), or `n`: native scans, as a data line may be megabytes. */
function lineEnd(buf: Buffer, from: number, n: number): number {
  let end = buf.indexOf(LF, from);
  if (end < 0 || end > n) end = n;
  const cr = buf.indexOf(CR, from);
  return cr >= 0 && cr < end ? cr : end;
}

export class SseFramer {
  private state = S_LINE_START;
  private readonly field = Buffer.alloc(MAX_FIELD);
  private fieldLength = 0;
  private fieldTooLong = false;
  /** The previous byte was a CR: a following LF belongs to the same line end. */
  private afterCr = false;
  private dataLines = 0;
  private atStreamStart = true;
  private bomBytes = 0;

  constructor(private readonly handler: SseHandler) {}

  /** Whether an event has begun (a data line seen) and not yet ended. */
  get inEvent(): boolean {
    return this.dataLines > 0;
  }

  write(buf: Buffer): void {
    let i = 0;
    const n = buf.length;
    while (i < n) {
      const c = buf[i];
      if (this.atStreamStart) {
        // A UTF-8 byte order mark before the first field is dropped, as the standard says.
        if (c === BOM[this.bomBytes]) {
          if (++this.bomBytes === BOM.length) this.atStreamStart = false;
          i++;
          continue;
        }
        this.atStreamStart = false;
      }
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case S_LINE_START:
          if (c === CR || c === LF) {
            this.blankLine();
            this.lineEnd(c);
          } else if (c === COLON) {
            this.state = S_SKIP;
          } else {
            this.fieldLength = 0;
            this.fieldTooLong = false;
            this.state = S_FIELD;
            continue;
          }
          i++;
          break;
        case S_FIELD:
          if (c === COLON) {
            this.state = S_VALUE_START;
          } else if (c === CR || c === LF) {
            // A field without a colon has an empty value ("data" alone is an empty data line).
            this.fieldWithoutValue();
            this.lineEnd(c);
          } else if (this.fieldLength < MAX_FIELD) {
            this.field[this.fieldLength++] = c;
          } else {
            this.fieldTooLong = true;
          }
          i++;
          break;
        case S_VALUE_START:
          if (this.isData()) {
            this.startDataLine();
            this.state = S_DATA;
            if (c === SPACE) i++;
          } else {
            this.state = S_SKIP;
          }
          break;
        case S_DATA: {
          let j = lineEnd(buf, i, n);
          if (j > i) this.handler.data(buf, i, j);
          if (j < n) {
            this.lineEnd(buf[j]);
            j++;
          }
          i = j;
          break;
        }
        case S_SKIP: {
          let j = lineEnd(buf, i, n);
          if (j < n) {
            this.lineEnd(buf[j]);
            j++;
          }
          i = j;
          break;
        }
      }
    }
  }

  /** The stream ended: an event still open is complete. */
  end(): void {
    if (this.state === S_FIELD) this.fieldWithoutValue();
    if (this.dataLines > 0) this.dispatch();
    this.state = S_LINE_START;
  }

  private isData(): boolean {
    return !this.fieldTooLong && this.fieldLength === DATA.length && DATA.equals(this.field.subarray(0, this.fieldLength));
  }

  private startDataLine(): void {
    if (this.dataLines > 0) this.handler.dataLineBreak();
    this.dataLines++;
  }

  private fieldWithoutValue(): void {
    if (this.isData()) this.startDataLine();
  }

  private lineEnd(c: number): void {
    this.state = S_LINE_START;
    this.afterCr = c === CR;
  }

  private blankLine(): void {
    if (this.dataLines > 0) this.dispatch();
  }

  private dispatch(): void {
    this.dataLines = 0;
    this.handler.eventEnd();
  }
}
