/**
 * Capacity need: the smallest daily_capacity with which no subscription that can be on time is
 * at_risk, found with the real planner.
 *
 * A subscription can be on time when what moves with it on one day (its unit: with its base and
 * add-ons, or in co-term mode with its customer's subscriptions) has a window: a business day from
 * the customer's earliest day to the latest day of its earliest-ending subscription. Capacity
 * decides whether the unit gets a day of it. Left out: expired, lapsed, ineligible, provisioned
 * and excluded subscriptions, which are never at_risk, and units without a window (one of their
 * subscriptions has ended, or their earliest day is past a deadline), which move as soon as they
 * can, on the first day with room, rather than into a window.
 *
 * Running the planner for every capacity a bisection tries would cost a million-row plan about
 * twenty placements. Instead:
 * 1. A lower bound, from a relaxation of the planner's rules. A unit of w rows takes min(w, c)
 *    of a day's c places (a unit larger than a day takes a day alone), on any business day of any
 *    calendar in its window. Such unit places fit (Hall's condition for windows on a line) iff
 *    for every span of days [a, b] the places of the units whose windows lie within it are at
 *    most c × the business days of [a, b]; the tightest spans start on an earliest day, and
 *    earliest days are few (today or today + invite_lead_days, per calendar). The condition only
 *    gets easier as c grows (the places grow by the count of units heavier than c, which the
 *    condition at c already bounds by the business days), so it is bisected. Any placement the
 *    planner makes satisfies it: no capacity below the bound can work.
 * 2. The planner's own placement (plan.ts, placeUnits) on the same units at the bound. For single
 *    subscriptions of one calendar the backward sweep places as many within their windows as any
 *    schedule could, so this confirms the bound and the search ends with one extra placement (none
 *    when the bound is the partner's setting, which the plan itself confirms).
 * 3. When it does not confirm it (units of several rows that do not pack, or the sweep's greedy
 *    rule between calendars), the planner decides alone: capacities above the bound are tried
 *    doubling the step, then bisected, each by a placement. The planner is a greedy packer, so
 *    with several-row units more capacity is not proven never to do worse; the answer is then a
 *    capacity the planner was seen to need, with one less seen (or proven) to fall short.
 */

import type { BusinessCalendar } from '../calendar.js';
import { type Day, NO_DAY } from '../dates.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { AT_RISK } from '../risk.js';
import { CustomerWindows } from './customer-windows.js';
import { type Plan, type PlanOptions, placeUnits } from './plan.js';
import { Units } from './units.js';

export interface CapacityNeed {
  /** The partner's daily_capacity. */
  setting: number;
  /** The least daily_capacity with which no subscription that can be on time is at_risk (1 when none can). */
  needed: number;
  /** Subscriptions that can be on time (in a unit with a window): the ones capacity decides for. */
  canBeOnTime: number;
  /** At the setting: subscriptions at_risk that `needed` moves on time, and the first end date among them (NO_DAY when none). */
  atRisk: number;
  firstAtRiskEnd: Day;
  /** At the setting: subscriptions at_risk in units without a window (left out of the search). */
  atRiskWithoutWindow: number;
  /** Placements of the planner the search ran besides the plan itself. */
  placements: number;
}

/**
 * The capacity the moves need, against `atSetting`, the plan made with the partner's setting.
 * `planned`: that plan's own units and windows (plan()'s `withUnits`), placed again here rather
 * than built a second time beside them.
 */
