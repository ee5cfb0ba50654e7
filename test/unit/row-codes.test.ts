import { describe, expect, it } from 'vitest';
import { ROW_CODES, type RowCode } from '../../shared/domain/codes.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const base: RowSpec = { customer: 'c1', sub: 'keep', end: '2027-06-30' };

interface Case {
  code: RowCode;
  rows: RowSpec[];
  /** The spreadsheet row and column the problem is reported on. */
  row: number;
  column: string;
  settings?: Record<string, unknown>;
  text?: string;
}

const cases: Case[] = [
  { code: 'missing_value', rows: [base, { sub: 's2', end: '', customer: 'c1' }], row: 3, column: 'end_date' },
  { code: 'invalid_date', rows: [base, { sub: 's2', end: '2027-02-30' }], row: 3, column: 'end_date' },
  { code: 'date_out_of_range', rows: [base, { sub: 's2', end: '1999-12-31' }], row: 3, column: 'end_date' },
  { code: 'invalid_number', rows: [base, { sub: 's2', end: '2027-06-30', seats: 'ten' }], row: 3, column: 'seats' },
  { code: 'not_integer', rows: [base, { sub: 's2', end: '2027-06-30', seats: '2.5' }], row: 3, column: 'seats' },
  { code: 'not_positive', rows: [base, { sub: 's2', end: '2027-06-30', seats: -3 }], row: 3, column: 'seats' },
  { code: 'out_of_range', rows: [base, { sub: 's2', end: '2027-06-30', seats: 5_000_000 }], row: 3, column: 'seats' },
  { code: 'invalid_boolean', rows: [base, { sub: 's2', end: '2027-06-30', autoRenew: 'maybe' }], row: 3, column: 'auto_renew' },
  {
    code: 'invalid_country',
    rows: [base, { sub: 's2', customer: 'c2', end: '2027-06-30', country: 'Atlantis' }],
    row: 3,
    column: 'country',
  },
  {
    code: 'invalid_invitation_status',
    rows: [base, { sub: 's2', end: '2027-06-30', invitation: 'perhaps' }],
    row: 3,
    column: 'invitation_status',
  },
  { code: 'value_too_long', rows: [base, { sub: 's2', end: '2027-06-30', name: 'x'.repeat(100_000) }], row: 3, column: 'customer_name' },
  { code: 'duplicate_subscription', rows: [base, { sub: 'keep', end: '2027-06-30' }], row: 3, column: 'subscription_id' },
  {
    code: 'unknown_base_subscription',
    rows: [base, { sub: 'addon', end: '2027-06-30', base: 'missing' }],
    row: 3,
    column: 'base_subscription_id',
  },
  {
    code: 'add_on_chain',
    rows: [base, { sub: 'a', end: '2027-06-30', base: 'b' }, { sub: 'b', end: '2027-06-30', base: 'a' }],
    row: 3,
    column: 'base_subscription_id',
  },
  {
    code: 'base_of_other_customer',
    rows: [base, { sub: 'addon', customer: 'c2', end: '2027-06-30', base: 'keep' }],
    row: 3,
    column: 'base_subscription_id',
  },
  { code: 'deleted_subscription', rows: [base, { sub: 's2', end: '2027-06-30', status: 'Deleted' }], row: 3, column: 'status' },
  {
    code: 'base_ineligible',
    rows: [
      base,
      { sub: 'gone', customer: 'c2', end: '2027-06-30', status: 'Deleted' },
      { sub: 'x', customer: 'c2', end: '2027-06-30', base: 'gone' },
    ],
    row: 4,
    column: 'base_subscription_id',
  },
  {
    code: 'status_contradicts_end_date',
    rows: [base, { sub: 's2', end: '2027-06-30', status: 'Disabled' }],
    row: 3,
    column: 'status',
  },
  { code: 'country_mismatch', rows: [base, { sub: 's2', customer: 'c2', end: '2027-06-30', country: 'DE' }], row: 3, column: 'country' },
  { code: 'discontinued_without_target', rows: [base, { sub: 's2', end: '2027-06-30', offer: 'Office 365 E4' }], row: 3, column: 'offer' },
  {
    code: 'missing_contact_email',
    rows: [base, { sub: 's2', customer: 'c2', end: '2027-06-30', email: '' }],
    row: 3,
    column: 'contact_email',
  },
  {
    code: 'invalid_email',
    rows: [base, { sub: 's2', customer: 'c2', end: '2027-06-30', email: 'not-an-address' }],
    row: 3,
    column: 'contact_email',
  },
  { code: 'unknown_status', rows: [base, { sub: 's2', end: '2027-06-30', status: 'Frozen' }], row: 3, column: 'status' },
  {
    code: 'customer_conflict',
    rows: [base, { sub: 's2', customer: 'c1', end: '2027-06-30', name: 'Another Name' }],
    row: 3,
    column: 'customer_name',
  },
];

