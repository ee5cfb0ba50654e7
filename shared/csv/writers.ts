/**
 * plan.csv (lines from plan-csv.ts) and errors.csv, streamed through csv-text.ts. Numbers are
 * written as numbers, so a negative days_to_expiry stays a number; every text cell goes through
 * csvCell.
 */

import type { Writable } from 'node:stream';
import type { LifecycleDates } from '../domain/lifecycle-dates.js';
import { PLAN_COLUMNS, plannedRows } from '../domain/plan-rows.js';
import type { Plan } from '../domain/planner/plan.js';
import type { Portfolio, Problem } from '../domain/portfolio/portfolio.js';
import { csvCell, csvLine, EncodedLines, NEWLINE } from './csv-text.js';
import { PlanCsvLines } from './plan-csv.js';

export const ERROR_COLUMNS = ['row', 'column', 'value', 'code', 'message'] as const;

/**
 * Writes a header and rows (errors.csv). Consecutive rows repeat cells (a code, a column, a
 * value): a cell equal to the one above reuses its escaped text.
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

/** Writes plan.csv; resolves with the number of rows written. Does not end `out`. */
export async function writePlanCsv(
  out: Writable,
  p: Portfolio,
  plan: Plan,
  partnerCountry: string,
  lifecycle?: LifecycleDates,
): Promise<number> {
  const lines = new EncodedLines(out);
  lines.add(csvLine(PLAN_COLUMNS));
  const render = new PlanCsvLines(p, plan, partnerCountry, lifecycle);
  let count = 0;
  for (const i of plannedRows(p)) {
    count++;
    const waiting = lines.add(render.line(i));
    if (waiting) await waiting;
  }
  await lines.flush();
  return count;
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
