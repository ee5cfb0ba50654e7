import * as z from 'zod';
import { ROW_CODES, type RowCode } from './codes.js';
import type { ColumnName } from './columns.js';
import { toCountryCode } from './country.js';
import { FIRST_DAY, LAST_DAY } from './dates.js';
import { type InvitationStatus, type Lifecycle, parseInvitation, parseLifecycle } from './lifecycle.js';
import { type DateToken, parseBoolean, parseDateToken, parseDecimal, withoutFormulaGuard } from './values.js';

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
 * the row code. A cell plan.csv guarded against formulas ("'=…") loses the guard here.
 */
const text = z.string({ error: 'missing_value' }).trim().overwrite(withoutFormulaGuard).max(MAX_VALUE_LENGTH, { error: 'value_too_long' });
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
    invited_on: dateField(false),
    accepted_on: dateField(false),
    provisioned_on: dateField(false),
  });
}

export type SubscriptionRowSchema = ReturnType<typeof subscriptionRowSchema>;
export type SubscriptionRow = z.output<SubscriptionRowSchema> & { end_date: DateToken };

export interface FieldProblem {
  column: ColumnName;
  code: RowCode;
}

export type RowResult = { ok: true; row: SubscriptionRow } | { ok: false; problems: FieldProblem[] };

export function issueCode(issue: z.core.$ZodIssue): RowCode {
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
