/**
 * Reading a CSV: any Readable of bytes (a local file, an S3 object body) → decoded text → records
 * (papaparse, chunk by chunk) → rows validated with zod → a RowSink, in file order. The raw file
 * is never held in memory. ingest.ts hands the rows to a portfolio builder, here or on another
 * thread.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } from '../config/service.js';
import { FileError, type RowCode } from '../domain/codes.js';
import type { ColumnName } from '../domain/columns.js';
import type { Day } from '../domain/dates.js';
import type { DateFormat, PartnerSettings } from '../domain/partner-settings.js';
import { type RawRow, type SubscriptionRow, subscriptionRowSchema } from '../domain/subscription-row.js';
import { CsvDecoder } from './decode.js';
import { HEADER_ALIASES, type HeaderMap, mapHeaders, suggestHeaders } from './header-aliases.js';
import { RowValidator } from './row-validator.js';

export interface IngestOptions {
  settings: PartnerSettings;
  /** The day the file is planned as of: a status that contradicts it is warned about. */
  today: Day;
  /** Overrides the partner's `date_format` (the CLI's --date-format). */
  dateFormat?: DateFormat | undefined;
  maxBytes?: number | undefined;
  maxRows?: number | undefined;
  /** Called as bytes flow, for a progress bar. */
  onBytes?: ((total: number) => void) | undefined;
  /** The file's size when known: the portfolio is sized for it from its first rows. */
  sizeBytes?: number | undefined;
}

/** Rows read before the file's row count is estimated from its size. */
const ESTIMATE_AFTER_ROWS = 2_000;

export type Delimiter = ',' | ';' | '\t';

/**
 * What ingest hands each record to: the portfolio builder itself, or (worker/row-log.ts) a log of
 * the same calls that another thread replays into it.
 */
export interface RowSink<T> {
  readonly rowsRead: number;
  blank(): void;
  reject(rowNumber: number, raw: RawRow, problems: RowProblem[]): void;
  add(rowNumber: number, row: SubscriptionRow, raw: RawRow, extraFields: number): void;
  reserve(rows: number): void;
  finish(): T;
}

/** The sink for a file, once its header is read; `validator` is the one its rows go through. */
export type MakeSink<T> = (headers: HeaderMap, delimiter: Delimiter, validator: RowValidator) => RowSink<T>;

/** The validator of a file's rows: its columns, and its delimiter's number convention. */
export function rowValidator(headers: HeaderMap, delimiter: Delimiter): RowValidator {
  return new RowValidator(subscriptionRowSchema(delimiter === ';'), Object.entries(headers.index) as [ColumnName, number][]);
}

export type RowProblem = { column: ColumnName | ''; code: RowCode; detail?: string };

export interface ReadRows<T> {
  result: T;
  delimiter: string;
  encoding: 'utf-8' | 'windows-1252';
  headers: HeaderMap;
}

/**
 * Decodes, parses and validates `source`, handing each record to the sink `makeSink` returns
 * once the header is read; throws FileError for file-level failures.
 */
export async function readRows<T>(source: Readable, options: IngestOptions, makeSink: MakeSink<T>): Promise<ReadRows<T>> {
  const decoder = new CsvDecoder({ maxBytes: options.maxBytes ?? MAX_UPLOAD_BYTES, onBytes: options.onBytes });
  const flowing = pipeline(source, decoder).catch((error: unknown) => {
    throw toFileError(error);
  });
  flowing.catch(() => undefined); // surfaced through the parse below
  try {
    const { text: firstText, delimiter, newline, ended } = await readHeaderLine(decoder);
    // A file without a line break has ended by now: papaparse reads the head alone (an ended
    // stream cannot take the head back, and papaparse would not know it is a stream).
    if (!ended) decoder.unshift(firstText);
    const text = ended ? Readable.from([firstText]) : decoder;
    const parsed = await parse(text, delimiter, newline, options, makeSink);
    await flowing;
    return { ...parsed, delimiter, encoding: decoder.encoding };
  } catch (error) {
    decoder.destroy();
    // The decoder's own failure (size, encoding) explains more than what it broke downstream.
    const upstream = await flowing.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw toFileError(upstream ?? error);
  }
}

/**
 * A record (a line, or lines held together by quotes) longer than this never ends: a quote was
 * opened and not closed. Excel's cells hold at most 32,767 characters. Without the limit
 * papaparse would re-scan the open record on every chunk: hours on a large file.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** Lines of only spaces, delimiters and quotes: blank records, skipped before the header. */
const BLANK_LINE = /^[\s,;"]*$/;

/**
 * The first complete line of `text` from `from` that is not blank, or where to look next. Line
 * breaks are searched from `scanned` on: the text before it was searched already.
 */
function firstLine(text: string, from: number, scanned = from): { line?: string; newline?: string; start: number; end: number } {
  const breaks = /\r\n|\n|\r(?!$)/g; // a CR at the very end may be half of a CRLF
  breaks.lastIndex = Math.max(from, scanned);
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    const line = text.slice(from, m.index);
    const end = m.index + m[0].length;
    if (!BLANK_LINE.test(line)) return { line, newline: m[0], start: from, end };
    from = end;
  }
  return { start: from, end: from };
}

