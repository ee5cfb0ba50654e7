import { type Day, weekday, yearOf, ymdToDay } from './dates.js';
import table from './holidays.generated.json' with { type: 'json' };

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
 * substitutes). The holidays come from date-holidays, compiled at build time into
 * holidays.generated.json (scripts/build-holidays.ts) for the years it covers; outside them, and
 * for a country it does not know, only weekends are days off.
 */
export class BusinessCalendar {
  private readonly holidaysByYear = new Map<number, Set<Day>>();
  private readonly flags = new Uint8Array(SPAN);
  private readonly years: string[];

  constructor(readonly country: string) {
    this.years = (table.countries as Record<string, string>)[country]?.split(',') ?? [];
  }

  /** Whether public holidays are known for this day's year (else only weekends count). */
  knowsHolidays(day: Day): boolean {
    const year = yearOf(day);
    return this.years.length > 0 && year >= table.from && year <= table.to;
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
      const encoded = this.years[year - table.from] ?? '';
      const jan1 = ymdToDay(year, 1, 1);
      for (let i = 0; i + 1 < encoded.length; i += 2) set.add(jan1 + parseInt(encoded.slice(i, i + 2), 36) - 1);
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
