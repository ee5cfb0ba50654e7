/**
 * Forward placement: a unit the backward sweep did not place — urgent (its end date passed, or
 * expired or disabled), without a window (latest before earliest), or with no room left in its
 * window — goes to the first business day from its earliest with room for it (a row moved
 * after its latest day is at_risk: risk-classification.ts). The units whose access ends soonest
 * (the earliest end date, or grace end once expired, of their rows) take the first free days, so
 * the fewest subscriptions lapse; then the earliest `earliest`, then input order.
 */
import type { BusinessCalendar } from '../calendar.js';
import type { DayLoad } from './day-load.js';
import type { Units } from './units.js';

/** Places `rest` (sorted in place); returns how many units were larger than a day's capacity. */
export function placeForward(units: Units, rest: number[], calendars: readonly BusinessCalendar[], days: DayLoad): number {
  const { earliest, accessEnd, weight, calendar } = units;
  rest.sort((a, b) => accessEnd[a]! - accessEnd[b]! || earliest[a]! - earliest[b]! || a - b);
  let oversizedUnits = 0;
  for (const u of rest) {
    const w = weight[u]!;
    const day = days.firstFit(earliest[u]!, calendar[u]!, calendars[calendar[u]!]!, w);
    if (w > days.capacity) oversizedUnits++;
    units.setDay(u, day);
    days.add(day, w);
  }
  return oversizedUnits;
}
