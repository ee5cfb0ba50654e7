import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../shared/csv/ingest.js';
import { FileError } from '../../shared/domain/codes.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { csvOf, HEADER } from '../support/plan-csv.js';

const settings = parseSettings({});

async function failure(bytes: Buffer | string, limits: { maxBytes?: number; maxRows?: number } = {}): Promise<FileError> {
  const source = Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]);
  const error = await ingest(source, { settings, today: isoToDay('2026-12-01'), ...limits }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileError);
  return error as FileError;
}

const oneRow = csvOf([{ sub: 's1', end: '2027-03-31' }]);

describe('file-level failures: nothing is planned and one message says why', () => {
  it('an empty file', async () => {
    expect((await failure('')).code).toBe('empty_file');
  });

  it('a file of blank lines', async () => {
    expect((await failure('\n\n  \n')).code).toBe('empty_file');
  });

  it('a header with no data rows', async () => {
    const e = await failure(`${HEADER}\n`);
    expect(e.code).toBe('no_rows');
  });

  it('a binary file', async () => {
    const e = await failure(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x3e, 0x00]));
    expect(e.code).toBe('binary_file');
  });

  it('UTF-16 with a byte-order mark, as Excel saves "Unicode Text"', async () => {
    const e = await failure(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(oneRow, 'utf16le')]));
    expect(e.code).toBe('utf16_file');
    expect(e.message).toMatch(/CSV UTF-8/);
  });

  it('UTF-16 without a byte-order mark', async () => {
    expect((await failure(Buffer.from(oneRow, 'utf16le'))).code).toBe('utf16_file');
  });

  it('an Excel workbook (zip) renamed to .csv', async () => {
    const e = await failure(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 1)]));
    expect(e.code).toBe('not_csv');
    expect(e.message).toMatch(/workbook/);
  });

  it('a PDF', async () => {
    expect((await failure('%PDF-1.7\n...')).code).toBe('not_csv');
  });

  it('required columns missing: names them and the headers found', async () => {
    const e = await failure('customer_id,offer,seats\nc1,Office 365 E3,5\n');
    expect(e.code).toBe('missing_columns');
    expect(e.message).toContain('customer_name, subscription_id, end_date');
    expect(e.message).toContain('"customer_id", "offer", "seats"');
  });

  it('required columns missing: suggests the near-miss header for each, by an accepted name', async () => {
    const e = await failure('Tenant,customer_name,Subscription,offer,seats,Renewal,Notes\nt1,Contoso,s1,Office 365 E3,5,2027-03-31,x\n');
    expect(e.code).toBe('missing_columns');
    expect(e.message).toContain(
      'Required columns missing: customer_id (is "Tenant" it? Name it customer_id or CustomerTenantId), ' +
        'subscription_id (is "Subscription" it? Name it subscription_id or LegacySubscriptionId), ' +
        'end_date (is "Renewal" it? Name it end_date or ExpirationDate).',
    );
    // A header like no accepted name is not suggested.
    const plain = await failure('customer_id,offer,seats,Notes\nc1,Office 365 E3,5,x\n');
    expect(plain.message).toContain('Required columns missing: customer_name, subscription_id, end_date.');
  });

  it('a file that is not delimited text at all', async () => {
    const e = await failure('Hello, this is a letter to our customers.\nRegards\n');
    expect(e.code).toBe('missing_columns');
  });

  it('over the size limit, naming the limit', async () => {
    const e = await failure(oneRow, { maxBytes: 100 });
    expect(e.code).toBe('too_large');
    expect(e.message).toContain('100 bytes');
  });

  it('over the row limit, naming the limit', async () => {
    const e = await failure(
      csvOf([
        { sub: 's1', end: '2027-03-31' },
        { sub: 's2', end: '2027-03-31' },
        { sub: 's3', end: '2027-03-31' },
      ]),
      { maxRows: 2 },
    );
    expect(e.code).toBe('too_many_rows');
    expect(e.message).toContain('2 data rows');
  });

  it('an unreadable source', async () => {
    const source = new Readable({
      read() {
        this.destroy(Object.assign(new Error('no such file'), { code: 'ENOENT', path: '/nope.csv' }));
      },
    });
    const error = await ingest(source, { settings, today: isoToDay('2026-12-01') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('unreadable');
  });
});

describe('encodings and layouts a spreadsheet writes', () => {
  const read = (bytes: Buffer | string) =>
    ingest(Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), { settings, today: isoToDay('2026-12-01') });

  it('drops a UTF-8 byte-order mark', async () => {
    const { portfolio } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(oneRow)]));
    expect(portfolio.stats.keptRows).toBe(1);
  });

  it('reads Windows-1252 (Excel "CSV" on Windows) when the bytes are not UTF-8', async () => {
    const text = oneRow.replace('Customer cust-1', 'Caffè Società');
    const { portfolio, encoding } = await read(Buffer.from(text, 'latin1'));
    expect(encoding).toBe('windows-1252');
    expect(portfolio.customers.name(0)).toBe('Caffè Società');
  });

  it('reads semicolons, tabs and CRLF line ends', async () => {
    for (const delimiter of [';', '\t']) {
      const { portfolio, delimiter: used } = await read(oneRow.replace(/,/g, delimiter).replace(/\n/g, '\r\n'));
      expect(used).toBe(delimiter);
      expect(portfolio.stats.keptRows).toBe(1);
    }
  });

  it('honours an Excel "sep=;" first line', async () => {
    const { portfolio, delimiter } = await read(`sep=;\n${oneRow.replace(/,/g, ';')}`);
    expect(delimiter).toBe(';');
    expect(portfolio.row.get(0)).toBe(2);
  });

  it('skips blank lines but keeps spreadsheet row numbers', async () => {
    const text = `${HEADER}\n\n,,,,,,,,,,,,,,\n${oneRow.split('\n')[1]}\n`;
    const { portfolio } = await read(text);
    expect(portfolio.stats.blankRows).toBe(2);
    expect(portfolio.row.get(0)).toBe(4);
  });

  it('reads a file streamed in tiny chunks the same as in one piece', async () => {
    const text = csvOf([
      { sub: 's1', name: 'Baker, Lowe & "Partners"\nLegal', end: '2027-03-31' },
      { sub: 's2', end: '2027-04-30', customer: 'c2', name: 'Caffè Società' },
    ]);
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const { portfolio } = await ingest(Readable.from(chunks), { settings, today: isoToDay('2026-12-01') });
    expect([portfolio.customers.name(0), portfolio.customers.name(1)]).toEqual(['Baker, Lowe & "Partners"\nLegal', 'Caffè Società']);
    expect([...portfolio.row]).toEqual([2, 3]);
  });
});
