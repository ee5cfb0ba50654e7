/**
 * R4 in the fast suite: a few hundred generated CSV files (test/fuzz/csv-fuzz.ts) through ingest,
 * plan and the writers — no crash, no hang, every data row planned or rejected. `npm run fuzz`
 * runs the same property on 10,000+ files. Below it, the bugs the fuzzer and the bad-input
 * catalogue found, each pinned by a test.
 */

import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../shared/csv/header-aliases.js';
import { ingest } from '../../shared/csv/ingest.js';
import { FileError } from '../../shared/domain/codes.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { csvProperty, emptyFigures, formatFigures } from '../fuzz/csv-fuzz.js';
import { csvOf, HEADER } from '../support/plan-csv.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

describe('generated CSV files (R4)', () => {
  it(`${RUNS} files: a documented FileError, or planned + rejected = data rows; no crash, no hang`, async () => {
    const figures = emptyFigures();
    const started = performance.now();
    await fc.assert(csvProperty(figures), { numRuns: RUNS, seed: SEED });
    const summary = formatFigures(figures, SEED, (performance.now() - started) / 1000);
    expect(figures.crashes + figures.hangs + figures.mismatches, summary).toBe(0);
    expect(figures.cases).toBe(RUNS);
    // The generator reaches both sides: files read with exact row counts, and each kind of failure.
    expect(figures.countsChecked).toBeGreaterThan(RUNS / 3);
    expect(Object.keys(figures.fileErrors)).toEqual(
      expect.arrayContaining(['missing_columns', 'no_rows', 'utf16_file', 'not_csv', 'too_large', 'too_many_rows']),
    );
  }, 60_000);
});

const settings = parseSettings({});
const read = (bytes: Buffer | string, chunks?: number[]) => {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const pieces: Buffer[] = [];
  let offset = 0;
  for (const size of chunks ?? []) {
    pieces.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  pieces.push(buffer.subarray(offset));
  return ingest(Readable.from(pieces), { settings, today: isoToDay('2026-12-01') });
};
const oneRow = (delimiter: string) => csvOf([{ sub: 's1', end: '2027-03-31' }]).replace(/,/g, delimiter);

describe('regressions the fuzzer and the catalogue found', () => {
  it('a file with no line break at all is read, not a crash (papaparse was handed an ended stream)', async () => {
    const error = await read(HEADER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('no_rows');
    expect(((await read(Buffer.from([0xef, 0xbb, 0xbf])).catch((e: unknown) => e)) as FileError).code).toBe('empty_file');
  });

  it('a value over 1,000 characters in any column is value_too_long, not a crash', async () => {
    const values: Record<string, string> = {
      customer_id: 'c1',
      customer_name: 'Contoso',
      contact_email: 'a@contoso.com',
      country: 'US',
      subscription_id: 's1',
      offer: 'Office 365 E3',
      target_offer: '',
      seats: '5',
      licensing_program: 'Open',
      end_date: '2027-06-30',
      start_date: '2026-07-01',
      auto_renew: 'yes',
      unit_price_monthly: '20',
      base_subscription_id: '',
      status: 'Active',
      invitation_status: 'sent',
      invited_on: '2026-11-20',
      accepted_on: '',
      provisioned_on: '',
    };
    const header = COLUMNS.map((c) => c.name);
    expect(Object.keys(values).sort()).toEqual([...header].sort());
    for (const name of header) {
      const good = header.map((h) => values[h]);
      const bad = header.map((h) => (h === name ? 'x'.repeat(1_001) : h === 'subscription_id' ? 's2' : values[h]));
      const { portfolio } = await read(`${header.join(',')}\n${good.join(',')}\n${bad.join(',')}\n`);
      expect([...portfolio.problems], name).toContainEqual(expect.objectContaining({ row: 3, column: name, code: 'value_too_long' }));
      expect(portfolio.stats.rejectedRows, name).toBe(1);
    }
  });

  it('blank lines before the header do not decide the delimiter', async () => {
    const { portfolio, delimiter } = await read(`\n  \n${oneRow('\t')}`);
    expect(delimiter).toBe('\t');
    expect(portfolio.stats.keptRows).toBe(1);
  });

  it('honours "sep=;" with old-Mac CR line ends', async () => {
    const { portfolio, delimiter } = await read(`sep=;\r${oneRow(';').replace(/\n/g, '\r')}`);
    expect(delimiter).toBe(';');
    expect(portfolio.stats.keptRows).toBe(1);
  });

  it('a CRLF split between two chunks right after the header is still one line break', async () => {
    // The decoder hands on its first 8 KB at once: a long header ending at the chunk boundary.
    const header = `${HEADER},${'x'.repeat(9_000)}`;
    const text = `${header}\r\n"c1",Contoso,,,s1,Office 365 E3,,5,Open,2027-06-30\r\n"c2",Fabrikam,,,s2,Office 365 E3,,5,Open,2027-06-30\r\n`;
    const { portfolio } = await read(text, [header.length + 1]);
    expect(portfolio.stats).toMatchObject({ dataRows: 2, keptRows: 2, blankRows: 0 });
    expect(portfolio.customers.id(0)).toBe('c1');
  });

  it('a UTF-8 file with a BOM stays UTF-8 when a stray byte is not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(oneRow(',').replace('Customer cust-1', 'Caff\u00e8')),
      Buffer.from('c1,Bad \x92 byte,,,s2,Office 365 E3,,5,Open,2027-06-30\n', 'latin1'),
    ]);
    const { portfolio, encoding } = await read(bytes);
    expect(encoding).toBe('utf-8');
    expect(portfolio.stats.keptRows).toBe(2);
    expect(portfolio.customers.name(0)).toBe('Caffè');
  });

  it('an unterminated quote names its column, in a small file and in a large one', async () => {
    const start = `${HEADER}\n${csvOf([{ sub: 'keep', end: '2027-06-30' }]).split('\n')[1]}\nc1,"Never closed,,,s2,Office 365 E3,,5,Open,2027-06-30\n`;
    for (const rest of ['', 'c2,Fine,,,s3,Office 365 E3,,5,Open,2027-06-30\n'.repeat(60_000)]) {
      const { portfolio } = await read(start + rest, Array<number>(60).fill(65_536));
      expect([...portfolio.problems]).toContainEqual(
        expect.objectContaining({ row: 3, column: 'customer_name', code: 'unterminated_quote' }),
      );
      expect([...portfolio.problems].find((p) => p.code === 'unterminated_quote')!.message).toMatch(
        /^Row 3, column customer_name: opens a quote/,
      );
      expect(portfolio.stats.dataRows).toBe(2);
    }
  });

  it('the size limit is named exactly when rounding would hide it', async () => {
    const bytes = Buffer.from(`${HEADER}\n${'c1,Contoso,,,s1,Office 365 E3,,5,Open,2027-06-30\n'.repeat(3_000)}`);
    const error = (await ingest(Readable.from([bytes]), { settings, today: isoToDay('2026-12-01'), maxBytes: 100_000 }).catch(
      (e: unknown) => e,
    )) as FileError;
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('size limit of 98 KB (100,000 bytes)');
  });
});
