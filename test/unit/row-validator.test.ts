/**
 * The ingest validates rows with RowValidator, which remembers each column's zod results. It must
 * give exactly what the row schema gives, whatever the order and repetition of values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowValidator } from '../../shared/csv/row-validator.js';
import { COLUMN_NAMES, type ColumnName } from '../../shared/domain/columns.js';
import { type RawRow, type RowResult, subscriptionRowSchema, validateRow } from '../../shared/domain/subscription-row.js';

/** Cells each column may hold: valid, invalid, blank, padded, oversized. */
const CELLS: Record<ColumnName, string[]> = {
  customer_id: ['c1', ' c2 ', '', 'x'.repeat(1_001)],
  customer_name: ['Contoso', '"Fabrikam, Inc."', '', '  '],
  contact_email: ['a@b.example', 'not-an-email', ''],
  country: ['US', 'united states', 'Atlantis', 'uk', ''],
  subscription_id: ['s1', 's2', '', ' s3'],
  offer: ['Office 365 E3', '', 'Office 365 E4'],
  target_offer: ['Microsoft 365 E3', ''],
  seats: ['25', '0', '-3', '2.5', 'many', '1,000', '', '1000001'],
  licensing_program: ['Open Value', 'Enterprise Agreement', ''],
  end_date: ['2027-02-08', '08/02/2027', '2027-02-30', '1999-01-01', 'soon', ''],
  start_date: ['2024-02-08', 'never', ''],
  auto_renew: ['yes', 'FALSE', 'maybe', ''],
  unit_price_monthly: ['20', '12,50', '$36.00', '-1', 'free', ''],
  base_subscription_id: ['s1', ''],
  status: ['Active', 'Deleted', 'weird', ''],
  invitation_status: ['accepted', 'sent', 'lost', ''],
  invited_on: ['2026-11-02', '02/11/2026', 'last week', ''],
  accepted_on: ['2026-11-20', ''],
  provisioned_on: ['2026-12-01', '31/02/2026', ''],
};

/** A file's columns: a subset in some order, each at its own record index. */
const layoutArb = fc.shuffledSubarray([...COLUMN_NAMES], { minLength: 1 });

function recordArb(layout: ColumnName[]) {
  return fc.tuple(...layout.map((column) => fc.constantFrom(...CELLS[column]))).map((cells) => cells as string[]);
}

/** Results compared as data: a key holding undefined is the same as no key. */
function plain(result: RowResult): unknown {
  return JSON.parse(JSON.stringify(result));
}

describe('RowValidator', () => {
  it('gives the row schema’s result for every row, with values repeated in any order', () => {
    fc.assert(
      fc.property(
        layoutArb.chain((layout) => fc.tuple(fc.constant(layout), fc.array(recordArb(layout), { minLength: 1, maxLength: 40 }))),
        fc.boolean(),
        ([layout, records], decimalComma) => {
          const schema = subscriptionRowSchema(decimalComma);
          const validator = new RowValidator(
            schema,
            layout.map((column, index) => [column, index] as const),
          );
          for (const record of records) {
            const raw: RawRow = {};
            for (const [index, column] of layout.entries()) raw[column] = record[index];
            expect(plain(validator.validate(record))).toEqual(plain(validateRow(schema, raw)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a short record’s missing cells as absent', () => {
    const schema = subscriptionRowSchema(false);
    const columns = COLUMN_NAMES.map((column, index) => [column, index] as const);
    const result = new RowValidator(schema, columns).validate(['c1', 'Contoso']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.column)).toEqual(['subscription_id', 'offer', 'seats', 'end_date']);
  });
});
