/**
 * Moves per week as the charts show them (report.html and the weekly digest): one entry for
 * every week, Monday to Sunday, from the week of a start day to the last week with a move.
 * Empty weeks are kept, so the axis is continuous in time; at most WEEKS_DRAWN weeks are drawn
 * one by one and every move after them is summed up in one `later` entry, so a plan spread over
 * decades still draws a year of bars.
 */
import { type Day, dayToIso, mondayOf } from './dates.js';
import { plural } from './words.js';

/** Weeks drawn one by one: a year. */
export const WEEKS_DRAWN = 52;

export interface WeekMoves {
  /** The Monday, ISO. */
  weekStart: string;
  moves: number;
  /** The part of `moves` that needs attention: every risk but ok (at risk, expired or lapsed). */
  needAttention: number;
}

/** The moves after the drawn weeks, all in one. */
export interface LaterMoves {
  /** The Monday after the last drawn week, ISO. */
  from: string;
  /** The last week with a move, ISO Monday. */
  lastWeek: string;
  moves: number;
  needAttention: number;
}

/** "6 moves from 2027-11-29 to the week of 2028-02-21": what the "later" bar holds, in every chart. */
export function laterMovesText(later: LaterMoves): string {
  return `${plural(later.moves, 'move', 'moves')} from ${later.from} to the week of ${later.lastWeek}`;
}

export interface WeekSeries {
  weeks: WeekMoves[];
  later?: LaterMoves | undefined;
}

/** Counts moves by week, in any order; `series` lays them out for a chart. */
export class WeekTally {
  private readonly byMonday = new Map<Day, { moves: number; needAttention: number }>();

  add(moveOn: Day, needsAttention: boolean): void {
    this.addMoves(moveOn, 1, needsAttention ? 1 : 0);
  }

  /** Several moves of one day at once, `needAttention` of them needing attention. */
  addMoves(moveOn: Day, moves: number, needAttention: number): void {
    const monday = mondayOf(moveOn);
    let week = this.byMonday.get(monday);
    if (!week) {
      week = { moves: 0, needAttention: 0 };
      this.byMonday.set(monday, week);
    }
    week.moves += moves;
    week.needAttention += needAttention;
  }

  /** The week with the most moves (the earliest of equals), over the whole plan; none when nothing moves. */
  busiest(): { weekStart: string; moves: number } | undefined {
    let best: [Day, number] | undefined;
    for (const [monday, { moves }] of this.byMonday) {
      if (!best || moves > best[1] || (moves === best[1] && monday < best[0])) best = [monday, moves];
    }
    return best && { weekStart: dayToIso(best[0]), moves: best[1] };
  }

  /**
   * The weeks from the week of `from` (or of an earlier move) to the last week with a move, at
   * most `weeksDrawn`; the rest in `later`. No moves, no weeks.
   */
  series(from: Day, weeksDrawn: number = WEEKS_DRAWN): WeekSeries {
    if (this.byMonday.size === 0) return { weeks: [] };
    let first = mondayOf(from);
    let last = first;
    for (const monday of this.byMonday.keys()) {
      if (monday < first) first = monday;
      if (monday > last) last = monday;
    }
    const end = Math.min(last, first + (weeksDrawn - 1) * 7);
    const weeks: WeekMoves[] = [];
    for (let monday = first; monday <= end; monday += 7) {
      const week = this.byMonday.get(monday);
      weeks.push({ weekStart: dayToIso(monday), moves: week?.moves ?? 0, needAttention: week?.needAttention ?? 0 });
    }
    if (last <= end) return { weeks };
    const later = { from: dayToIso(end + 7), lastWeek: dayToIso(last), moves: 0, needAttention: 0 };
    for (const [monday, week] of this.byMonday) {
      if (monday <= end) continue;
      later.moves += week.moves;
      later.needAttention += week.needAttention;
    }
    return { weeks, later };
  }
}

/** A label under a week of the axis: its Monday as MM-DD, and the year where it changes. */
export interface WeekLabel {
  index: number;
  weekStart: string;
  /** MM-DD. */
  monthDay: string;
  /** YYYY, on the first label and on the first label of each new year; otherwise absent. */
  year?: string | undefined;
}

/**
 * Labels for an axis of weeks, never two closer than `every` weeks: the first week of each new
 * year first (where the year changes is labelled, not a week or two later), then the first week,
 * then every `every`th week where it keeps its distance. A label whose year is not that of the
 * label before it carries the year.
 */
export function weekLabels(weeks: readonly Pick<WeekMoves, 'weekStart'>[], every: number): WeekLabel[] {
  const gap = Math.max(1, Math.floor(every));
  const yearOf = (i: number) => weeks[i]!.weekStart.slice(0, 4);
  const kept: number[] = [];
  const keep = (i: number) => {
    if (kept.every((k) => Math.abs(k - i) >= gap)) kept.push(i);
  };
  for (let i = 1; i < weeks.length; i++) if (yearOf(i) !== yearOf(i - 1)) keep(i);
  if (weeks.length > 0) keep(0);
  for (let i = gap; i < weeks.length; i += gap) keep(i);
  kept.sort((a, b) => a - b);
  return kept.map((index, j) => {
    const weekStart = weeks[index]!.weekStart;
    const year = yearOf(index);
    const newYear = j === 0 || year !== yearOf(kept[j - 1]!);
    return { index, weekStart, monthDay: weekStart.slice(5), year: newYear ? year : undefined };
  });
}

/** How many weeks apart labels go so that there are at most `maxLabels`. */
export function labelEvery(weekCount: number, maxLabels: number): number {
  return Math.max(1, Math.ceil(weekCount / Math.max(1, maxLabels)));
}

/** A chart's value axis: a whole number of round steps from 0 to `top`. */
export interface Scale {
  top: number;
  step: number;
}

/** Round steps (1, 2 or 5 × 10ⁿ, whole moves) from 0 to at least `max`, about four of them. */
export function niceScale(max: number): Scale {
  const rough = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? rough);
  return { top: Math.max(step, Math.ceil(max / step) * step), step };
}

/** The capacity may stretch a chart's scale by this much over the busiest week; beyond, it is a note. */
export const CAPACITY_STRETCH = 1.5;
