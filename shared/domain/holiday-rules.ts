import { type Day, weekday, ymdToDay } from './dates.js';

/**
 * The compact holiday table's recurring rules (see scripts/build-holidays.ts, which writes
 * them, and BusinessCalendar, which reads them). One token each, space-separated:
 * - `MMDD` — that date every year (`0229` only in leap years);
 * - `e<n>` — n days after Western (Gregorian) Easter Sunday, `e-2` Good Friday;
 * - `o<n>` — n days after Orthodox Easter Sunday (Julian Easter, as a Gregorian date);
 * - `w<d>MMDD` — the first weekday d (0 Sunday … 6 Saturday) on or after MMDD: `w10115` is the
 *   third Monday of January.
 * A token may end in `/YYYY-YYYY`: it holds only in those years (inclusive).
 */
export interface HolidayRule {
  readonly kind: 'date' | 'easter' | 'orthodox' | 'weekday';
  readonly month: number;
  readonly day: number;
  readonly offset: number;
  readonly weekday: number;
  readonly from: number;
  readonly to: number;
}

const TOKEN = /^(?:(\d\d)(\d\d)|([eo])(-?\d+)|w([0-6])(\d\d)(\d\d))(?:\/(\d{4})-(\d{4}))?$/;

export function parseHolidayRules(text: string): HolidayRule[] {
  if (text === '') return [];
  return text.split(' ').map((token) => {
    const m = TOKEN.exec(token);
    if (!m) throw new Error(`Bad holiday rule: ${token}`);
    const kind = m[1] ? 'date' : m[3] === 'e' ? 'easter' : m[3] === 'o' ? 'orthodox' : 'weekday';
    return {
      kind,
      month: Number(m[1] ?? m[6] ?? 0),
      day: Number(m[2] ?? m[7] ?? 0),
      offset: Number(m[4] ?? 0),
      weekday: Number(m[5] ?? 0),
      from: m[8] ? Number(m[8]) : Number.NEGATIVE_INFINITY,
      to: m[9] ? Number(m[9]) : Number.POSITIVE_INFINITY,
    };
  });
}

export function formatHolidayRule(rule: HolidayRule, years?: { from: number; to: number }): string {
  const mmdd = `${String(rule.month).padStart(2, '0')}${String(rule.day).padStart(2, '0')}`;
  const base =
    rule.kind === 'date'
      ? mmdd
      : rule.kind === 'weekday'
        ? `w${rule.weekday}${mmdd}`
        : `${rule.kind === 'easter' ? 'e' : 'o'}${rule.offset}`;
  return years ? `${base}/${years.from}-${years.to}` : base;
}

/** The day a rule gives in a year, ignoring its years; NaN when there is none (29 February). */
export function ruleDay(rule: HolidayRule, year: number): Day {
  switch (rule.kind) {
    case 'date':
      return ymdToDay(year, rule.month, rule.day);
    case 'easter':
      return westernEaster(year) + rule.offset;
    case 'orthodox':
      return orthodoxEaster(year) + rule.offset;
    case 'weekday': {
      const start = ymdToDay(year, rule.month, rule.day);
      return start + ((rule.weekday - weekday(start) + 7) % 7);
    }
  }
}

/** Gregorian Easter Sunday (the anonymous Gregorian algorithm, as in Meeus). */
export function westernEaster(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymdToDay(year, month, day);
}

/**
 * Orthodox Easter Sunday: Julian Easter (Meeus's Julian algorithm) moved onto the Gregorian
 * calendar, which runs ahead by 13 days until 28 February 2100 and by 14 after (Easter is
 * always after February).
 */
export function orthodoxEaster(year: number): Day {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  const gregorianLead = Math.floor(year / 100) - Math.floor(year / 400) - 2;
  return ymdToDay(year, month, day) + gregorianLead;
}

/**
 * A year's holidays: the days its rules give that year, with the year's exceptions toggled —
 * `exceptions` is the year's day-of-year numbers, base 36, two characters each; a listed day
 * that a rule gives is not a holiday that year, one no rule gives is.
 */
export function yearHolidays(rules: readonly HolidayRule[], exceptions: string, year: number): Set<Day> {
  const days = new Set<Day>();
  for (const rule of rules) {
    if (year < rule.from || year > rule.to) continue;
    const day = ruleDay(rule, year);
    if (yearOfDayIs(day, year)) days.add(day);
  }
  const jan1 = ymdToDay(year, 1, 1);
  for (let i = 0; i + 1 < exceptions.length; i += 2) {
    const day = jan1 + parseInt(exceptions.slice(i, i + 2), 36) - 1;
    if (!days.delete(day)) days.add(day);
  }
  return days;
}

function yearOfDayIs(day: Day, year: number): boolean {
  return day >= ymdToDay(year, 1, 1) && day <= ymdToDay(year, 12, 31);
}
