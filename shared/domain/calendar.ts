import Holidays from 'date-holidays';
import { type Day, weekday, yearOf, ymdToDay } from './dates.js';

// Business-day flags are cached for these years: planning asks millions of times.
const FIRST_YEAR = 1999;
const LAST_YEAR = 2110;
const BASE = ymdToDay(FIRST_YEAR, 1, 1);
const SPAN = ymdToDay(LAST_YEAR, 12, 31) - BASE + 1;
const UNKNOWN = 0;
const BUSINESS = 1;
const OFF = 2;

/**
 * Business days of one country: Monday–Friday minus its public holidays (and their observed
 * substitutes), from date-holidays. Holidays are computed once per country and year.
 */
export class BusinessCalendar {
  private readonly holidaysByYear = new Map<number, Set<Day>>();
  private readonly source: Holidays;
  private readonly flags = new Uint8Array(SPAN);

  constructor(readonly country: string) {
    this.source = new Holidays(country);
  }

  isBusinessDay(day: Day): boolean {
    const index = day - BASE;
    if (index < 0 || index >= SPAN) return this.computeBusinessDay(day);
    let flag = this.flags[index];
    if (flag === UNKNOWN) {
      flag = this.computeBusinessDay(day) ? BUSINESS : OFF;
      this.flags[index] = flag;
    }
    return flag === BUSINESS;
  }

  private computeBusinessDay(day: Day): boolean {
    const wd = weekday(day);
    if (wd === 0 || wd === 6) return false;
    return !this.holidays(yearOf(day)).has(day);
  }

  isHoliday(day: Day): boolean {
    return this.holidays(yearOf(day)).has(day);
  }

  /** `day` itself when it is a business day, else the next one. */
  onOrAfter(day: Day): Day {
    let d = day;
    while (!this.isBusinessDay(d)) d++;
    return d;
  }

  /** `day` itself when it is a business day, else the previous one. */
  onOrBefore(day: Day): Day {
    let d = day;
    while (!this.isBusinessDay(d)) d--;
    return d;
  }

  /** The n-th business day strictly before `day` (n ≥ 1); `day` itself when n = 0 and it is one. */
  businessDaysBefore(day: Day, n: number): Day {
    if (n <= 0) return this.onOrBefore(day);
    let d = day;
    for (let left = n; left > 0; ) {
      d--;
      if (this.isBusinessDay(d)) left--;
    }
    return d;
  }

  private holidays(year: number): Set<Day> {
    let set = this.holidaysByYear.get(year);
    if (!set) {
      set = new Set();
      for (const h of this.source.getHolidays(year) ?? []) {
        if (h.type !== 'public') continue;
        // `date` is the local calendar date "YYYY-MM-DD hh:mm:ss"; multi-day holidays span start..end.
        const first = Date.UTC(+h.date.slice(0, 4), +h.date.slice(5, 7) - 1, +h.date.slice(8, 10)) / 86_400_000;
        const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
        for (let i = 0; i < span; i++) set.add(first + i);
      }
      this.holidaysByYear.set(year, set);
    }
    return set;
  }
}

const calendars = new Map<string, BusinessCalendar>();

export function calendarFor(country: string): BusinessCalendar {
  let cal = calendars.get(country);
  if (!cal) {
    cal = new BusinessCalendar(country);
    calendars.set(country, cal);
  }
  return cal;
}