/**
 * Reads text up to the end of the header line (the first line that is not blank), puts it
 * back, and tells the delimiter and the line break: the header has no delimiters or line breaks
 * inside names, so both are reliable there. Excel's "sep=;" first line is honoured and dropped.
 */
async function readHeaderLine(
  text: CsvDecoder,
): Promise<{ text: string; delimiter: Delimiter; newline: string | undefined; ended: boolean }> {
  let head = '';
  let from = 0;
  let ended = false;
  let sep: { delimiter: string; end: number } | undefined;
  let header: ReturnType<typeof firstLine> | undefined;
  let scanned = 0;
  for (;;) {
    const found = firstLine(head, from, scanned);
    from = found.start;
    scanned = Math.max(from, head.length - 1);
    if (found.line !== undefined) {
      const sepLine = !sep && found.start === 0 ? /^sep=(.)$/i.exec(found.line) : null;
      if (!sepLine) {
        header = found;
        break;
      }
      sep = { delimiter: sepLine[1]!, end: found.end };
      from = found.end;
      continue;
    }
    if (ended || head.length > MAX_RECORD_CHARS) break;
    const chunk = text.read() as string | null;
    if (chunk !== null) {
      head += chunk;
      continue;
    }
    if (text.readableEnded || text.destroyed) {
      ended = true;
      continue;
    }
    const waiting = new AbortController(); // then the listener that lost the race is removed
    const end = await Promise.race([
      once(text, 'readable', { signal: waiting.signal }).then(() => false),
      once(text, 'end', { signal: waiting.signal }).then(() => true),
    ]);
    waiting.abort();
    if (end && text.readableLength === 0) ended = true;
  }
  const line = header?.line ?? head.slice(from);
  const delimiter = (sep?.delimiter as Delimiter | undefined) ?? detectDelimiter(line);
  // A quoted header name with a line break inside: papaparse guesses the line break instead.
  const newline = header && (line.split('"').length - 1) % 2 === 0 ? header.newline : undefined;
  return { text: sep ? head.slice(sep.end) : head, delimiter, newline, ended };
}

export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ',');
  return best;
}

