/**
 * plan.csv and errors.csv, streamed. Cells are written by one small RFC 4180 writer: papaparse's
 * unparse spent most of the output time in its per-cell formula regex, and that regex (`.*$`)
 * lets "=1+2\n…" through unescaped. Numbers are written as numbers, so a negative
 * days_to_expiry stays a number; every text cell goes through csvCell.
 */
import type { Writable } from 'node:stream';
import { type PlanRecord, PLAN_COLUMNS, planRecord, plannedRows } from '../domain/plan-rows.js';
import type { Plan } from '../domain/planner.js';
import type { Portfolio, Problem } from '../domain/portfolio.js';

export const ERROR_COLUMNS = ['row', 'column', 'value', 'code', 'message'] as const;

const NEWLINE = '\r\n';
/** Text is handed to the stream in pieces of about this many characters. */
const FLUSH_AT = 1 << 18;

/** Characters that make a cell start a formula in a spreadsheet (OWASP CSV injection). */
function startsFormula(code: number): boolean {
  return code === 61 /* = */ || code === 43 /* + */ || code === 45 /* - */ || code === 64 /* @ */ || code === 9 || code === 13;
}

/** Quoted when it holds a quote, a delimiter, a line break or a BOM, or starts/ends with a space. */
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

/**
 * One text cell as CSV: a cell that starts like a formula gets a leading apostrophe (and
 * quotes), so a spreadsheet shows it as text; quotes are doubled inside quoted cells.
 */
export function csvCell(value: string): string {
  if (value === '') return value;
  if (startsFormula(value.charCodeAt(0))) return `"'${value.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(cells: readonly (string | number)[]): string {
  let line = '';
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    if (k > 0) line += ',';
    line += typeof cell === 'number' ? String(cell) : csvCell(cell);
  }
  return line;
}

/**
 * Lines encoded as UTF-8 straight into 1 MiB buffers, each handed to the stream when full.
 * Concatenating the text first and letting the stream encode it cost three times as much: every
 * flush flattened a large string on the heap.
 */
class EncodedLines {
  private static readonly SIZE = 1 << 20;
  private buffer = Buffer.allocUnsafe(EncodedLines.SIZE);
  private used = 0;

  constructor(private readonly out: Writable) {}

  /** Adds a line; returns a promise when the caller must wait for the stream to drain. */
  add(line: string): Promise<void> | undefined {
    const most = (line.length + 2) * 3; // UTF-8 bytes of a UTF-16 code unit: at most 3
    let waiting: Promise<void> | undefined;
    if (this.used + most > this.buffer.length) {
      waiting = this.flush();
      if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(most);
    }
    this.used += this.buffer.write(line, this.used);
    this.used += this.buffer.write(NEWLINE, this.used);
    return waiting;
  }

  flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const full = this.out.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(EncodedLines.SIZE); // the stream owns the written one now
    this.used = 0;
    return full ? undefined : new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}

/**
 * Writes a header and rows. Consecutive rows repeat many cells (a customer's fields, offers,
 * dates): a cell equal to the one above reuses its escaped text.
 */
async function writeCsv(out: Writable, fields: readonly string[], rows: Iterable<(string | number)[]>): Promise<number> {
  const lines = new EncodedLines(out);
  lines.add(csvLine(fields));
  const width = fields.length;
  const above: (string | number | undefined)[] = new Array(width);
  const aboveText: string[] = new Array(width).fill('');
  const cells: string[] = new Array(width).fill('');
  let count = 0;
  for (const row of rows) {
    for (let k = 0; k < width; k++) {
      const cell = row[k] ?? '';
      if (cell === above[k]) cells[k] = aboveText[k]!;
      else {
        above[k] = cell;
        cells[k] = aboveText[k] = typeof cell === 'number' ? String(cell) : csvCell(cell);
      }
    }
    count++;
    const waiting = lines.add(cells.join(','));
    if (waiting) await waiting;
  }
  await lines.flush();
  return count;
}

export function* planRecords(p: Portfolio, plan: Plan, partnerCountry: string): Generator<PlanRecord> {
  for (const i of plannedRows(p)) yield planRecord(p, plan, partnerCountry, i);
}

/** Writes plan.csv; resolves with the number of rows written. Does not end `out`. */
export function writePlanCsv(out: Writable, p: Portfolio, plan: Plan, partnerCountry: string): Promise<number> {
  return writeCsv(out, PLAN_COLUMNS, planRecords(p, plan, partnerCountry));
}

export function* errorRecords(problems: Iterable<Problem>): Generator<(string | number)[]> {
  for (const e of problems) yield [e.row, e.column, e.value, e.code, e.message];
}

/** errors.csv for a file-level failure: one line, no row (the file as a whole is at fault). */
export function fileErrorCsv(code: string, message: string): string {
  return csvLine(ERROR_COLUMNS) + NEWLINE + csvLine(['', '', '', code, message]) + NEWLINE;
}

/** Writes errors.csv (header only when there are no problems). Does not end `out`. */
export function writeErrorsCsv(out: Writable, problems: Iterable<Problem>): Promise<number> {
  return writeCsv(out, ERROR_COLUMNS, errorRecords(problems));
}
