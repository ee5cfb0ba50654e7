/**
 * Builds shared/domain/holidays.generated.json from date-holidays: every country's public
 * holidays (with observed substitutes and multi-day holidays expanded) for FIRST..LAST, so the
 * Lambda needs no date-holidays at run time (it brings moment-timezone and astronomical tables).
 * Run: npx tsx scripts/build-holidays.ts (about two minutes).
 *
 * Why 2000–2110: every day a plan chooses from lies in 2000–2101 (today and input dates in
 * 2000–2100, the earliest move at most 365 lead days after today), and ten more years keep real
 * holidays for the moves that do not fit and are placed later.
 *
 * Which days are off — a day is a holiday only when a public holiday covers the whole of it:
 * - A holiday runs from its `date` (civil date and start time) for its length (`end` − `start`,
 *   give or take the hour a daylight-saving change adds or takes). The " -0600" that Islamic
 *   and Jewish holidays carry says they begin at the previous sunset: that evening is not off.
 * - So a holiday that starts after midnight leaves that day a business day — the morning is
 *   worked: Iceland's 24 and 31 December from 13:00, the Faroes' 5 June and 31 December,
 *   Guatemala's 24 and 31 December and Curaçao's 31 December from 12:00, Haiti's Lundi Gras
 *   from 14:00, China's afternoons off for some (women, youth, the army). The following whole
 *   days of a multi-day holiday stay off.
 * - And a holiday that ends before midnight leaves its last day a business day: date-holidays
 *   runs Turkey's bayrams 90 and 114 hours, into the day after their last; the three and four
 *   whole days the law gives stay off, and their eve (off from 13:00) is worked in the morning.
 * - A multi-day holiday that starts in late December keeps its January days.
 *
 * The table is compact and exact: per country, rules that recur (holiday-rules.ts: fixed dates,
 * days relative to Western or Orthodox Easter, "first Monday on or after"), each for the years it
 * holds, then per year only the exceptions — days the rules miss (lunar and Islamic holidays,
 * observed substitutes) or give wrongly — as day of year, base 36, two characters each, one
 * comma-separated group per year from FIRST.
 */
import { writeFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import { type Day, ymdToDay } from '../shared/domain/dates.js';
import {
  formatHolidayRule,
  type HolidayRule,
  orthodoxEaster,
  parseHolidayRules,
  ruleDay,
  westernEaster,
  yearHolidays,
} from '../shared/domain/holiday-rules.js';

const FIRST = 2000;
const LAST = 2110;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Epoch days of the whole days off a country's public holidays of `holidayYear` cover. */
function daysOff(holidays: Holidays, holidayYear: number): Day[] {
  const days: Day[] = [];
  for (const h of holidays.getHolidays(holidayYear) ?? []) {
    if (h.type !== 'public') continue;
    const first = ymdToDay(+h.date.slice(0, 4), +h.date.slice(5, 7), +h.date.slice(8, 10));
    const starts = +h.date.slice(11, 13) + +h.date.slice(14, 16) / 60; // hours after midnight
    const ends = starts + (h.end.getTime() - h.start.getTime()) / HOUR_MS + 1; // +1: DST can take an hour
    for (let k = Math.ceil(starts / 24); (k + 1) * 24 <= ends; k++) days.push(first + k);
  }
  return days;
}

/** Day of year (1–366) of each public holiday of a country in a year, sorted, unique. */
export function publicHolidays(country: string, year: number, holidays = new Holidays(country)): number[] {
  const jan1 = ymdToDay(year, 1, 1);
  const days = new Set<number>();
  for (const day of [...daysOff(holidays, year - 1), ...daysOff(holidays, year)]) {
    if (day >= jan1 && day < ymdToDay(year + 1, 1, 1)) days.add(day - jan1 + 1);
  }
  return [...days].sort((a, b) => a - b);
}

/** The rules (each with the years it holds) and per-year exceptions that give `actual` exactly. */
function encode(actual: Set<Day>[]): { rules: string; exceptions: string } {
  const candidates = new Map<string, { rule: HolidayRule; days: Day[] }>();
  const add = (rule: HolidayRule) => {
    const key = formatHolidayRule(rule);
    if (!candidates.has(key)) candidates.set(key, { rule, days: actual.map((_, i) => ruleDay(rule, FIRST + i)) });
  };
  actual.forEach((days, i) => {
    const year = FIRST + i;
    for (const day of days) {
      const date = new Date(day * DAY_MS);
      const base = { month: 0, day: 0, offset: 0, weekday: 0, from: -Infinity, to: Infinity };
      add({ ...base, kind: 'date', month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      if (Math.abs(day - westernEaster(year)) <= 70) add({ ...base, kind: 'easter', offset: day - westernEaster(year) });
      if (Math.abs(day - orthodoxEaster(year)) <= 70) add({ ...base, kind: 'orthodox', offset: day - orthodoxEaster(year) });
      for (let back = 0; back < 7; back++) {
        const start = new Date((day - back) * DAY_MS);
        if (start.getUTCFullYear() !== year) break;
        add({ ...base, kind: 'weekday', weekday: date.getUTCDay(), month: start.getUTCMonth() + 1, day: start.getUTCDate() });
      }
    }
  });

  // Greedy: take the rule (over its best run of years) that saves the most exceptions.
  const predicted = actual.map(() => new Set<Day>());
  const chosen: string[] = [];
  for (;;) {
    let best: { key: string; gain: number; from: number; to: number } | undefined;
    for (const [key, { days }] of candidates) {
      let run = 0;
      let runFrom = 0;
      let top = 0;
      let from = 0;
      let to = -1;
      for (let i = 0; i < days.length; i++) {
        const day = days[i]!;
        const value = Number.isNaN(day) || predicted[i]!.has(day) ? 0 : actual[i]!.has(day) ? 1 : -1;
        if (run <= 0) {
          run = value;
          runFrom = i;
        } else run += value;
        if (run > top) {
          top = run;
          from = runFrom;
          to = i;
        }
      }
      const cost = from === 0 && to === days.length - 1 ? 3 : 8; // its token, in exceptions' worth
      if (top - cost > 0 && (!best || top - cost > best.gain)) best = { key, gain: top - cost, from, to };
    }
    if (!best) break;
    const { rule, days } = candidates.get(best.key)!;
    candidates.delete(best.key);
    const whole = best.from === 0 && best.to === days.length - 1;
    chosen.push(formatHolidayRule(rule, whole ? undefined : { from: FIRST + best.from, to: FIRST + best.to }));
    for (let i = best.from; i <= best.to; i++) if (!Number.isNaN(days[i]!)) predicted[i]!.add(days[i]!);
  }

  const rules = chosen.sort().join(' ');
  const groups = actual.map((days, i) => {
    const jan1 = ymdToDay(FIRST + i, 1, 1);
    const toggled = [...days].filter((d) => !predicted[i]!.has(d)).concat([...predicted[i]!].filter((d) => !days.has(d)));
    return toggled
      .sort((a, b) => a - b)
      .map((d) => (d - jan1 + 1).toString(36).padStart(2, '0'))
      .join('');
  });
  while (groups.length > 0 && groups.at(-1) === '') groups.pop();
  const exceptions = groups.join(',');

  // Check the encoding decodes to exactly what date-holidays says.
  const parsed = parseHolidayRules(rules);
  const years = exceptions.split(',');
  actual.forEach((days, i) => {
    const decoded = yearHolidays(parsed, years[i] ?? '', FIRST + i);
    if (decoded.size !== days.size || [...days].some((d) => !decoded.has(d))) throw new Error(`Encoding mismatch in ${FIRST + i}`);
  });
  return { rules, exceptions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const countries: Record<string, { rules: string; exceptions: string }> = {};
  for (const country of Object.keys(new Holidays().getCountries()).sort()) {
    const holidays = new Holidays(country);
    const actual: Set<Day>[] = [];
    for (let year = FIRST; year <= LAST; year++) {
      const jan1 = ymdToDay(year, 1, 1);
      actual.push(new Set(publicHolidays(country, year, holidays).map((d) => jan1 + d - 1)));
    }
    countries[country] = encode(actual);
  }
  const out = new URL('../shared/domain/holidays.generated.json', import.meta.url);
  const data = {
    source: 'date-holidays',
    note: 'Generated by scripts/build-holidays.ts: per country, recurring rules (shared/domain/holiday-rules.ts) and per year the days they miss or give wrongly, day of year in base 36, two characters each, one comma-separated group per year from `from`.',
    from: FIRST,
    to: LAST,
    countries,
  };
  writeFileSync(out, `${JSON.stringify(data)}\n`);
  process.stdout.write(`Wrote ${Object.keys(countries).length} countries, ${FIRST}–${LAST}.\n`);
}
