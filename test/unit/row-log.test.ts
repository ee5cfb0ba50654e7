/**
 * The row log (shared/csv/worker/row-log.ts) carries a reader's calls to another thread: replayed, they
 * must build the very portfolio the reader's own thread would have built. Here both ways run on
 * one thread, with each batch structured-cloned as postMessage would, and are compared by their
 * outputs: plan.csv and errors.csv, byte for byte.
 */

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.js';
import type { HeaderMap } from '../../shared/csv/header-aliases.js';
import { portfolioBuilder } from '../../shared/csv/ingest.js';
import { type IngestOptions, readRows, rowValidator } from '../../shared/csv/read-rows.js';
import { type RowBatch, RowLog, RowReplay } from '../../shared/csv/worker/row-log.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import type { Portfolio } from '../../shared/domain/portfolio/portfolio.js';
import type { PortfolioBuilder } from '../../shared/domain/portfolio/portfolio-builder.js';
import { portfolioOutputs } from '../support/plan-csv.js';

const settings = parseSettings({ daily_capacity: 50 });
const options: IngestOptions = { settings, today: isoToDay('2026-12-01') };
const builder = (headers: HeaderMap) => portfolioBuilder(headers, options);

async function direct(bytes: Buffer): Promise<Portfolio> {
  return (await readRows(Readable.from([bytes]), options, builder)).result;
}

async function replayed(bytes: Buffer): Promise<{ portfolio: Portfolio; batches: number }> {
  let replay: RowReplay | undefined;
  let target: PortfolioBuilder | undefined;
  let batches = 0;
  await readRows(Readable.from([bytes]), options, (headers, delimiter, validator) => {
    target = builder(headers);
    replay = new RowReplay(rowValidator(headers, delimiter), target);
    return new RowLog(validator, (batch: RowBatch) => {
      batches++;
      replay!.replay(structuredClone(batch));
    });
  });
  return { portfolio: target!.finish(), batches };
}

const outputs = (p: Portfolio) => portfolioOutputs(p, settings);

describe('RowLog → RowReplay', () => {
  it('builds the same portfolio as reading on one thread, over many batches of a generated file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'row-log-')), 'g.csv');
    await generate({ rows: 30_000, seed: 7, path });
    const bytes = readFileSync(path);
    const { portfolio, batches } = await replayed(bytes);
    expect(batches).toBeGreaterThan(10);
    expect(portfolio.stats).toEqual((await direct(bytes)).stats);
    expect(await outputs(portfolio)).toBe(await outputs(await direct(bytes)));
  });

  it('keeps both dictionaries in step past their size: more distinct values than either remembers, met again later', async () => {
    const lines = ['customer_id,customer_name,subscription_id,offer,seats,end_date'];
    for (let i = 0; i < 12_000; i++)
      lines.push(`c${i % 7},Customer ${i % 7},s${i},Offer ${i % 5_000},${1 + (i % 4_500)},2027-0${1 + (i % 9)}-15`);
    const bytes = Buffer.from(lines.join('\n'));
    expect(await outputs((await replayed(bytes)).portfolio)).toBe(await outputs(await direct(bytes)));
  });

  const bad = join(import.meta.dirname, '../fixtures/bad');
  const files = [
    ...readdirSync(bad)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(bad, f)),
    ...readdirSync(join(import.meta.dirname, '../fixtures'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(import.meta.dirname, '../fixtures', f)),
    'examples/customers.csv',
  ];
  it.each(files)('%s: the same outputs, or the same file-level error', async (file) => {
    const bytes = readFileSync(file);
    const expected = await direct(bytes).then(outputs, (e: Error) => `${e.name}: ${e.message}`);
    const actual = await replayed(bytes).then(
      (r) => outputs(r.portfolio),
      (e: Error) => `${e.name}: ${e.message}`,
    );
    expect(actual).toBe(expected);
  });
});
