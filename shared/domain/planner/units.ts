/**
 * Units: what moves on one day.
 * - A subscription moves with its add-ons, and an add-on of an add-on with the top of its chain:
 *   an add-on's unit is the one of the highest row its chain reaches through rows that still move
 *   (a provisioned base has moved already, an excluded one never will), or its own when its base
 *   does not move.
 * - In co-term mode a customer's subscriptions form one unit.
 * - A unit may move from its customer's earliest day to the earliest latest day of its rows; it
 *   weighs as many rows as it moves; it is urgent (moved as soon as possible) when a row has
 *   passed its end date or is expired or disabled.
 *
 * Units are columns of typed arrays, 18 bytes a unit, each as narrow as the file allows:
 * deadlines in 16 bits (input dates lie in 2000–2100, subscription-row.ts, and plan() checks
 * today), weights and move days in 16 bits until one needs more (see `weight` and `setDay`).
 */

import { release } from '../../columnar/typed-arrays.js';
import type { Day } from '../dates.js';
import { KEPT, LIFECYCLES, type Portfolio } from '../portfolio/portfolio.js';
import type { CustomerWindows } from './customer-windows.js';
import { graceEndOf } from './risk-classification.js';

const PROVISIONED = LIFECYCLES.indexOf('provisioned');
const EXCLUDED = LIFECYCLES.indexOf('excluded');
const EXPIRED = LIFECYCLES.indexOf('expired');
const DISABLED = LIFECYCLES.indexOf('disabled');

/** "No day" in the 16-bit day columns, above every day a plan can meet. */
export const NO_DAY16 = 0xffff;

/** Whether row i still has a move to schedule: kept, not provisioned already, not excluded from the move. */
export function schedulable(p: Portfolio, i: number): boolean {
  const lifecycle = p.lifecycle[i];
  return p.state[i] === KEPT && lifecycle !== PROVISIONED && lifecycle !== EXCLUDED;
}

export class Units {
  readonly count: number;
  /**
   * Per row: its unit, -1 when it does not move. The plan's moveOn array once the days are
   * known (results.ts writes them over it), so a million rows need no second row-sized array.
   */
  readonly ofRow: Int32Array;
  /** First day the unit may move (its customer's earliest). */
  readonly earliest: Uint16Array;
  /** Last day it may move: the earliest latest day of its rows. */
  readonly latest: Uint16Array;
  /** Rows it moves: 16 bits unless one holds more (a co-term customer of 65,536 rows). */
  readonly weight: Uint16Array | Int32Array;
  /** Index into the customer windows' calendars. */
  readonly calendar: Uint8Array | Uint16Array;
  /** 1: moved as soon as possible, without a window. */
  readonly urgent: Uint8Array;
  /** Cost a day of the unit (seats × price): only orders equals, so 32 bits are plenty. */
  readonly rate: Float32Array;
  /** Earliest end date of its rows. */
  readonly end: Uint16Array;
  /** Earliest day one of its rows loses access: its end date, or its grace end once expired. */
  readonly accessEnd: Uint16Array;
  /** Move day, as days after today: 32 bits once a tiny daily capacity places a move 180 years away. */
  private day: Uint16Array | Int32Array;

