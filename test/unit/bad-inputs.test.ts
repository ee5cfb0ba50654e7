/**
 * R5: the catalogue of bad inputs (test/fixtures/bad/catalogue.json). Each gives its documented
 * code; a file-level failure says what is wrong (and names the limit it hit); a row problem is in
 * errors.csv at its row and column, with a message naming both.
 */
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeErrorsCsv, writePlanCsv } from '../../shared/csv/writers.js';
import { FILE_CODES, type FileCode, FileError, ROW_CODES, type RowCode } from '../../shared/domain/codes.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
import { HEADER, parseCsv } from '../support/plan-csv.js';

interface Case {
  name: string;
  code: FileCode | RowCode;
  file?: string;
  generate?: 'rows' | 'long-first-line' | 'unreadable' | 'unterminated-large' | 'long-value';
  /** File-level: texts the message must contain. */
  message?: string[];
  /** Row-level: where errors.csv reports it, and the header as the file spells it. */
  row?: number;
  column?: string;
  label?: string;
  value?: string;
  maxBytes?: number;
  maxRows?: number;
  rows?: number;
  length?: number;
  mb?: number;
}

const dir = new URL('../fixtures/bad/', import.meta.url);
const catalogue = JSON.parse(readFileSync(new URL('catalogue.json', dir), 'utf8')) as { cases: Case[] };
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const settings = parseSettings({});

const good = (sub: string) => `c1,Contoso Ltd,admin@contoso.com,,${sub},Office 365 E3,,10,Open,2027-06-30,,20,,,`;

/** Rows of the canonical header, one per line: a file of any size. */
function rowsFile(count: number): Buffer {
  return Buffer.from(`${HEADER}\n${Array.from({ length: count }, (_, i) => good(`s${i}`)).join('\n')}\n`);
}

/** A file whose row 3 holds a value `length` characters long in `column`. */
function longValueFile(column: string, length: number): Buffer {
  const long = column === 'seats' ? '1'.repeat(length) : column === 'end_date' ? '2027-06-30'.padEnd(length, '0') : 'x'.repeat(length);
  const names = HEADER.split(',');
  const row = good('s2').split(',');
  row[names.indexOf(column)] = long;
  return Buffer.from(`${HEADER}\n${good('keep')}\n${row.join(',')}\n${good('s3')}\n`);
}

/** The bytes (or the failing stream) of a case, arriving in 64 KB chunks as from S3. */
function source(c: Case): Readable {
  let bytes: Buffer;
  switch (c.generate) {
    case undefined:
      bytes = readFileSync(new URL(c.file!, dir));
      break;
    case 'rows':
      bytes = rowsFile(c.rows!);
      break;
    case 'long-first-line':
      bytes = Buffer.from('x'.repeat(1_500_000));
      break;
    case 'long-value':
      bytes = longValueFile(c.column!, c.length!);
      break;
    case 'unterminated-large': {
      const rest = `${good('s3')}\n`.repeat(Math.ceil((c.mb! * 1024 * 1024) / 64));
      bytes = Buffer.from(
        `${HEADER}\n${good('keep')}\nc1,"Contoso Ltd,admin@contoso.com,,s2,Office 365 E3,,10,Open,2027-06-30,,20,,,\n${rest}`,
      );
      break;
    }
    case 'unreadable':
      return new Readable({
        read() {
          this.destroy(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: 'uploads/p/deleted.csv' }));
        },
      });
  }
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
  return Readable.from(chunks.length ? chunks : [bytes]);
}

async function text(write: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

async function plan(c: Case) {
  const run = await planFile({
    source: source(c),
    fileName: c.file ?? `${c.generate}.csv`,
    settings,
    today: isoToDay('2026-12-01'),
    maxBytes: c.maxBytes,
    maxRows: c.maxRows,
  });
  const planRows = parseCsv(await text((out) => writePlanCsv(out, run.portfolio, run.plan, settings.country)));
  const errorRows = parseCsv(await text((out) => writeErrorsCsv(out, run.portfolio.problems)));
  return { run, planRows, errorRows };
}

const isFileCode = (code: string): code is FileCode => code in FILE_CODES;
const fileCases = catalogue.cases.filter((c) => isFileCode(c.code));
const rowCases = catalogue.cases.filter((c) => !isFileCode(c.code));

describe('the bad-input catalogue', () => {
  it('has at least 30 cases, each with a documented code the README lists', () => {
    expect(catalogue.cases.length).toBeGreaterThanOrEqual(30);
    for (const c of catalogue.cases) {
      expect(c.code in FILE_CODES || c.code in ROW_CODES, `${c.name}: ${c.code}`).toBe(true);
      expect(readme, `README lists ${c.code}`).toContain(`| \`${c.code}\` |`);
      if (!isFileCode(c.code)) expect(c.row, c.name).toBeGreaterThanOrEqual(2);
    }
  });

  it('covers every documented code', () => {
    const used = new Set(catalogue.cases.map((c) => c.code));
    expect([...Object.keys(FILE_CODES), ...Object.keys(ROW_CODES)].filter((code) => !used.has(code as FileCode))).toEqual([]);
  });

  it('commits only small files', () => {
    for (const c of catalogue.cases) if (c.file) expect(readFileSync(new URL(c.file, dir)).length, c.file).toBeLessThan(4_096);
  });
});

describe('file-level: nothing is planned, and the message says why', () => {
  it.each(fileCases)('$name → $code', async (c) => {
    const error = await plan(c).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, c.name).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe(c.code);
    for (const part of c.message ?? []) expect((error as FileError).message).toContain(part);
  });
});

describe('row-level: the row and column in errors.csv, and a message naming both', () => {
  it.each(rowCases)('$name → $code at row $row, column $column', async (c) => {
    const started = performance.now();
    const { errorRows, planRows, run } = await plan(c);
    const seconds = (performance.now() - started) / 1000;
    const problem = errorRows.find((e) => e.code === c.code && e.row === String(c.row));
    expect(problem, `errors.csv: ${JSON.stringify(errorRows).slice(0, 2_000)}`).toBeDefined();
    expect(problem!.column).toBe(c.column);
    expect(problem!.message).toMatch(new RegExp(`^Row ${c.row}\\b`));
    if (c.column) expect(problem!.message).toContain(`column ${c.label ?? c.column}`);
    // errors.csv neutralises a value that starts like a formula ("-3" → "'-3").
    if (c.value !== undefined) expect(problem!.value!.replace(/^'(?=[-=+@\t\r])/, '')).toBe(c.value);
    if (c.code === 'value_too_long') {
      expect(problem!.message).toContain(`${c.length!.toLocaleString('en-US')} characters`);
      expect(problem!.value!.length).toBeLessThan(300); // cut short in errors.csv
    }

    const severity = ROW_CODES[c.code as RowCode].severity;
    const planned = planRows.find((p) => p.row === String(c.row));
    if (severity === 'error') expect(planned).toBeUndefined();
    else expect(planned).toBeDefined();
    if (severity === 'ineligible') expect(planned!.risk).toBe('ineligible');
    // One bad row never stops the others, and every data row is accounted for.
    expect(planRows.find((p) => p.subscription_id === 'keep')).toBeDefined();
    const stats = run.portfolio.stats;
    expect(stats.keptRows + stats.rejectedRows).toBe(stats.dataRows);
    expect(planRows).toHaveLength(stats.keptRows);
    if (c.generate === 'unterminated-large') {
      expect(stats.dataRows).toBe(2); // the rest of the file is the open value
      expect(seconds).toBeLessThan(5); // linear: it took minutes on large files before
    }
  });
});
