import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../scripts/build-holidays.js';
import { calendarFor } from '../../shared/domain/calendar.js';
import { isoToDay, ymdToDay } from '../../shared/domain/dates.js';

const COUNTRIES = Object.keys(new Holidays().getCountries()).sort();
// The table's first and last years, the last an input may hold, the last with Islamic holidays
// in date-holidays (2076) and the first without, a year a December holiday spills into, and a few more.
const SAMPLE_YEARS = [2000, 2001, 2007, 2024, 2027, 2050, 2076, 2077, 2100, 2110];
const EVERY_YEAR = Array.from({ length: 2110 - 2000 + 1 }, (_, i) => 2000 + i);

/** Day of year (1–366) of each day the compiled table calls a holiday. */
function fromTable(country: string, year: number): number[] {
  const calendar = calendarFor(country);
  const jan1 = ymdToDay(year, 1, 1);
  const days: number[] = [];
  for (let day = jan1; day < ymdToDay(year + 1, 1, 1); day++) if (calendar.isHoliday(day)) days.push(day - jan1 + 1);
  return days;
}

function expectMatches(country: string, years: number[]): void {
  const holidays = new Holidays(country);
  for (const year of years) expect(fromTable(country, year), `${country} ${year}`).toEqual(publicHolidays(country, year, holidays));
}

describe('the compiled holiday table', () => {
  it('knows every country date-holidays knows', () => {
    expect(COUNTRIES.length).toBeGreaterThan(200);
    for (const country of COUNTRIES) expect(calendarFor(country).knowsHolidays(isoToDay('2050-01-01')), country).toBe(true);
  });

  it.each(COUNTRIES)('matches date-holidays for %s in a sample of years', (country) => {
    expectMatches(country, SAMPLE_YEARS);
  });

  it.each(['US', 'GB', 'DE', 'IT', 'IS', 'TR'])('matches date-holidays for %s in every year from 2000 to 2110', (country) => {
    expectMatches(country, EVERY_YEAR);
  });

  it('counts only weekends outside the years it covers, and says so', () => {
    const us = calendarFor('US');
    expect(us.knowsHolidays(isoToDay('2000-01-01'))).toBe(true);
    expect(us.knowsHolidays(isoToDay('2110-12-31'))).toBe(true);
    expect(us.knowsHolidays(isoToDay('1999-12-31'))).toBe(false);
    expect(us.knowsHolidays(isoToDay('2111-01-01'))).toBe(false);
    expect(us.isBusinessDay(isoToDay('2110-12-25'))).toBe(false); // Christmas, a Thursday
    expect(us.isBusinessDay(isoToDay('2111-12-25'))).toBe(true); // a Friday; holidays unknown
    expect(us.isBusinessDay(isoToDay('1999-12-24'))).toBe(true); // Christmas observed, had it been known
    expect(calendarFor('XX').knowsHolidays(isoToDay('2027-01-01'))).toBe(false);
    expect(calendarFor('XX').isBusinessDay(isoToDay('2027-12-24'))).toBe(true);
  });
});