export function capacityNeed(
  p: Portfolio,
  options: PlanOptions,
  atSetting: Plan,
  planned?: { units: Units; windows: CustomerWindows },
): CapacityNeed {
  const { today, settings } = options;
  const setting = settings.daily_capacity;
  const windows = planned?.windows ?? new CustomerWindows(p, today, settings);
  const units = planned?.units ?? new Units(p, windows, today, settings.co_term);

  let canBeOnTime = 0;
  let atRisk = 0;
  let atRiskWithoutWindow = 0;
  let firstAtRiskEnd = NO_DAY;
  for (let i = 0; i < p.size; i++) {
    const u = units.ofRow[i]!;
    if (u === -1) continue;
    const can = units.windowed(u);
    if (can) canBeOnTime++;
    if (atSetting.risk[i] !== AT_RISK) continue;
    if (!can) atRiskWithoutWindow++;
    else {
      atRisk++;
      if (firstAtRiskEnd === NO_DAY || p.endDay[i]! < firstAtRiskEnd) firstAtRiskEnd = p.endDay[i]!;
    }
  }

  let placements = 0;
  // Every unit with a window moved within it: then none of its rows is at_risk, else the earliest-ending one is.
  const works = (capacity: number): boolean => {
    if (capacity === setting) return atRisk === 0;
    placements++;
    placeUnits(p, units, windows.calendars, today, capacity);
    for (let u = 0; u < units.count; u++) if (units.windowed(u) && units.dayOf(u) > units.latest[u]!) return false;
    return true;
  };

  const bound = Math.max(1, lowerBound(units, windows.calendars));
  let needed = bound;
  if (canBeOnTime > 0 && !works(bound)) {
    // The planner decides alone from here: `short` falls short, `enough` is enough.
    let short = bound;
    // With a day's room for every unit's rows, each unit moves on the latest day of its window.
    let enough = atRisk === 0 && setting > bound ? setting : totalRows(units);
    for (let step = 1; short + step < enough; step *= 2) {
      if (works(short + step)) {
        enough = short + step;
        break;
      }
      short += step;
    }
    while (enough - short > 1) {
      const mid = short + Math.floor((enough - short) / 2);
      if (works(mid)) enough = mid;
      else short = mid;
    }
    needed = enough;
  }
  if (!planned) units.release();
  return { setting, needed, canBeOnTime, atRisk, firstAtRiskEnd, atRiskWithoutWindow, placements };
}

function totalRows(units: Units): number {
  let rows = 0;
  for (let u = 0; u < units.count; u++) rows += units.weight[u]!;
  return rows;
}

/**
 * The least capacity with which the windowed units' places (min(weight, capacity) each) fit
 * their windows on the business days of any calendar (step 1 above); 0 when none has a window.
 */
export function lowerBound(units: Units, calendars: readonly BusinessCalendar[]): number {
  const { earliest, latest, weight, calendar } = units;
  let minE = Infinity;
  let maxL = -Infinity;
  let total = 0;
  const starts = new Set<number>();
  const used = new Set<number>();
  for (let u = 0; u < units.count; u++) {
    if (!units.windowed(u)) continue;
    minE = Math.min(minE, earliest[u]!);
    maxL = Math.max(maxL, latest[u]!);
    total += weight[u]!;
    starts.add(earliest[u]!);
    used.add(calendar[u]!);
  }
  if (total === 0) return 0;
  const span = maxL - minE + 1;
  // businessBefore[k]: business days (of any calendar in use) in [minE, minE + k).
  const businessBefore = new Float64Array(span + 1);
  const cals = [...used].map((k) => calendars[k]!);
  for (let k = 0; k < span; k++) businessBefore[k + 1] = businessBefore[k]! + (cals.some((c) => c.isBusinessDay(minE + k)) ? 1 : 0);
  const startDays = [...starts].sort((a, b) => a - b);
  const startIndex = new Map(startDays.map((d, i) => [d, i]));
  // rows[s × span + l − minE]: rows of the units starting on startDays[s] whose window ends on l.
  const rows = new Float64Array(startDays.length * span);
  const heavy: number[] = [];
  for (let u = 0; u < units.count; u++) {
    if (!units.windowed(u)) continue;
    rows[startIndex.get(earliest[u]!)! * span + latest[u]! - minE]! += weight[u]!;
    if (weight[u]! > 1) heavy.push(u);
  }
  heavy.sort((a, b) => weight[b]! - weight[a]!);
  const cells = new Float64Array(rows.length);
  const within = new Float64Array(span);

  const fits = (capacity: number): boolean => {
    cells.set(rows);
    for (const u of heavy) {
      if (weight[u]! <= capacity) break;
      cells[startIndex.get(earliest[u]!)! * span + latest[u]! - minE]! -= weight[u]! - capacity;
    }
    within.fill(0);
    // From the last start day back: `within` holds the places of the units starting on or after it, by end day.
    for (let s = startDays.length - 1; s >= 0; s--) {
      const a = startDays[s]! - minE;
      let places = 0;
      for (let b = a; b < span; b++) {
        within[b]! += cells[s * span + b]!;
        places += within[b]!;
        if (places > capacity * (businessBefore[b + 1]! - businessBefore[a]!)) return false;
      }
    }
    return true;
  };

  let short = 0;
  let enough = total; // every window has a business day, which then takes all the rows
  while (enough - short > 1) {
    const mid = short + Math.floor((enough - short) / 2);
    if (fits(mid)) enough = mid;
    else short = mid;
  }
  return enough;
}
