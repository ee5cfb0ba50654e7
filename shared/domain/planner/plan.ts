/**
 * The planner: pure, no I/O, no clock. Given a portfolio, the partner's settings and "today",
 * it picks the day each subscription is provisioned in CSP and when each customer must be
 * invited, following the planning rules of ../shared/architecture.md:
 *
 * - latest   = buffer_business_days business days before the end date;
 * - earliest = today (invitation accepted) or today + invite_lead_days, on a business day;
 * - at most daily_capacity moves a business day; each move as late as possible in
 *   [earliest, latest]; when no such day has room the move is at_risk and goes to the first
 *   day with room from earliest;
 * - add-ons move with their base; in co-term mode a customer's subscriptions move together.
 *
 * Capacity levelling sweeps the days backwards from the latest deadline and, each day, fills the
 * free places with the waiting moves that can least afford to go earlier (the largest
 * `earliest`; among equals the earliest end date): earliest-deadline-first in reversed time. It
 * places as many moves within their windows as any schedule could, each as late as the others
 * allow; the oracle test checks count and total overlap against exhaustive search.
 */
import type { PartnerSettings } from '../partner-settings.js';
import { CustomerWindows } from './customer-windows.js';
import { type Day, FIRST_DAY, LAST_DAY, NO_DAY, dayToIso } from '../dates.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { graceEndOf, riskOf } from './risk-classification.js';
import { release } from '../../columnar/typed-arrays.js';
import { Units, schedulable } from './units.js';
import { DayLoad } from './day-load.js';
import { sweepBackward } from './backward-sweep.js';
import { placeForward } from './forward-placement.js';

export { RISKS, type Risk } from '../risk.js';
export { graceEndOf } from './risk-classification.js';

export interface PlanOptions {
  today: Day;
  settings: Pick<PartnerSettings, 'country' | 'invite_lead_days' | 'buffer_business_days' | 'daily_capacity' | 'co_term'>;
}

export interface Plan {
  today: Day;
  coTerm: boolean;
  /** Day each row is provisioned in CSP; NO_DAY for ineligible, rejected and provisioned rows. */
  moveOn: Int32Array;
  /** Index into RISKS. */
  risk: Uint8Array;
  /** Per customer: send the reseller relationship request by; NO_DAY once accepted or nothing to move. */
  inviteBy: Int32Array;
  /** Per customer: first possible move day. */
  earliest: Int32Array;
  /** Moves placed on a day that was already full, because one unit is larger than a day's capacity. */
  oversizedUnits: number;
}

export function plan(p: Portfolio, options: PlanOptions): Plan {
  const { today, settings } = options;
  const n = p.size;
  const lead = settings.invite_lead_days;
  const capacity = settings.daily_capacity;
  // Keeps every deadline below NO_DAY16 (earliest ≤ LAST_DAY + 365 lead days + a few holidays).
  if (!(today >= FIRST_DAY && today <= LAST_DAY)) throw new RangeError(`A plan starts from 2000-01-01 to 2100-12-31, not ${dayToIso(today)}.`);

  const windows = new CustomerWindows(p, today, settings);
  const { calendars, earliest } = windows;

  const units = new Units(p, windows, today, settings.co_term);
  const moveOn = units.ofRow;
  const unitOf = units.ofRow;

  const days = new DayLoad(today, capacity);
  const rest = sweepBackward(units, calendars, days);
  const oversizedUnits = placeForward(units, rest, calendars, days);

  // Rows: move day, risk; customers: invite-by.
  const risk = new Uint8Array(n);
  const firstMove = new Int32Array(p.customers.count).fill(NO_DAY);
  for (let i = 0; i < n; i++) {
    const u = unitOf[i]!;
    if (u === -1) moveOn[i] = NO_DAY;
    else {
      const day = units.dayOf(u);
      moveOn[i] = day;
      const c = p.customer[i]!;
      if (firstMove[c] === NO_DAY || day < firstMove[c]!) firstMove[c] = day;
    }
    risk[i] = riskOf(p, i, today, graceEndOf(p, i), moveOn[i]!, earliest[p.customer[i]!]!, schedulable(p, i) ? windows.latestOf(i) : NO_DAY);
  }
  const inviteBy = new Int32Array(p.customers.count).fill(NO_DAY);
  for (let c = 0; c < p.customers.count; c++) {
    if (p.customers.invitation[c] === 'accepted' || firstMove[c] === NO_DAY) continue;
    inviteBy[c] = Math.max(today, firstMove[c]! - lead);
  }
  // The units' working arrays (≈ 20 B a unit) are not kept by anything returned: freed now, not
  // under the output phase's allocations at the next full collection.
  units.release();
  release(firstMove);
  return { today, coTerm: settings.co_term, moveOn, risk, inviteBy, earliest, oversizedUnits };
}
