/**
 * Backward sweep: each unit as late as possible in its window [earliest, latest], at most
 * daily_capacity rows a business day.
 *
 * The sweep walks the days backwards from the latest deadline. A unit waits from its latest day
 * on; each business day of its calendar gives its free places to the waiting units that can
 * least afford to go earlier (the largest `earliest`; among equals the larger unit, then the
 * earliest end date): earliest-deadline-first in reversed time. For single subscriptions this
 * places as many within their windows as any schedule could; units of several rows make it a
 * packing problem that no such rule always solves, which the exact search (exact-search.ts)
 * takes up where it can. A unit whose earliest day is passed before it finds room is left for
 * forward placement.
 */

import { release } from '../../columnar/typed-arrays.js';
import type { BusinessCalendar } from '../calendar.js';
import type { DayLoad } from './day-load.js';
import { UnitHeap } from './unit-heap.js';
import { NO_DAY16, type Units } from './units.js';

/** Units tried and put back on one day before the sweep gives up on that day's remaining room. */
const MAX_SKIPS_PER_DAY = 64;

/** Places the units with a window; returns the others (urgent, or no room in their window) for forward placement. */
export function sweepBackward(units: Units, calendars: readonly BusinessCalendar[], days: DayLoad): number[] {
  const { earliest, latest, weight, calendar, rate, end } = units;
  const rest: number[] = [];
  let minE = Infinity;
  for (let u = 0; u < units.count; u++) {
    if (units.windowed(u)) minE = Math.min(minE, earliest[u]!);
    else rest.push(u);
  }
  const byLatestDesc = unitsByLatestDesc(units);
  // Most urgent first: the latest `earliest` (cannot go earlier); among equals the larger unit,
  // which saves a subscription-day for each of its rows on this late day; then the earliest end
  // date, whose overlap here is smallest should another unit end up at risk; then the costliest
  // per day; then input order.
  const heaps = calendars.map(
    () =>
      new UnitHeap((a, b) => earliest[a]! - earliest[b]! || weight[a]! - weight[b]! || end[b]! - end[a]! || rate[a]! - rate[b]! || b - a),
  );
  let next = 0;
  let d = byLatestDesc.length > 0 ? latest[byLatestDesc[0]!]! : 0;
  const skipped: number[] = [];
  while (byLatestDesc.length > 0 && d >= minE) {
    // The units whose latest day is d start waiting.
    while (next < byLatestDesc.length && latest[byLatestDesc[next]!]! >= d) {
      const u = byLatestDesc[next++]!;
      heaps[calendar[u]!]!.push(u);
    }
    let waiting = false;
    for (let k = 0; k < calendars.length; k++) {
      const heap = heaps[k]!;
      if (heap.size === 0) continue;
      waiting = true;
      if (!calendars[k]!.isBusinessDay(d)) continue;
      while (heap.size > 0 && days.room(d) > 0) {
        const u = heap.pop();
        if (earliest[u]! > d) {
          rest.push(u); // could not be placed on any day of its window
          continue;
        }
        if (days.fits(d, weight[u]!)) {
          units.setDay(u, d);
          days.add(d, weight[u]!);
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
      d = latest[byLatestDesc[next]!]!; // nothing waits: jump to the next deadline
      continue;
    }
    d--;
  }
  for (const heap of heaps) while (heap.size > 0) rest.push(heap.pop());
  release(byLatestDesc);
  return rest;
}

/**
 * The units with a window, by latest day descending and, among equals, in input order: a
 * counting sort over the days (a comparator sort copied the million ids into the JS heap).
 */
function unitsByLatestDesc(units: Units): Int32Array {
  const latest = units.latest;
  let count = 0;
  let minL = NO_DAY16;
  let maxL = 0;
  for (let u = 0; u < units.count; u++) {
    if (!units.windowed(u)) continue;
    count++;
    minL = Math.min(minL, latest[u]!);
    maxL = Math.max(maxL, latest[u]!);
  }
  const sorted = new Int32Array(count);
  if (count === 0) return sorted;
  // start[maxL - l]: where the units whose latest day is l begin
  const start = new Int32Array(maxL - minL + 2);
  for (let u = 0; u < units.count; u++) if (units.windowed(u)) start[maxL - latest[u]! + 1]!++;
  for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
  for (let u = 0; u < units.count; u++) if (units.windowed(u)) sorted[start[maxL - latest[u]!]!++] = u;
  return sorted;
}
