/**
 * Bytes → text for an uploaded CSV, as a stream: checks what the file really is before any of it
 * is parsed, and enforces the size limit while it flows.
 *
 * - UTF-8 with or without BOM (the BOM is dropped).
 * - Windows-1252 (Excel's plain "CSV" on Windows): when bytes are not valid UTF-8 and no valid
 *   multi-byte character came before, the file is decoded as Windows-1252 from there on. Up to
 *   that point the text was ASCII, which both encodings read alike.
 * - UTF-16, binary files, workbooks/archives/PDF and empty files are file-level failures.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { FileError } from '../domain/codes.js';

const SNIFF_BYTES = 8 * 1024;

export interface DecodeOptions {
  maxBytes: number;
  onBytes?: ((total: number) => void) | undefined;
}

export class CsvDecoder extends Transform {
  private sniffed = false;
  private head: Buffer[] = [];
  private headLength = 0;
  private total = 0;
  private decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private sawMultiByte = false;
  /** Trailing non-ASCII bytes of the last chunk, which the UTF-8 decoder holds back. */
  private tail: Buffer = Buffer.alloc(0);
  /** Whether any text has gone out yet. */
  private pushed = false;
  /** What the file turned out to be; read after the stream ends. */
  encoding: 'utf-8' | 'windows-1252' = 'utf-8';
  /** Invalid UTF-8 after valid multi-byte text: replaced by U+FFFD. */
  replacedBytes = false;

  constructor(private readonly options: DecodeOptions) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    this.options.onBytes?.(this.total);
    if (this.total > this.options.maxBytes) {
      done(
        new FileError(
          'too_large',
          `The file is over the size limit of ${formatLimit(this.options.maxBytes)}; split it into smaller files.`,
        ),
      );
      return;
    }
    try {
      if (!this.sniffed) {
        this.head.push(chunk);
        this.headLength += chunk.length;
        if (this.headLength < SNIFF_BYTES) {
          done();
          return;
        }
        this.sniff(Buffer.concat(this.head));
        chunk = Buffer.concat(this.head);
        this.head = [];
      }
      this.pushText(chunk, true);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.sniffed) {
        const all = Buffer.concat(this.head);
        this.sniff(all);
        this.pushText(all, true);
      }
      this.pushText(Buffer.alloc(0), false);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private pushText(bytes: Buffer, more: boolean): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: more });
    } catch {
      // Invalid UTF-8. Before any multi-byte character, the file is really Windows-1252.
      if (!this.sawMultiByte) {
        this.encoding = 'windows-1252';
        this.decoder = new TextDecoder('windows-1252');
        bytes = Buffer.concat([this.tail, bytes]);
      } else {
        this.replacedBytes = true;
        // Still at the start of the file (nothing pushed yet): its BOM is dropped as usual.
        this.decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: this.pushed });
      }
      text = this.decoder.decode(bytes, { stream: more });
    }
    if (!this.sawMultiByte && this.encoding === 'utf-8') {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every ASCII character, controls included
      if (/[^\x00-\x7f]/.test(text)) this.sawMultiByte = true;
      let start = bytes.length;
      while (start > 0 && bytes.length - start < 3 && bytes[start - 1]! >= 0x80) start--;
      this.tail = Buffer.from(bytes.subarray(start));
    }
    if (text.length > 0) {
      this.pushed = true;
      this.push(text);
    }
  }

  private sniff(head: Buffer): void {
    this.sniffed = true;
    if (head.length === 0) throw new FileError('empty_file', 'The file is empty.');
    const b0 = head[0];
    const b1 = head[1];
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      throw new FileError(
        'utf16_file',
        'The file is UTF-16 (Excel "Unicode Text"). Save it as "CSV UTF-8 (Comma delimited)" and upload again.',
      );
    }
    const magic = head.subarray(0, 4).toString('latin1');
    if (magic === 'PK\x03\x04') {
      throw new FileError(
        'not_csv',
        'The file is an Excel workbook or zip archive, not CSV. Save it as "CSV UTF-8 (Comma delimited)" and upload again.',
      );
    }
    if (magic === '%PDF' || magic === '\xd0\xcf\x11\xe0' || magic.startsWith('\x1f\x8b')) {
      throw new FileError(
        'not_csv',
        'The file is a PDF, an old Excel workbook or a compressed file, not CSV. ' +
          'Save it as "CSV UTF-8 (Comma delimited)" and upload again.',
      );
    }
    // A UTF-8 byte-order mark says what the file is: a stray invalid byte later is replaced,
    // never a reason to re-read the file (and its BOM) as Windows-1252.
    if (b0 === 0xef && b1 === 0xbb && head[2] === 0xbf) this.sawMultiByte = true;
    if (looksLikeUtf16(head)) {
      throw new FileError(
        'utf16_file',
        'The file looks like UTF-16 text without a byte-order mark. Save it as "CSV UTF-8 (Comma delimited)" and upload again.',
      );
    }
    let control = 0;
    for (let i = 0; i < head.length; i++) {
      const b = head[i]!;
      if (b === 0) throw new FileError('binary_file', 'The file is binary, not a CSV text file.');
      if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
    }
    if (control > head.length / 100) throw new FileError('binary_file', 'The file is binary, not a CSV text file.');
  }
}

/** Mostly pairs of one NUL and one printable ASCII byte, always in the same order. */
function looksLikeUtf16(head: Buffer): boolean {
  let le = 0;
  let be = 0;
  const pairs = Math.floor(head.length / 2);
  const printable = (b: number) => (b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d);
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i + 1] === 0 && printable(head[i]!)) le++;
    else if (head[i] === 0 && printable(head[i + 1]!)) be++;
  }
  return pairs > 0 && Math.max(le, be) >= pairs * 0.8;
}

/** A limit as people read it, with the exact figure when rounding hides it: "977 KB (1,000,000 bytes)". */
export function formatLimit(bytes: number): string {
  const short = formatBytes(bytes);
  return short.endsWith(' bytes') ? short : `${short} (${bytes.toLocaleString('en-US')} bytes)`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
