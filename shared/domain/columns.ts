/**
 * The input columns the planner reads, in the order of the input contract, and which of them a
 * file must have. How files may name them (aliases from real exports) is the CSV reader's
 * business: shared/csv/header-aliases.ts.
 */
export const INPUT_COLUMNS = [
  { name: 'customer_id', required: true },
  { name: 'customer_name', required: true },
  { name: 'contact_email', required: false },
  { name: 'country', required: false },
  { name: 'subscription_id', required: true },
  { name: 'offer', required: true },
  { name: 'target_offer', required: false },
  { name: 'seats', required: true },
  { name: 'licensing_program', required: false },
  { name: 'end_date', required: true },
  { name: 'start_date', required: false },
  { name: 'auto_renew', required: false },
  { name: 'unit_price_monthly', required: false },
  { name: 'base_subscription_id', required: false },
  { name: 'status', required: false },
  { name: 'invitation_status', required: false },
] as const;

export type ColumnName = (typeof INPUT_COLUMNS)[number]['name'];
export const COLUMN_NAMES: readonly ColumnName[] = INPUT_COLUMNS.map((c) => c.name);
export const REQUIRED_COLUMNS: readonly ColumnName[] = INPUT_COLUMNS.filter((c) => c.required).map((c) => c.name);
