/**
 * Streaming ingest: any Readable of CSV bytes (a local file, an S3 object body) → a validated,
 * compact Portfolio. read-rows.ts reads and validates the rows; the portfolio builder stores them
 * column-wise as they arrive, on this thread or (ingest-thread.ts) while a worker reads.
 */
import type { Readable } from 'node:stream';
import { type Portfolio, PortfolioBuilder } from '../domain/portfolio/portfolio.js';
import type { HeaderMap } from './header-aliases.js';
import { ingestInWorker, ingestWorker } from './worker/ingest-in-worker.js';
import { type IngestOptions, readRows } from './read-rows.js';

export interface IngestResult {
  portfolio: Portfolio;
  delimiter: string;
  encoding: 'utf-8' | 'windows-1252';
  headers: HeaderMap;
}

export async function ingest(source: Readable, options: IngestOptions): Promise<IngestResult> {
  const worker = ingestWorker();
  const makeBuilder = (headers: HeaderMap) => portfolioBuilder(headers, options);
  const { result, ...read } = worker ? await ingestInWorker(worker, source, options, makeBuilder) : await readRows(source, options, makeBuilder);
  return { portfolio: result, ...read };
}

/** The builder of a file's portfolio, once its header is read. */
export function portfolioBuilder(headers: HeaderMap, options: IngestOptions): PortfolioBuilder {
  return new PortfolioBuilder({
    partnerCountry: options.settings.country,
    dateFormat: options.dateFormat ?? options.settings.date_format,
    discontinuedOffers: options.settings.discontinued_offers,
    labels: headers.header,
  });
}
