/**
 * The days a file gives for where its moves stand — a re-uploaded plan.csv's `invited_on`,
 * `accepted_on` and `provisioned_on` — kept only where a cell has one. A day-first/month-first
 * pair waits packed (see date-format-decision.ts) until the file's format is decided.
 */
import type { STATUS_DAY_COLUMNS } from '../columns.js';
import type { Day } from '../dates.js';

export type StatedDayColumn = (typeof STATUS_DAY_COLUMNS)[number];

export class StatedDays {
  /** Customer index → the day its invitation was sent / accepted. */
  readonly invitedOn = new Map<number, Day>();
  readonly acceptedOn = new Map<number, Day>();
  /** Row index → the day the subscription was provisioned. */
  readonly provisionedOn = new Map<number, Day>();

  /** The days of one column, keyed by customer (invited_on, accepted_on) or by row (provisioned_on). */
  of(column: StatedDayColumn): Map<number, Day> {
    return column === 'invited_on' ? this.invitedOn : column === 'accepted_on' ? this.acceptedOn : this.provisionedOn;
  }

  get size(): number {
    return this.invitedOn.size + this.acceptedOn.size + this.provisionedOn.size;
  }
}
