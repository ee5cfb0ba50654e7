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
  // The days of the move's lifecycle, as a plan.csv gives them back: when an upload records the
  // state they go with, the change takes effect on that day.
  { name: 'invited_on', required: false },
  { name: 'accepted_on', required: false },
  { name: 'provisioned_on', required: false },
] as const;

export type ColumnName = (typeof INPUT_COLUMNS)[number]['name'];
export const COLUMN_NAMES: readonly ColumnName[] = INPUT_COLUMNS.map((c) => c.name);
/** The lifecycle's days: the status events hold them, so a stored input row leaves them out. */
export const STATUS_DAY_COLUMNS = ['invited_on', 'accepted_on', 'provisioned_on'] as const satisfies readonly ColumnName[];
/** The columns of a stored input row: every planner input. */
export type PlannerInputColumn = Exclude<ColumnName, (typeof STATUS_DAY_COLUMNS)[number]>;
export const PLANNER_INPUT_COLUMNS = COLUMN_NAMES.filter(
  (name): name is PlannerInputColumn => !(STATUS_DAY_COLUMNS as readonly string[]).includes(name),
);
export const REQUIRED_COLUMNS: readonly ColumnName[] = INPUT_COLUMNS.filter((c) => c.required).map((c) => c.name);
