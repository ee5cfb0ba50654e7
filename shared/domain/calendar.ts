import { type Day, weekday, yearOf, ymdToDay } from './dates.js';
import { type HolidayRule, parseHolidayRules, yearHolidays } from './holiday-rules.js';
import table from './holidays.generated.json' with { type: 'json' };

// Business-day flags are cached for these years — the holiday table's and the one before it,
// which counting back from early 2000 reaches: planning asks millions of times.
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
 * holidays.generated.json (scripts/build-holidays.ts) for 2000–2110; outside those years, and
 * for a country it does not know, only weekends are days off.
 *
 * A day is a holiday only when a public holiday covers all of it: a half-day holiday (Iceland's
 * 24 and 31 December from 13:00, Haiti's Lundi Gras from 14:00, the eve a holiday starts on, the
 * half day a holiday ends on) is a business day, since part of it is worked; the whole days of a
 * multi-day holiday are off.
 *
 * The table holds per country recurring rules (holiday-rules.ts) and per year the exceptions to
 * them; a year is decoded the first time it is asked for.
 */
export class BusinessCalendar {
  private readonly holidaysByYear = new Map<number, Set<Day>>();
  private readonly flags = new Uint8Array(SPAN);
  private readonly known: boolean;
  private rules: HolidayRule[] | undefined;
  private exceptions: string[] | undefined;

  constructor(readonly country: string) {
    this.known = Object.hasOwn(table.countries, country);
  }

  /** Whether public holidays are known for this day's year (else only weekends count). */
  knowsHolidays(day: Day): boolean {
    const year = yearOf(day);
    return this.known && year >= table.from && year <= table.to;
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
      set = this.knowsHolidays(ymdToDay(year, 1, 1)) ? this.decode(year) : new Set();
      this.holidaysByYear.set(year, set);
    }
    return set;
  }

  private decode(year: number): Set<Day> {
    if (!this.rules || !this.exceptions) {
      const entry = (table.countries as Record<string, { rules: string; exceptions: string }>)[this.country]!;
      this.rules = parseHolidayRules(entry.rules);
      this.exceptions = entry.exceptions.split(',');
    }
    return yearHolidays(this.rules, this.exceptions[year - table.from] ?? '', year);
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
