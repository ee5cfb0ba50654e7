/**
 * Row validation at the speed of large files: each column's zod schema (the row schema of
 * shared/domain/subscription-row.ts) with its results remembered, straight from the parsed record.
 */
import type * as z from 'zod';
import { detach } from '../columnar/string-store.js';
import type { RowCode } from '../domain/codes.js';
import type { ColumnName } from '../domain/columns.js';
import {
  type FieldProblem,
  issueCode,
  type RowResult,
  type SubscriptionRow,
  type SubscriptionRowSchema,
} from '../domain/subscription-row.js';

export type CellResult = { ok: true; value: unknown } | { ok: false; code: RowCode };

/** Cells of one column whose results are remembered; past this, values are checked each time. */
const MEMO_SIZE = 4_096;

/**
 * One column's zod schema with its results remembered. A column's schema is a pure function of
 * the cell, and most columns repeat few values (offers, seat counts, dates, countries) or repeat
 * the row above (a customer's name on each of its rows): a million rows need only thousands of
 * zod parses. The remembered text is copied (detach): a slice of the parsed chunk would keep
 * the whole chunk alive. A column of unique values (subscription ids) stops looking things up.
 */
class ColumnCheck {
  private lastCell: string | undefined;
  private lastResult: CellResult | undefined;
  private memo: Map<string | undefined, CellResult> | undefined = new Map();
  /** Lookups and hits since the memo filled up. */
  private lookups = 0;
  private hits = 0;

  constructor(private readonly schema: z.ZodType) {}

  check(cell: string | undefined): CellResult {
    if (cell === this.lastCell && this.lastResult !== undefined) return this.lastResult;
    const memo = this.memo;
    let result = memo?.get(cell);
    if (result === undefined) {
      result = this.parse(cell);
      if (memo && memo.size < MEMO_SIZE) {
        result = detachResult(result);
        memo.set(cell === undefined ? cell : detach(cell), result);
      } else if (memo && ++this.lookups === 1_000 && this.hits < 100) this.memo = undefined;
    } else if (memo!.size === MEMO_SIZE) this.hits++;
    this.lastCell = cell;
    this.lastResult = result;
    return result;
  }

  private parse(cell: string | undefined): CellResult {
    const parsed = this.schema.safeParse(cell);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: issueCode(parsed.error.issues[0]!) };
  }
}

function detachResult(result: CellResult): CellResult {
  if (!result.ok) return result;
  const value = result.value;
  if (typeof value === 'string') return { ok: true, value: detach(value) };
  if (value && typeof value === 'object' && 'raw' in value && typeof value.raw === 'string') {
    return { ok: true, value: { ...value, raw: detach(value.raw) } };
  }
  return result;
}

/**
 * Validates rows as `validateRow(subscriptionRowSchema(…), raw)` does, with the same results
 * (test/unit/row-validator.test.ts holds them equal), straight from the parsed record and
 * remembering each column's results: the ingest of large files goes through here.
 *
 * The row it returns is reused for the next record: read it before validating another.
 */
export class RowValidator {
  private readonly present: { column: ColumnName; index: number; check: ColumnCheck }[] = [];
  private readonly row: Record<string, unknown> = {};
  /** Problems of the columns the file lacks: the same on every row. */
  private readonly absentProblems: FieldProblem[] = [];

  /** `columns`: each canonical column and its index in the record. */
  constructor(schema: SubscriptionRowSchema, columns: readonly (readonly [ColumnName, number])[]) {
    const shape = schema.shape as Record<ColumnName, z.ZodType>;
    const at = new Map(columns);
    for (const column of Object.keys(shape) as ColumnName[]) {
      const check = new ColumnCheck(shape[column]);
      const index = at.get(column);
      this.row[column] = undefined; // every key from the start: one object shape
      if (index !== undefined) {
        this.present.push({ column, index, check });
        continue;
      }
      const result = check.check(undefined);
      if (!result.ok) this.absentProblems.push({ column, code: result.code });
      else this.row[column] = result.value;
    }
  }

  /** Records validated so far. */
  validated = 0;
  /**
   * The last record's cells and results, column by column in `columns` order. A remembered cell's
   * result is one object every time, so a result object stands for its cell (worker/row-log.ts).
   */
  readonly cells: (string | undefined)[] = [];
  readonly results: CellResult[] = [];

  /** The columns the file has, in the order of `cells` and `results`. */
  get columns(): ColumnName[] {
    return this.present.map((p) => p.column);
  }

  validate(record: readonly string[]): RowResult {
    const row = this.row;
    const present = this.present;
    let problems: FieldProblem[] | undefined;
    this.validated++;
    for (let k = 0; k < present.length; k++) {
      const { column, index, check } = present[k]!;
      const cell = record[index];
      const result = check.check(cell);
      this.cells[k] = cell;
      this.results[k] = result;
      if (result.ok) row[column] = result.value;
      else {
        problems ??= [];
        problems.push({ column, code: result.code });
      }
    }
    if (problems || this.absentProblems.length > 0) return { ok: false, problems: this.ordered(problems ?? []) };
    return { ok: true, row: row as SubscriptionRow };
  }

  /** The row `validate` returns for a record whose columns gave `results`, all of them ok. */
  rowOf(results: readonly CellResult[]): SubscriptionRow {
    const row = this.row;
    const present = this.present;
    for (let k = 0; k < present.length; k++) row[present[k]!.column] = (results[k] as { value: unknown }).value;
    return row as SubscriptionRow;
  }

  /** Problems in the schema's column order, as zod reports them. */
  private ordered(problems: FieldProblem[]): FieldProblem[] {
    if (this.absentProblems.length === 0) return problems;
    const order = Object.keys(this.row);
    return [...problems, ...this.absentProblems].sort((a, b) => order.indexOf(a.column) - order.indexOf(b.column));
  }
}
