/**
 * Calendar dates as whole days since 1970-01-01 ("epoch days").
 * Planning works on these integers only: no local-time Date arithmetic, so DST and the
 * machine's time zone can never shift a move day.
 */
export type Day = number;

export const NO_DAY = -1_000_000;
/** Business days in a week: a week's capacity is the daily capacity times this (charts, digests). */
export const BUSINESS_DAYS_A_WEEK = 5;
const MS_PER_DAY = 86_400_000;

/** Epoch day of a proleptic Gregorian date, or NaN when the date does not exist (e.g. 2027-02-30). */
export function ymdToDay(year: number, month: number, day: number): Day {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The dates a plan can start from and an input may hold: 2000-01-01 to 2100-12-31. */
export const FIRST_DAY = ymdToDay(2000, 1, 1);
export const LAST_DAY = ymdToDay(2100, 12, 31);

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict ISO `YYYY-MM-DD`; NaN when malformed or not a real date. */
export function isoToDay(iso: string): Day {
  const m = ISO_DATE.exec(iso);
  if (!m) return NaN;
  return ymdToDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Days 0 … 65535 (1970 … 2149) keep their text once formatted: plan.csv writes millions. */
const isoText: (string | undefined)[] = [];
const ISO_CACHED_DAYS = 1 << 16;

export function dayToIso(day: Day): string {
  if (!(day >= 0 && day < ISO_CACHED_DAYS)) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  const known = isoText[day];
  if (known !== undefined) return known;
  const text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  isoText[day] = text;
  return text;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The Monday of a day's week: weeks run Monday to Sunday, as ISO weeks do (charts, digests). */
export function mondayOf(day: Day): Day {
  return day - ((weekday(day) + 6) % 7);
}

export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The calendar date "now" in an IANA time zone, e.g. the partner's. */
export function todayIn(timeZone: string, now: Date): Day {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return isoToDay(parts);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
