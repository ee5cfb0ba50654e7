import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../scripts/build-holidays.js';
import { calendarFor } from '../../shared/domain/calendar.js';
import { isoToDay, ymdToDay } from '../../shared/domain/dates.js';

describe('the compiled holiday table', () => {
  it.each(['US', 'IT', 'DE', 'FR', 'GB', 'AU', 'JP', 'BR', 'IN', 'CA', 'ES', 'NL'])('matches date-holidays for %s', (country) => {
    const calendar = calendarFor(country);
    for (const year of [2020, 2026, 2027, 2033, 2045]) {
      const jan1 = ymdToDay(year, 1, 1);
      const fromTable: number[] = [];
      for (let day = jan1; day < ymdToDay(year + 1, 1, 1); day++) if (calendar.isHoliday(day)) fromTable.push(day - jan1 + 1);
      expect(fromTable, `${country} ${year}`).toEqual(publicHolidays(country, year));
    }
  });

  it('counts only weekends outside the years it covers, and says so', () => {
    const us = calendarFor('US');
    expect(us.knowsHolidays(isoToDay('2045-12-25'))).toBe(true);
    expect(us.knowsHolidays(isoToDay('2046-12-25'))).toBe(false);
    expect(us.isBusinessDay(isoToDay('2046-12-25'))).toBe(true); // a Tuesday; holidays unknown
    expect(calendarFor('XX').knowsHolidays(isoToDay('2027-01-01'))).toBe(false);
  });
});
