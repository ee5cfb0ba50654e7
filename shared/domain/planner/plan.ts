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
import { NO_DAY16, Units, schedulable } from './units.js';
import { DayLoad } from './day-load.js';
import { UnitHeap } from './unit-heap.js';

export { RISKS, type Risk } from '../risk.js';
export { graceEndOf } from './risk-classification.js';

const MAX_SKIPS_PER_DAY = 64;

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
  const { earliest: unitE, latest: unitL, weight: unitW, calendar: unitCal, rate: unitRate, end: unitEnd } = units;
  const setDay = (u: number, day: Day): void => units.setDay(u, day);

  const days = new DayLoad(today, capacity);

  // 1. Backward sweep over the units that have a window [earliest, latest], latest deadline first.
  const windowed = (u: number): boolean => units.windowed(u);
  const rest: number[] = [];
  let minE = Infinity;
  for (let u = 0; u < units.count; u++) {
    if (windowed(u)) minE = Math.min(minE, unitE[u]!);
    else rest.push(u);
  }
  const byLatestDesc = unitsByLatestDesc(units.count, unitL, windowed);
  // Most urgent first: the latest `earliest` (cannot go earlier); among equals the earliest end
  // date, whose overlap on this late day is smallest should another unit end up at risk; then
  // the costliest per day; then input order.
  const heaps = calendars.map(
    () => new UnitHeap((a, b) => unitE[a]! - unitE[b]! || unitEnd[b]! - unitEnd[a]! || unitRate[a]! - unitRate[b]! || b - a),
  );
  let next = 0;
  let d = byLatestDesc.length > 0 ? unitL[byLatestDesc[0]!]! : 0;
  const skipped: number[] = [];
  while (byLatestDesc.length > 0 && d >= minE) {
    while (next < byLatestDesc.length && unitL[byLatestDesc[next]!]! >= d) {
      const u = byLatestDesc[next++]!;
      heaps[unitCal[u]!]!.push(u);
    }
    let waiting = false;
    for (let k = 0; k < calendars.length; k++) {
      const heap = heaps[k]!;
      if (heap.size === 0) continue;
      waiting = true;
      if (!calendars[k]!.isBusinessDay(d)) continue;
      while (heap.size > 0 && days.room(d) > 0) {
        const u = heap.pop();
        if (unitE[u]! > d) {
          rest.push(u); // could not be placed on any day of its window
          continue;
        }
        if (days.fits(d, unitW[u]!)) {
          setDay(u, d);
          days.add(d, unitW[u]!);
        } else {
          skipped.push(u);
          // A group too big for the room left: look a little further for smaller ones, but
          // never scan the whole queue for one place (that made large plans quadratic).
          if (skipped.length >= MAX_SKIPS_PER_DAY) break;
        }
      }
      for (const u of skipped) heap.push(u);
      skipped.length = 0;
    }
    if (!waiting) {
      if (next >= byLatestDesc.length) break;
      d = unitL[byLatestDesc[next]!]!; // nothing waits: jump to the next deadline
      continue;
    }
    d--;
  }
  for (const heap of heaps) while (heap.size > 0) rest.push(heap.pop());

  // 2. Urgent and unplaceable units: the first day with room from earliest, most urgent first.
  rest.sort((a, b) => unitL[a]! - unitL[b]! || unitE[a]! - unitE[b]! || a - b);
  let oversizedUnits = 0;
  for (const u of rest) {
    const w = unitW[u]!;
    const day = days.firstFit(unitE[u]!, unitCal[u]!, calendars[unitCal[u]!]!, w);
    if (w > capacity) oversizedUnits++;
    setDay(u, day);
    days.add(day, w);
  }

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
  for (const working of [byLatestDesc, firstMove]) release(working);
  return { today, coTerm: settings.co_term, moveOn, risk, inviteBy, earliest, oversizedUnits };
}

/**
 * The units with a window, by latest day descending and, among equals, in input order: a
 * counting sort over the days (a comparator sort copied the million ids into the JS heap).
 */
function unitsByLatestDesc(units: number, unitL: Uint16Array, windowed: (u: number) => boolean): Int32Array {
  let count = 0;
  let minL = NO_DAY16;
  let maxL = 0;
  for (let u = 0; u < units; u++) {
    if (!windowed(u)) continue;
    count++;
    minL = Math.min(minL, unitL[u]!);
    maxL = Math.max(maxL, unitL[u]!);
  }
  const sorted = new Int32Array(count);
  if (count === 0) return sorted;
  // start[maxL - l]: where the units whose latest day is l begin
  const start = new Int32Array(maxL - minL + 2);
  for (let u = 0; u < units; u++) if (windowed(u)) start[maxL - unitL[u]! + 1]!++;
  for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
  for (let u = 0; u < units; u++) if (windowed(u)) sorted[start[maxL - unitL[u]!]!++] = u;
  return sorted;
}
