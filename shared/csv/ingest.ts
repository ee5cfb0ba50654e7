/**
 * Streaming ingest: any Readable of CSV bytes (a local file, an S3 object body) → a validated,
 * compact Portfolio. The raw file is never held in memory: papaparse parses chunk by chunk and
 * each row is validated (zod) and stored column-wise as it arrives.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import type { DateFormat, PartnerSettings } from '../config/settings.js';
import { FileError } from '../domain/codes.js';
import { type Portfolio, PortfolioBuilder } from '../domain/portfolio.js';
import { type RawRow, subscriptionRowSchema, validateRow } from '../domain/subscription-row.js';
import { type ColumnName, type HeaderMap, mapHeaders } from './columns.js';
import { CsvDecoder } from './decode.js';

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 2_000_000;

export interface IngestOptions {
  settings: PartnerSettings;
  /** Overrides the partner's `date_format` (the CLI's --date-format). */
  dateFormat?: DateFormat | undefined;
  maxBytes?: number | undefined;
  maxRows?: number | undefined;
  /** Called as bytes flow, for a progress bar. */
  onBytes?: ((total: number) => void) | undefined;
}

export interface IngestResult {
  portfolio: Portfolio;
  delimiter: string;
  encoding: 'utf-8' | 'windows-1252';
  headers: HeaderMap;
}

type Delimiter = ',' | ';' | '\t';

export async function ingest(source: Readable, options: IngestOptions): Promise<IngestResult> {
  const decoder = new CsvDecoder({ maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, onBytes: options.onBytes });
  const flowing = pipeline(source, decoder).catch((error: unknown) => {
    throw toFileError(error);
  });
  flowing.catch(() => undefined); // surfaced through the parse below
  try {
    const { text: firstLine, delimiter } = await readHeaderLine(decoder);
    const parsed = await parse(decoder, firstLine, delimiter, options);
    await flowing;
    return { ...parsed, delimiter, encoding: decoder.encoding };
  } catch (error) {
    decoder.destroy();
    // The decoder's own failure (size, encoding) explains more than what it broke downstream.
    const upstream = await flowing.then(() => undefined, (e: unknown) => e);
    throw toFileError(upstream ?? error);
  }
}

/**
 * Reads text up to the end of the header line, puts it back, and tells the delimiter: the
 * header has no commas inside names, so counting there is reliable. Excel's "sep=;" first line
 * is honoured and dropped.
 */
async function readHeaderLine(text: CsvDecoder): Promise<{ text: string; delimiter: Delimiter }> {
  let head = '';
  while (!/\r|\n/.test(head)) {
    const chunk = text.read() as string | null;
    if (chunk !== null) {
      head += chunk;
      continue;
    }
    if (text.readableEnded || text.destroyed) break;
    const ended = await Promise.race([once(text, 'readable').then(() => false), once(text, 'end').then(() => true)]);
    if (ended && text.readableLength === 0) break;
  }
  const sep = /^sep=(.)\r?\n/i.exec(head);
  if (sep) head = head.slice(sep[0].length);
  const line = head.split(/\r?\n|\r/, 1)[0] ?? '';
  const delimiter = (sep?.[1] as Delimiter | undefined) ?? detectDelimiter(line);
  return { text: head, delimiter };
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

function parse(text: CsvDecoder, firstText: string, delimiter: Delimiter, options: IngestOptions): Promise<Omit<IngestResult, 'delimiter' | 'encoding'>> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const settings = options.settings;
  return new Promise((resolve, reject) => {
    let recordIndex = 0;
    let headers: HeaderMap | undefined;
    let headerWidth = 0;
    let builder: PortfolioBuilder | undefined;
    let schema: ReturnType<typeof subscriptionRowSchema> | undefined;
    let columns: [ColumnName, number][] = [];
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
        throw new FileError(
          'missing_columns',
          `Required column${headers.missing.length > 1 ? 's' : ''} missing: ${headers.missing.join(', ')}. ` +
            `Headers found: ${found.length ? found.map((h) => `"${h}"`).join(', ') : 'none'}` +
            (found.length === 1 && delimiter === ',' ? ' (is the file delimited by commas, semicolons or tabs?)' : '') +
            '. See the README for the accepted column names.',
        );
      }
      columns = Object.entries(headers.index) as [ColumnName, number][];
      schema = subscriptionRowSchema(delimiter === ';');
      builder = new PortfolioBuilder({
        partnerCountry: settings.country,
        dateFormat: options.dateFormat ?? settings.date_format,
        discontinuedOffers: settings.discontinued_offers,
        labels: headers.header,
      });
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
      if (builder!.rowsRead >= maxRows) {
        throw new FileError('too_many_rows', `The file has more than ${maxRows.toLocaleString('en-US')} data rows, the limit; split it into smaller files.`);
      }
      const raw: RawRow = {};
      for (const [name, index] of columns) raw[name] = record[index];
      if (unterminated) {
        builder!.reject(rowNumber, raw, [{ column: '', code: 'unterminated_quote' }]);
        return;
      }
      const result = validateRow(schema!, raw);
      if (!result.ok) {
        builder!.reject(rowNumber, raw, result.problems);
        return;
      }
      let extra = 0;
      for (let i = headerWidth; i < record.length; i++) if (record[i]!.trim() !== '') extra++;
      builder!.add(rowNumber, result.row, raw, extra);
    };

    text.unshift(firstText);
    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (failed) return;
        try {
          const unterminatedAt = new Set(results.errors.filter((e) => e.code === 'MissingQuotes').map((e) => e.row));
          const rows = results.data;
          for (let i = 0; i < rows.length; i++) onRecord(rows[i]!, unterminatedAt.has(i));
        } catch (error) {
          fail(error); // before abort(): abort() runs complete() at once
          parser.abort();
        }
      },
      complete() {
        if (failed) return;
        if (!headers) return fail(new FileError('empty_file', 'The file has no header row: it is empty or blank.'));
        const portfolio = builder!.finish();
        if (portfolio.stats.dataRows === 0) {
          return fail(new FileError('no_rows', 'The file has a header row but no data rows.'));
        }
        resolve({ portfolio, headers });
      },
      error(error: Error) {
        fail(error);
      },
    });
  });
}

function isBlank(record: string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false;
  return true;
}

function toFileError(error: unknown): unknown {
  if (error instanceof FileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new FileError('unreadable', `The file does not exist: ${(error as NodeJS.ErrnoException).path ?? ''}`.trim());
  if (code === 'EACCES' || code === 'EISDIR') {
    return new FileError('unreadable', `The file cannot be read (${code === 'EISDIR' ? 'it is a folder' : 'permission denied'}).`);
  }
  return error;
}
