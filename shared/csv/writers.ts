/**
 * plan.csv and errors.csv, streamed in batches through papaparse's unparse. `escapeFormulae`
 * prefixes any text cell starting with = + - @ tab or CR with a quote (OWASP CSV injection);
 * numbers are written as numbers, so a negative days_to_expiry stays a number.
 */
import type { Writable } from 'node:stream';
import Papa from 'papaparse';
import { type PlanRecord, PLAN_COLUMNS, planRecord, plannedRows } from '../domain/plan-rows.js';
import type { Plan } from '../domain/planner.js';
import type { Portfolio, Problem } from '../domain/portfolio.js';

export const ERROR_COLUMNS = ['row', 'column', 'value', 'code', 'message'] as const;

const BATCH = 2_000;
const UNPARSE = { escapeFormulae: true, newline: '\r\n' } as const;

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

async function writeCsv(out: Writable, fields: readonly string[], rows: Iterable<(string | number)[]>): Promise<number> {
  await write(out, Papa.unparse([fields as string[]], UNPARSE) + '\r\n');
  let batch: (string | number)[][] = [];
  let count = 0;
  for (const row of rows) {
    batch.push(row);
    count++;
    if (batch.length === BATCH) {
      await write(out, Papa.unparse(batch, UNPARSE) + '\r\n');
      batch = [];
    }
  }
  if (batch.length > 0) await write(out, Papa.unparse(batch, UNPARSE) + '\r\n');
  return count;
}

export function* planRecords(p: Portfolio, plan: Plan, partnerCountry: string): Generator<PlanRecord> {
  for (const i of plannedRows(p)) yield planRecord(p, plan, partnerCountry, i);
}

/** Writes plan.csv; resolves with the number of rows written. Does not end `out`. */
export function writePlanCsv(out: Writable, p: Portfolio, plan: Plan, partnerCountry: string): Promise<number> {
  return writeCsv(out, PLAN_COLUMNS, planRecords(p, plan, partnerCountry));
}

export function* errorRecords(problems: readonly Problem[]): Generator<(string | number)[]> {
  for (const e of problems) yield [e.row, e.column, e.value, e.code, e.message];
}

/** errors.csv for a file-level failure: one line, no row (the file as a whole is at fault). */
export function fileErrorCsv(code: string, message: string): string {
  return `${Papa.unparse([[...ERROR_COLUMNS], ['', '', '', code, message]], UNPARSE)}\r\n`;
}

/** Writes errors.csv (header only when there are no problems). Does not end `out`. */
export function writeErrorsCsv(out: Writable, problems: readonly Problem[]): Promise<number> {
  return writeCsv(out, ERROR_COLUMNS, errorRecords(problems));
}