  constructor(
    p: Portfolio,
    windows: CustomerWindows,
    private readonly today: Day,
    coTerm: boolean,
  ) {
    const n = p.size;
    const unitOf = new Int32Array(n).fill(-1);
    const units = coTerm ? customerUnits(p, unitOf) : subscriptionUnits(p, unitOf);
    const earliest = new Uint16Array(units);
    const latest = new Uint16Array(units).fill(NO_DAY16);
    let weight: Uint16Array | Int32Array = new Uint16Array(units);
    let wideUnits = false;
    const calendar = windows.calendars.length <= 256 ? new Uint8Array(units) : new Uint16Array(units);
    const urgent = new Uint8Array(units);
    const rate = new Float32Array(units);
    const unitEnd = new Uint16Array(units).fill(NO_DAY16);
    const accessEnd = new Uint16Array(units).fill(NO_DAY16);
    const customerEarliest = windows.earliest;
    const customerCal = windows.calendarOf;
    for (let i = 0; i < n; i++) {
      const u = unitOf[i]!;
      if (u === -1) continue;
      const c = p.customer[i]!;
      const end = p.endDay[i]!;
      earliest[u] = customerEarliest[c]!;
      calendar[u] = customerCal[c]!;
      weight[u]!++;
      if (weight[u] === 0) wideUnits = true; // wrapped around (++ yields 65,536, the array holds 0)
      const l = windows.latestOf(i);
      if (l < latest[u]!) latest[u] = l;
      if (end < unitEnd[u]!) unitEnd[u] = end;
      const lc = p.lifecycle[i];
      const expired = end < today || lc === EXPIRED || lc === DISABLED;
      if (expired) urgent[u] = 1;
      const access = expired ? graceEndOf(p, i) : end;
      if (access < accessEnd[u]!) accessEnd[u] = access;
      const price = p.prices[p.priceRef[i]!]!;
      if (!Number.isNaN(price)) rate[u]! += p.seats[i]! * price;
    }
    if (wideUnits) {
      weight = new Int32Array(units);
      for (let i = 0; i < n; i++) if (unitOf[i] !== -1) weight[unitOf[i]!]!++;
    }
    this.count = units;
    this.ofRow = unitOf;
    this.earliest = earliest;
    this.latest = latest;
    this.weight = weight;
    this.calendar = calendar;
    this.urgent = urgent;
    this.rate = rate;
    this.end = unitEnd;
    this.accessEnd = accessEnd;
    this.day = new Uint16Array(units);
  }

  /** Whether the unit has a window [earliest, latest] for the backward sweep (else forward placement places it). */
  windowed(u: number): boolean {
    return !this.urgent[u] && this.earliest[u]! <= this.latest[u]!;
  }

  /** Moves unit u to `day` (≥ today), widening the move days the first time one does not fit. */
  setDay(u: number, day: Day): void {
    if (day - this.today > 0xffff && this.day instanceof Uint16Array) this.day = Int32Array.from(this.day);
    this.day[u] = day - this.today;
  }

  /** Unit u's move day, once set. */
  dayOf(u: number): Day {
    return this.today + this.day[u]!;
  }

  /**
   * Gives the unit columns back now rather than at the next full collection, under the output
   * phase's allocations. `ofRow` is left alone: it became the plan's moveOn.
   */
  release(): void {
    for (const column of [
      this.earliest,
      this.latest,
      this.weight,
      this.calendar,
      this.urgent,
      this.rate,
      this.end,
      this.accessEnd,
      this.day,
    ])
      release(column);
  }
}

/** Co-term: one unit per customer with a move to schedule, numbered in input order. */
function customerUnits(p: Portfolio, unitOf: Int32Array): number {
  const n = p.size;
  let units = 0;
  const customerUnit = new Int32Array(p.customers.count).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!schedulable(p, i)) continue;
    const c = p.customer[i]!;
    if (customerUnit[c] === -1) customerUnit[c] = units++;
    unitOf[i] = customerUnit[c]!;
  }
  return units;
}

/** One unit per moving subscription whose base does not move (or that has none), with the add-ons below it. */
function subscriptionUnits(p: Portfolio, unitOf: Int32Array): number {
  const n = p.size;
  let units = 0;
  for (let i = 0; i < n; i++) {
    const b = p.base.get(i);
    if (schedulable(p, i) && (b === -1 || !schedulable(p, b))) unitOf[i] = units++;
  }
  for (let i = 0; i < n; i++) {
    if (unitOf[i] !== -1 || !schedulable(p, i)) continue;
    // Up the chain to a row that has its unit: every chain of moving rows ends at one.
    let top = p.base.get(i);
    while (unitOf[top] === -1) top = p.base.get(top);
    unitOf[i] = unitOf[top]!;
  }
  return units;
}