function parse<T>(
  text: Readable,
  delimiter: Delimiter,
  newline: string | undefined,
  options: IngestOptions,
  makeSink: MakeSink<T>,
): Promise<{ result: T; headers: HeaderMap }> {
  const maxRows = options.maxRows ?? MAX_UPLOAD_ROWS;
  return new Promise((resolve, reject) => {
    let recordIndex = 0;
    let headers: HeaderMap | undefined;
    let headerWidth = 0;
    let builder: RowSink<T> | undefined;
    let validator: RowValidator | undefined;
    let columns: [ColumnName, number][] = [];
    let view: ReturnType<typeof recordView> | undefined;
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };

    const onHeader = (record: string[]) => {
      headers = mapHeaders(record);
      headerWidth = record.length;
      if (headers.missing.length > 0) {
        const found = record.map((h) => h.trim()).filter(Boolean);
        const suggested = suggestHeaders(headers.missing, headers.ignored);
        const missing = headers.missing.map((name) => {
          const header = suggested.get(name);
          return header ? `${name} (is "${header}" it? Name it ${[name, ...HEADER_ALIASES[name].slice(0, 1)].join(' or ')})` : name;
        });
        throw new FileError(
          'missing_columns',
          `Required column${headers.missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}. ` +
            `Headers found: ${found.length ? found.map((h) => `"${h}"`).join(', ') : 'none'}` +
            (found.length === 1 && delimiter === ',' ? ' (is the file delimited by commas, semicolons or tabs?)' : '') +
            '. See the README for the accepted column names.',
        );
      }
      columns = Object.entries(headers.index) as [ColumnName, number][];
      validator = rowValidator(headers, delimiter);
      view = recordView(columns);
      builder = makeSink(headers, delimiter, validator);
    };

    const onRecord = (record: string[], unterminated: boolean) => {
      recordIndex++;
      const rowNumber = recordIndex; // the header is spreadsheet row 1
      if (!headers) {
        if (isBlank(record)) return; // blank lines before the header
        onHeader(record);
        return;
      }
      if (isBlank(record)) {
        builder!.blank();
        return;
      }
      if (builder!.rowsRead >= maxRows) throw tooManyRows(maxRows);
      const raw = view!.show(record);
      if (unterminated) {
        // The open quote is in the record's last field: name its column when the planner reads it.
        const open = columns.find(([, index]) => index === record.length - 1)?.[0] ?? '';
        builder!.reject(rowNumber, raw, [{ column: open, code: 'unterminated_quote' }]);
        return;
      }
      const result = validator!.validate(record);
      if (!result.ok) {
        builder!.reject(rowNumber, raw, result.problems);
        return;
      }
      let extra = 0;
      for (let i = headerWidth; i < record.length; i++) if (record[i]!.trim() !== '') extra++;
      builder!.add(rowNumber, result.row, raw, extra);
    };

    /** Characters handed to papaparse; what it has not parsed yet is the open record. */
    let fed = 0;
    /** The chunks from the start of the open record on, to name its columns if it runs away. */
    const recent: { start: number; text: string }[] = [];
    let runaway: (RawRow & { open: ColumnName | '' }) | undefined;
    text.on('data', (chunk: string) => {
      recent.push({ start: fed, text: chunk });
      fed += chunk.length;
    });

    /** The fields of the open record up to its first 64 K characters; the last is still open. */
    const openRecord = (cursor: number): RawRow & { open: ColumnName | '' } => {
      const from = cursor - recent[0]!.start;
      const start = recent
        .map((c) => c.text)
        .join('')
        .slice(from, from + 65_536);
      const fields = Papa.parse<string[]>(start, { delimiter, newline: newline as Papa.ParseConfig['newline'], preview: 1 }).data[0] ?? [];
      const raw: RawRow & { open: ColumnName | '' } = { open: '' };
      for (const [name, index] of columns) {
        raw[name] = fields[index];
        if (index === fields.length - 1) raw.open = name;
      }
      return raw;
    };

    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
      delimiter,
      newline: newline as Papa.ParseConfig['newline'],
      header: false,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (failed) return;
        try {
          const unterminatedAt = new Set(results.errors.filter((e) => e.code === 'MissingQuotes').map((e) => e.row));
          const rows = results.data;
          const before = builder?.rowsRead ?? 0;
          for (let i = 0; i < rows.length; i++) onRecord(rows[i]!, unterminatedAt.has(i));
          const cursor = results.meta.cursor;
          if (options.sizeBytes && builder && before < ESTIMATE_AFTER_ROWS && builder.rowsRead >= ESTIMATE_AFTER_ROWS) {
            const perRow = cursor / recordIndex; // characters a record so far, about bytes a row
            builder.reserve(Math.min(maxRows, Math.ceil((options.sizeBytes / perRow) * 1.02)));
          }
          while (recent.length > 1 && recent[1]!.start <= cursor) recent.shift();
          if (fed - cursor > MAX_RECORD_CHARS) {
            // The open record will not end: stop parsing (complete() reports it), read the rest
            // unparsed so the size limit still holds.
            runaway = openRecord(cursor);
            recent.length = 0;
            text.removeAllListeners('data');
            parser.abort();
            text.resume();
          }
        } catch (error) {
          fail(error); // before abort(): abort() runs complete() at once
          parser.abort();
        }
      },
      complete() {
        if (failed) return;
        if (runaway) {
          const limit = MAX_RECORD_CHARS.toLocaleString('en-US');
          if (!headers)
            return fail(
              new FileError(
                'missing_columns',
                `No header row: the first line runs over ${limit} characters. See the README for the accepted column names.`,
              ),
            );
          if (builder!.rowsRead >= maxRows) return fail(tooManyRows(maxRows));
          const { open, ...raw } = runaway;
          builder!.reject(recordIndex + 1, raw, [{ column: open, code: 'unterminated_quote' }]);
        }
        if (!headers) return fail(new FileError('empty_file', 'The file has no header row: it is empty or blank.'));
        if (builder!.rowsRead === 0) return fail(new FileError('no_rows', 'The file has a header row but no data rows.'));
        resolve({ result: builder!.finish(), headers });
      },
      error(error: Error) {
        fail(error);
      },
    });
  });
}

/**
 * The record as a RawRow, for messages about its cells: one object per file whose getters read
 * the current record, instead of an object per row (the builder reads it only to describe a
 * problem, and keeps copies of what it shows).
 */
function recordView(columns: readonly [ColumnName, number][]): { show(record: readonly string[]): RawRow } {
  let current: readonly string[] = [];
  const view: RawRow = {};
  for (const [name, index] of columns) Object.defineProperty(view, name, { get: () => current[index], enumerable: true });
  return {
    show(record) {
      current = record;
      return view;
    },
  };
}

function tooManyRows(maxRows: number): FileError {
  return new FileError(
    'too_many_rows',
    `The file has more than ${maxRows.toLocaleString('en-US')} data rows, the limit; split it into smaller files.`,
  );
}

function isBlank(record: string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false;
  return true;
}

export function toFileError(error: unknown): unknown {
  if (error instanceof FileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return new FileError('unreadable', `The file does not exist: ${(error as NodeJS.ErrnoException).path ?? ''}`.trim());
  if (code === 'EACCES' || code === 'EISDIR') {
    return new FileError('unreadable', `The file cannot be read (${code === 'EISDIR' ? 'it is a folder' : 'permission denied'}).`);
  }
  return error;
}
