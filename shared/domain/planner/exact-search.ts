/**
 * Exact search: the best placement of each small group of competing units, by branch and bound.
 *
 * The plan's objective, in order (README, "Planning rules"):
 * 1. the fewest subscriptions outside their window (at risk);
 * 2. the least total overlap in subscription-days of the moves within their window (a unit of
 *    k rows counts each row: its end date − the move day);
 * 3. the least overlap cost of those moves.
 * Units of several rows under a daily capacity make this a packing problem that no greedy rule
 * always solves, so the backward sweep's placement is a first answer. Units whose windows do not
 * overlap never compete for a day, so the units split into groups that are solved one by one:
 * a group small enough is searched exhaustively (with bounds), and the sweep's placement is
 * replaced only by a strictly better one. Ties therefore keep the sweep's rules. A group too large,
 * or whose search runs out of its budget, keeps the sweep's placement.
 */

import type { BusinessCalendar } from '../calendar.js';
import { dailyCost } from '../cost.js';
import type { Day } from '../dates.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { DayLoad } from './day-load.js';
import type { Units } from './units.js';

/** Units a group may hold to be searched: beyond this the search rarely completes. */
export const MAX_GROUP_UNITS = 12;
/** Placements one group's search may try before it gives up and keeps the sweep's. */
const NODES_PER_GROUP = 1_000_000;
/** Placements all groups of one plan may try together, so a file of many small groups stays fast. */
const NODES_PER_PLAN = 4_000_000;

interface GroupUnit {
  unit: number;
  weight: number;
  /** Business days of its window, latest first. */
  options: Day[];
  /** Sum of its rows' end dates, and of end date × daily cost: overlap and cost at day d are linear in d. */
  endSum: number;
  endCostSum: number;
  rate: number;
}

interface Score {
  atRisk: number;
  overlap: number;
  cost: number;
}

/**
 * Searches every small group of windowed units (those the sweep placed, and those of `rest` with a
 * window) and moves its units to the best placement found; returns the new `rest`.
 */
export function searchSmallGroups(
  p: Portfolio,
  units: Units,
  calendars: readonly BusinessCalendar[],
  days: DayLoad,
  rest: number[],
): number[] {
  const groups = smallGroups(units);
  if (groups.length === 0) return rest;
  const failed = new Set(rest);
  const facts = groupFacts(p, units, groups);
  const budget = { left: NODES_PER_PLAN };
  const nowFailed = new Set<number>();
  const nowPlaced = new Set<number>();
  for (const group of groups) {
    const members = group.map((u) => memberOf(units, calendars, facts, u));
    const sweep = scoreOf(
      members,
      members.map((m) => (failed.has(m.unit) ? undefined : units.dayOf(m.unit))),
    );
    // The group's own placement is off the day loads while it is searched.
    for (const m of members) if (!failed.has(m.unit)) days.add(units.dayOf(m.unit), -m.weight);
    const best = bestPlacement(members, sweep, days, budget);
    members.forEach((m, k) => {
      const day = best ? best[k] : failed.has(m.unit) ? undefined : units.dayOf(m.unit);
      if (day === undefined) nowFailed.add(m.unit);
      else {
        units.setDay(m.unit, day);
        days.add(day, m.weight);
        nowPlaced.add(m.unit);
      }
    });
  }
  return [...rest.filter((u) => !nowPlaced.has(u)), ...[...nowFailed].filter((u) => !failed.has(u))];
}

/**
 * Groups of windowed units whose windows overlap, of at most MAX_GROUP_UNITS units each. Found
 * from each earliest day's unit count and furthest latest day, so a large file's one big group
 * costs two passes and no array of its units.
 */
function smallGroups(units: Units): number[][] {
  const { earliest, latest } = units;
  let minE = Infinity;
  let maxE = -Infinity;
  for (let u = 0; u < units.count; u++) {
    if (!units.windowed(u)) continue;
    minE = Math.min(minE, earliest[u]!);
    maxE = Math.max(maxE, earliest[u]!);
  }
  if (minE > maxE) return [];
  const span = maxE - minE + 1;
  const count = new Int32Array(span);
  const reach = new Int32Array(span);
  for (let u = 0; u < units.count; u++) {
    if (!units.windowed(u)) continue;
    const d = earliest[u]! - minE;
    count[d]!++;
    reach[d] = Math.max(reach[d]!, latest[u]!);
  }
  // Each earliest day's group, when that group is small enough to search; -1 otherwise.
  const groupOfDay = new Int32Array(span).fill(-1);
  const groups: number[][] = [];
  let first = 0;
  let size = 0;
  let furthest = -1;
  const close = (end: number) => {
    if (size === 0 || size > MAX_GROUP_UNITS) return;
    for (let d = first; d < end; d++) groupOfDay[d] = groups.length;
    groups.push([]);
  };
  for (let d = 0; d < span; d++) {
    if (count[d] === 0) continue;
    if (d + minE > furthest) {
      close(d);
      first = d;
      size = 0;
    }
    size += count[d]!;
    furthest = Math.max(furthest, reach[d]!);
  }
  close(span);
  if (groups.length > 0) {
    for (let u = 0; u < units.count; u++) {
      if (!units.windowed(u)) continue;
      const g = groupOfDay[earliest[u]! - minE]!;
      if (g !== -1) groups[g]!.push(u);
    }
  }
  return groups;
}

