/**
 * Streaming ingest: any Readable of CSV bytes (a local file, an S3 object body) → a validated,
 * compact Portfolio. A row reader (read-rows.ts on this thread, or csv/worker/ on a worker thread)
 * reads and validates the rows; the portfolio builder stores them column-wise as they arrive.
 */
import type { Readable } from 'node:stream';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import { PortfolioBuilder } from '../domain/portfolio/portfolio-builder.js';
import type { HeaderMap } from './header-aliases.js';
import { type IngestOptions, type MakeSink, type ReadRows, readRows } from './read-rows.js';

export interface IngestResult {
  portfolio: Portfolio;
  delimiter: string;
  encoding: 'utf-8' | 'windows-1252';
  headers: HeaderMap;
}

/** Reads a file's rows into the sink made for it once its header is read. */
export type RowReader = <T>(source: Readable, options: IngestOptions, makeSink: MakeSink<T>) => Promise<ReadRows<T>>;

export async function ingest(source: Readable, options: IngestOptions, reader: RowReader = readRows): Promise<IngestResult> {
  const { result, ...read } = await reader(source, options, (headers) => portfolioBuilder(headers, options));
  return { portfolio: result, ...read };
}

/** The builder of a file's portfolio, once its header is read. */
export function portfolioBuilder(headers: HeaderMap, options: IngestOptions): PortfolioBuilder {
  return new PortfolioBuilder({
    partnerCountry: options.settings.country,
    today: options.today,
    dateFormat: options.dateFormat ?? options.settings.date_format,
    discontinuedOffers: options.settings.discontinued_offers,
    labels: headers.header,
  });
}
