/**
 * The validated portfolio of one upload, held column by column in typed arrays: a million rows
 * cost tens of megabytes, not a million objects. Row i of every column is the i-th kept row
 * (planned or ineligible) in input order; rejected rows live only in `problems`. The builder
 * (portfolio-builder.ts) makes it from the rows of a file.
 */
import type { BaseRows } from '../../columnar/base-rows.js';
import type { IdStore } from '../../columnar/id-store.js';
import type { RowNumbers } from '../../columnar/row-numbers.js';
import type { StringTable } from '../../columnar/string-store.js';
import type { Counts, SmallIds } from '../../columnar/widening.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Customers } from './customers.js';
import type { DateFormatDecision } from './date-format-decision.js';
import type { ProblemList } from './problems.js';
import type { StatedDays } from './stated-days.js';

export type { DateFormatDecision } from './date-format-decision.js';
export type { Problem } from './problems.js';

export const LIFECYCLES: readonly Lifecycle[] = [
  'active',
  'suspended',
  'expired',
  'disabled',
  'deleted',
  'provisioned',
  'unknown',
  'excluded',
];

/** Row states. Late rejections (found after the row was kept) stay in the columns as REJECTED. */
export const KEPT = 0;
export const REJECTED = 1;
export const INELIGIBLE = 2;

export const INELIGIBLE_REASONS = ['', 'country_mismatch', 'discontinued_without_target', 'deleted', 'base_ineligible'] as const;
export type IneligibleReason = Exclude<(typeof INELIGIBLE_REASONS)[number], ''>;

export interface Portfolio {
  /** Kept rows (planned, ineligible, or rejected late); index into every column. */
  size: number;
  row: RowNumbers;
  customer: Int32Array;
  /** Offer string id (`strings`). String ids are 8-bit while a file has fewer than 128 distinct strings, then 16-bit, then 32-bit. */
  offer: SmallIds;
  /** Target offer string id; equals `offer` when the file gave none. */
  target: SmallIds;
  /** 16-bit until a row has more than 65,535 seats. */
  seats: Counts;
  /** Licensing program string id, -1 when absent. */
  program: SmallIds;
  /** Days since 1970, all in 2000–2100, so 16 bits (0 for a row rejected for its dates). */
  endDay: Uint16Array;
  /** start_date as days since 1970; 0 when the row has none. */
  startDay: Uint16Array;
  /** -1 unknown, 0 off, 1 on. */
  autoRenew: Int8Array;
  /** Index into `prices` (a file has few distinct prices). */
  priceRef: SmallIds;
  /** Price per seat per month; NaN when absent. */
  prices: readonly number[];
  /** Status string id as written, -1 when absent. */
  status: SmallIds;
  lifecycle: Uint8Array;
  /** Index of the base subscription's row for add-ons (the base_subscription_id as written), else -1. */
  base: BaseRows;
  state: Uint8Array;
  reason: Uint8Array;
  ids: IdStore;
  strings: StringTable;
  customers: Customers;
  /** The lifecycle's days the file gives (a re-uploaded plan.csv), where it gives them. */
  statedDays?: StatedDays | undefined;
  /** In row order. */
  problems: ProblemList;
  stats: IngestStats;
}

export interface IngestStats {
  /** Data rows read (blank lines excluded). */
  dataRows: number;
  blankRows: number;
  /** Rows only in errors.csv. */
  rejectedRows: number;
  /** Rows in plan.csv (planned or ineligible). */
  keptRows: number;
  dateFormat: DateFormatDecision;
}