describe('row problems: each has its code, row, column and a message naming them', () => {
  it('covers every documented row code except those with their own tests (below, and unusable_status_date in upload-statuses.test.ts)', () => {
    const covered = new Set([...cases.map((c) => c.code), 'unterminated_quote', 'extra_fields', 'start_after_end', 'unusable_status_date']);
    expect([...covered].sort()).toEqual(Object.keys(ROW_CODES).sort());
  });

  it.each(cases)('$code', async ({ code, rows, row, column }) => {
    const { errors, plan } = await planCsv(csvOf(rows));
    const problem = errors.find((e) => e.code === code);
    expect(problem, `errors.csv: ${JSON.stringify(errors)}`).toBeDefined();
    expect(problem).toMatchObject({ row: String(row), column });
    expect(problem!.message).toContain(`Row ${row}`);
    expect(problem!.message).toContain(column);
    const severity = ROW_CODES[code].severity;
    const planned = plan.find((p) => p.row === String(row));
    if (severity === 'error') expect(planned).toBeUndefined();
    else expect(planned).toBeDefined();
    if (severity === 'ineligible') expect(planned!.risk).toBe('ineligible');
    // The good row is always planned: one bad row never stops the others.
    expect(plan.find((p) => p.subscription_id === 'keep')).toBeDefined();
  });

  it('unterminated_quote: the rest of the file is one value, and that is said', async () => {
    const text = `${csvOf([base]).trimEnd()}\nc1,"Never closed,,,s2,Office 365 E3,,5,Open,2027-06-30\nc1,x,,,s3,Office 365 E3,,5,Open,2027-06-30\n`;
    const { errors, plan } = await planCsv(text);
    expect(errors).toContainEqual(expect.objectContaining({ row: '3', code: 'unterminated_quote' }));
    expect(plan).toHaveLength(1);
  });

  it('extra_fields: values beyond the header are ignored, with a warning', async () => {
    const text = `${csvOf([base]).trimEnd()},surplus\n`;
    const { errors, plan } = await planCsv(text);
    expect(errors).toContainEqual(expect.objectContaining({ row: '2', code: 'extra_fields' }));
    expect(plan).toHaveLength(1);
  });

  it('start_after_end: a warning, the row is planned', async () => {
    const text =
      'customer_id,customer_name,subscription_id,offer,seats,end_date,start_date\nc1,A,s1,Office 365 E3,5,2027-06-30,2027-07-30\n';
    const { errors, plan } = await planCsv(text);
    expect(errors).toContainEqual(expect.objectContaining({ row: '2', column: 'start_date', code: 'start_after_end' }));
    expect(plan).toHaveLength(1);
  });

  it('reports several problems of one row, one line each', async () => {
    const { errors } = await planCsv(csvOf([base, { sub: 's2', end: 'soon', seats: 0, autoRenew: 'maybe' }]));
    expect(
      errors
        .filter((e) => e.row === '3')
        .map((e) => e.code)
        .sort(),
    ).toEqual(['invalid_boolean', 'invalid_date', 'not_positive']);
  });

  it('names the column as the file spells it', async () => {
    const text =
      'CustomerTenantId,CustomerName,LegacySubscriptionId,LegacyProductName,CurrentSeatCount,ExpirationDate\nc1,A,s1,Office 365 E3,5,2027-02-30\n';
    const { errors } = await planCsv(text);
    expect(errors[0]).toMatchObject({ column: 'end_date', code: 'invalid_date' });
    expect(errors[0]!.message).toContain('ExpirationDate');
  });

  it('cuts a huge value short in errors.csv', async () => {
    const { errors } = await planCsv(csvOf([base, { sub: 's2', end: '2027-06-30', name: 'x'.repeat(100_000) }]));
    const problem = errors.find((e) => e.code === 'value_too_long')!;
    expect(problem.value!.length).toBeLessThan(300);
    expect(problem.message).toContain('100,000 characters');
  });
});

describe('every data row is accounted for', () => {
  it('planned + rejected = rows read, and each row is in plan.csv or errors.csv', async () => {
    const rows: RowSpec[] = [
      base,
      { sub: 's2', end: 'bad' },
      { sub: 's3', end: '2027-06-30', country: 'DE', customer: 'c9' },
      { sub: 'keep', end: '2027-06-30' },
      { sub: 's5', end: '2027-06-30', email: '', customer: 'c5' },
    ];
    const { plan, errors, run } = await planCsv(csvOf(rows));
    const stats = run.portfolio.stats;
    expect(stats.keptRows + stats.rejectedRows).toBe(rows.length);
    const seen = new Set([...plan.map((p) => p.row), ...errors.map((e) => e.row)]);
    expect([...seen].sort()).toEqual(['2', '3', '4', '5', '6']);
  });
});
