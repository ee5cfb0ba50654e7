/** How many rows move on each day of a plan, and where the next unit still fits. */

import { resized } from '../../columnar/typed-arrays.js';
import type { BusinessCalendar } from '../calendar.js';
import type { Day } from '../dates.js';

/** Moves per day from `today` on. */
export class DayLoad {
  private load: Int32Array = new Int32Array(512);
  /**
   * For the forward search, per (calendar, weight): skip[i] points at a day ≥ i that may still
   * take such a unit. Days only fill up and business days never change, so a day found closed
   * stays closed and the pointers can be compressed (amortised near-constant per search).
   */
  private readonly skips = new Map<number, Int32Array>();
  private readonly path: number[] = [];

  constructor(
    private readonly origin: Day,
    readonly capacity: number,
  ) {}

  room(day: Day): number {
    return this.capacity - this.used(day);
  }

  used(day: Day): number {
    const i = day - this.origin;
    return i >= 0 && i < this.load.length ? this.load[i]! : 0;
  }

  /** A unit fits when the day has room for it, or is empty (a unit larger than a day's capacity). */
  fits(day: Day, weight: number): boolean {
    const used = this.used(day);
    return used + weight <= this.capacity || used === 0;
  }

  add(day: Day, weight: number): void {
    const i = day - this.origin;
    if (i >= this.load.length) this.load = grown(this.load, i);
    this.load[i]! += weight;
  }

  /** The first business day ≥ `day` of calendar `cal` (index `k`) where a unit of `weight` fits. */
  firstFit(day: Day, k: number, cal: BusinessCalendar, weight: number): Day {
    const key = k * 1_000_003 + Math.min(weight, this.capacity + 1);
    let skip = this.skips.get(key) ?? new Int32Array(0);
    let i = Math.max(0, day - this.origin);
    const path = this.path;
    path.length = 0;
    for (;;) {
      if (i >= skip.length) {
        skip = grownSkips(skip, i);
        this.skips.set(key, skip);
      }
      const to = skip[i]!;
      if (to !== i) {
        path.push(i);
        i = to;
        continue;
      }
      const d = i + this.origin;
      if (cal.isBusinessDay(d) && this.fits(d, weight)) break;
      skip[i] = i + 1;
      path.push(i);
      i++;
    }
    for (const p of path) skip[p] = i;
    return i + this.origin;
  }
}

function grown(a: Int32Array, index: number): Int32Array {
  let size = Math.max(a.length, 64);
  while (size <= index) size *= 2;
  return resized(a, size);
}

function grownSkips(a: Int32Array, index: number): Int32Array {
  const b = grown(a, index + 1);
  for (let j = a.length; j < b.length; j++) b[j] = j;
  return b;
}