/** Per unit of a searched group: the sums over its rows that its overlap and cost need. */
function groupFacts(p: Portfolio, units: Units, groups: number[][]) {
  const searched = new Map<number, { endSum: number; endCostSum: number; rate: number }>();
  for (const group of groups) for (const u of group) searched.set(u, { endSum: 0, endCostSum: 0, rate: 0 });
  for (let i = 0; i < p.size; i++) {
    const u = units.ofRow[i]!;
    const f = u === -1 ? undefined : searched.get(u);
    if (!f) continue;
    const end = p.endDay[i]!;
    const price = p.prices[p.priceRef[i]!]!;
    const c = Number.isNaN(price) ? 0 : dailyCost(p.seats[i]!, price);
    f.endSum += end;
    f.endCostSum += end * c;
    f.rate += c;
  }
  return searched;
}

function memberOf(units: Units, calendars: readonly BusinessCalendar[], facts: ReturnType<typeof groupFacts>, u: number): GroupUnit {
  const calendar = calendars[units.calendar[u]!]!;
  const options: Day[] = [];
  for (let d = units.latest[u]!; d >= units.earliest[u]!; d--) if (calendar.isBusinessDay(d)) options.push(d);
  return { unit: u, weight: units.weight[u]!, options, ...facts.get(u)! };
}

function scoreOf(members: readonly GroupUnit[], placement: readonly (Day | undefined)[]): Score {
  const score: Score = { atRisk: 0, overlap: 0, cost: 0 };
  members.forEach((m, k) => {
    const day = placement[k];
    if (day === undefined) score.atRisk += m.weight;
    else {
      score.overlap += m.endSum - m.weight * day;
      score.cost += m.endCostSum - m.rate * day;
    }
  });
  return score;
}

/** Whether (atRisk, overlap, cost) is strictly better than b; costs within a hundred-millionth are equal. */
function better(atRisk: number, overlap: number, cost: number, b: Score): boolean {
  if (atRisk !== b.atRisk) return atRisk < b.atRisk;
  if (overlap !== b.overlap) return overlap < b.overlap;
  return cost < b.cost - 1e-8 * Math.max(1, Math.abs(b.cost));
}

/**
 * The placement (a day per member, undefined for at risk) strictly better than `incumbent`,
 * or undefined when none exists or the budget ran out first.
 */
function bestPlacement(
  members: readonly GroupUnit[],
  incumbent: Score,
  days: DayLoad,
  budget: { left: number },
): (Day | undefined)[] | undefined {
  // The fewest choices first: the bound prunes sooner.
  const order = members.map((_, k) => k).sort((a, b) => members[a]!.options.length - members[b]!.options.length || a - b);
  const n = order.length;
  // Best overlap and cost the members from position k on can still add: each on its latest day.
  const restOverlap = new Float64Array(n + 1);
  const restCost = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) {
    const m = members[order[k]!]!;
    restOverlap[k] = restOverlap[k + 1]! + m.endSum - m.weight * m.options[0]!;
    restCost[k] = restCost[k + 1]! + m.endCostSum - m.rate * m.options[0]!;
  }
  const load = new Map<Day, number>();
  const current: (Day | undefined)[] = new Array(members.length);
  let best = incumbent;
  let found: (Day | undefined)[] | undefined;
  let nodes = Math.min(NODES_PER_GROUP, budget.left);
  let outOfBudget = false;

  const visit = (k: number, atRisk: number, overlap: number, cost: number): void => {
    if (outOfBudget) return;
    if (--nodes < 0) {
      outOfBudget = true;
      return;
    }
    if (!better(atRisk, overlap + restOverlap[k]!, cost + restCost[k]!, best)) return;
    if (k === n) {
      best = { atRisk, overlap, cost };
      found = [...current];
      return;
    }
    const index = order[k]!;
    const m = members[index]!;
    for (const day of m.options) {
      const used = (load.get(day) ?? 0) + days.used(day);
      if (used + m.weight > days.capacity && used !== 0) continue;
      load.set(day, (load.get(day) ?? 0) + m.weight);
      current[index] = day;
      visit(k + 1, atRisk, overlap + m.endSum - m.weight * day, cost + m.endCostSum - m.rate * day);
      load.set(day, load.get(day)! - m.weight);
    }
    current[index] = undefined;
    visit(k + 1, atRisk + m.weight, overlap, cost);
  };

  visit(0, 0, 0, 0);
  budget.left -= Math.min(NODES_PER_GROUP, budget.left) - Math.max(0, nodes);
  return outOfBudget ? undefined : found;
}
