import * as z from 'zod';
import type { ColumnName } from '../csv/header-aliases.js';
import { ROW_CODES, type RowCode } from './codes.js';
import { type InvitationStatus, type Lifecycle, parseInvitation, parseLifecycle } from './lifecycle.js';
import { type DateToken, parseBoolean, parseDateToken, parseDecimal } from './values.js';
import { toCountryCode } from './country.js';
import { FIRST_DAY, LAST_DAY } from './dates.js';
import { detach } from '../columnar/string-store.js';

/** One input row, keyed by canonical column; a column the file lacks is undefined. */
export type RawRow = Partial<Record<ColumnName, string>>;

export const MAX_VALUE_LENGTH = 1_000;
export const MAX_SEATS = 1_000_000;
export const MAX_UNIT_PRICE = 100_000;

type Ctx = z.core.$RefinementCtx<string | undefined>;

/** Records a coded problem; the message is composed later, where the file's header is known. */
function fail(ctx: Ctx, code: RowCode): never {
  ctx.addIssue({ code: 'custom', message: code, params: { code } });
  return z.NEVER;
}

/**
 * The trimmed value, or null once value_too_long is recorded: the caller stops there (z.NEVER
 * is only a marker, no string, so nothing may parse it).
 */
function trimmed(raw: string | undefined, ctx: Ctx): string | null {
  const v = (raw ?? '').trim();
  if (v.length <= MAX_VALUE_LENGTH) return v;
  fail(ctx, 'value_too_long');
  return null;
}

const input = z.string().optional();

/**
 * Text cells are checked with zod's built-in checks, not a transform: ids are unique per row,
 * so their schema runs once a row, and checks cost a tenth of a transform. The error text is
 * the row code.
 */
const text = z.string({ error: 'missing_value' }).trim().max(MAX_VALUE_LENGTH, { error: 'value_too_long' });
const requiredText = text.min(1, { error: 'missing_value' });
/** An empty optional cell stays '': readers treat '' as absent. */
const optionalText = text.optional();

function dateField(required: boolean) {
  return input.transform((raw, ctx): DateToken | undefined => {
    const v = trimmed(raw, ctx);
    if (v === null) return z.NEVER;
    if (!v) return required ? fail(ctx, 'missing_value') : undefined;
    const token = parseDateToken(v);
    if (token.kind === 'invalid') return fail(ctx, 'invalid_date');
    const year = token.kind === 'day' ? new Date(token.day * 86_400_000).getUTCFullYear() : token.year;
    if (year < 2000 || year > 2100 || (token.kind === 'day' && (token.day < FIRST_DAY || token.day > LAST_DAY))) {
      return fail(ctx, 'date_out_of_range');
    }
    return token;
  });
}

const booleanField = input.transform((raw, ctx) => {
  const v = trimmed(raw, ctx);
  if (v === null) return z.NEVER;
  if (!v) return undefined;
  return parseBoolean(v) ?? fail(ctx, 'invalid_boolean');
});

const countryField = input.transform((raw, ctx) => {
  const v = trimmed(raw, ctx);
  if (v === null) return z.NEVER;
  if (!v) return undefined;
  return toCountryCode(v) ?? fail(ctx, 'invalid_country');
});

const statusField = input.transform((raw, ctx): { lifecycle: Lifecycle; raw: string | undefined } => {
  const v = trimmed(raw, ctx);
  if (v === null) return z.NEVER;
  return { lifecycle: parseLifecycle(v), raw: v || undefined };
});

const invitationField = input.transform((raw, ctx): InvitationStatus | undefined => {
  const v = trimmed(raw, ctx);
  if (v === null) return z.NEVER;
  if (!v) return undefined;
  return parseInvitation(v) ?? fail(ctx, 'invalid_invitation_status');
});

/**
 * The zod schema of one input row. `decimalComma` is the file's number convention (";"-delimited
 * files write 12,50). Dates stay tokens: day-first vs month-first is decided per file.
 */
export function subscriptionRowSchema(decimalComma: boolean) {
  const seats = input.transform((raw, ctx) => {
    const v = trimmed(raw, ctx);
    if (v === null) return z.NEVER;
    if (!v) return fail(ctx, 'missing_value');
    const n = parseDecimal(v, decimalComma);
    if (Number.isNaN(n)) return fail(ctx, 'invalid_number');
    if (!Number.isInteger(n)) return fail(ctx, 'not_integer');
    if (n <= 0) return fail(ctx, 'not_positive');
    if (n > MAX_SEATS) return fail(ctx, 'out_of_range');
    return n;
  });
  const price = input.transform((raw, ctx) => {
    const v = trimmed(raw, ctx);
    if (v === null) return z.NEVER;
    if (!v) return undefined;
    const n = parseDecimal(v, decimalComma);
    if (Number.isNaN(n)) return fail(ctx, 'invalid_number');
    if (n < 0) return fail(ctx, 'not_positive');
    if (n > MAX_UNIT_PRICE) return fail(ctx, 'out_of_range');
    return n;
  });
  return z.object({
    customer_id: requiredText,
    customer_name: requiredText,
    contact_email: optionalText,
    country: countryField,
    subscription_id: requiredText,
    offer: requiredText,
    target_offer: optionalText,
    seats,
    licensing_program: optionalText,
    end_date: dateField(true),
    start_date: dateField(false),
    auto_renew: booleanField,
    unit_price_monthly: price,
    base_subscription_id: optionalText,
    status: statusField,
    invitation_status: invitationField,
  });
}

export type SubscriptionRowSchema = ReturnType<typeof subscriptionRowSchema>;
export type SubscriptionRow = z.output<SubscriptionRowSchema> & { end_date: DateToken };

export interface FieldProblem {
  column: ColumnName;
  code: RowCode;
}

export type RowResult = { ok: true; row: SubscriptionRow } | { ok: false; problems: FieldProblem[] };

function issueCode(issue: z.core.$ZodIssue): RowCode {
  const code = (issue as { params?: { code?: RowCode } }).params?.code ?? issue.message;
  return code in ROW_CODES ? (code as RowCode) : 'missing_value';
}

export function validateRow(schema: SubscriptionRowSchema, raw: RawRow): RowResult {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, row: result.data as SubscriptionRow };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ column: issue.path[0] as ColumnName, code: issueCode(issue) })),
  };
}

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
   * result is one object every time, so a result object stands for its cell (row-log.ts).
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
      else (problems ??= []).push({ column, code: result.code });
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
