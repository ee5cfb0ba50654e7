/**
 * Ingest with the worker thread (shared/csv/worker/ingest-in-worker.ts), run for real: the worker
 * module is the CLI's build, dist/ingest-worker.mjs (test/support/build-cli.ts builds it), where
 * the CLI finds it in use.
 * Whatever the thread, the portfolio and the file-level errors are those of a one-thread read.
 */

import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generate } from '../../bench/generate.js';
import type { HeaderMap } from '../../shared/csv/header-aliases.js';
import { portfolioBuilder } from '../../shared/csv/ingest.js';
import { type IngestOptions, readRows } from '../../shared/csv/read-rows.js';
import { ingestInWorker, workerRowReader } from '../../shared/csv/worker/ingest-in-worker.js';
import { FileError } from '../../shared/domain/codes.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import type { Portfolio } from '../../shared/domain/portfolio/portfolio.js';
import { portfolioOutputs } from '../support/plan-csv.js';

const settings = parseSettings({ daily_capacity: 40 });
const options: IngestOptions = { settings, today: isoToDay('2026-12-01') };
const builder = (headers: HeaderMap) => portfolioBuilder(headers, options);

const worker = new URL('../../dist/ingest-worker.mjs', import.meta.url);

const outputs = (p: Portfolio) => portfolioOutputs(p, settings);

describe('ingest on a worker thread', () => {
  it('reads a generated file into the portfolio one thread builds, reporting its bytes as they go', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ingest-worker-')), 'g.csv');
    await generate({ rows: 20_000, seed: 11, path });
    let seen = 0;
    const threaded = await ingestInWorker(worker, createReadStream(path), { ...options, onBytes: (n) => (seen = n) }, builder);
    const single = await readRows(createReadStream(path), options, builder);
    expect(seen).toBe(readFileSync(path).length);
    expect({ ...threaded, result: undefined }).toEqual({ ...single, result: undefined });
    expect(await outputs(threaded.result)).toBe(await outputs(single.result));
  });

  it('fails with the file-level error a one-thread read gives', async () => {
    const missing = Buffer.from('customer_id,seats\nc1,5\n');
    const error = await ingestInWorker(worker, Readable.from([missing]), options, builder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('missing_columns');
    const big = Buffer.from(
      `customer_id,customer_name,subscription_id,offer,seats,end_date\n${'c1,A,s1,E3,5,2027-06-30\n'.repeat(50_000)}`,
    );
    const tooLarge = await ingestInWorker(worker, Readable.from([big]), { ...options, maxBytes: 100_000 }, builder).catch(
      (e: unknown) => e,
    );
    expect((tooLarge as FileError).code).toBe('too_large');
  });

  it('turns a source that cannot be read into a FileError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-worker-'));
    const error = await ingestInWorker(worker, createReadStream(join(dir, 'absent.csv')), options, builder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('unreadable');
  });
});

describe('the switch (CSPMOVE_INGEST_WORKER)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads on one thread unless it is 1 and the worker is built', () => {
    vi.stubEnv('CSPMOVE_INGEST_WORKER', '');
    expect(workerRowReader(worker)).toBeUndefined();
    vi.stubEnv('CSPMOVE_INGEST_WORKER', '1');
    expect(workerRowReader(new URL('./absent-worker.mjs', worker))).toBeUndefined();
  });

  it('when on, gives a reader that ingests on the worker what one thread reads', async () => {
    vi.stubEnv('CSPMOVE_INGEST_WORKER', '1');
    const reader = workerRowReader(worker);
    expect(reader).toBeTypeOf('function');
    const csv = readFileSync(join(import.meta.dirname, '../../examples/customers.csv'));
    const threaded = await reader!(Readable.from([csv]), options, builder);
    const single = await readRows(Readable.from([csv]), options, builder);
    expect(await outputs(threaded.result)).toBe(await outputs(single.result));
  });
});
