/**
 * Daily digests go out on the partner's business days — weekends and its country's public
 * holidays off — unless it asks for every day.
 */
import { describe, expect, it } from 'vitest';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { isDigestDay, nextDigestDay } from '../../shared/domain/reminders.js';

const day = isoToDay;

describe('the days a daily digest goes out', () => {
  it('by default, business days of the partner’s country only', () => {
    const us = parseSettings({ country: 'US' });
    expect(us.daily_digest_days).toBe('business_days');
    expect(isDigestDay(us, day('2026-12-04'))).toBe(true); // Friday
    expect(isDigestDay(us, day('2026-12-05'))).toBe(false); // Saturday
    expect(isDigestDay(us, day('2026-12-06'))).toBe(false); // Sunday
    expect(isDigestDay(us, day('2026-12-25'))).toBe(false); // Christmas Day, a Friday
    expect(isDigestDay(us, day('2026-12-26'))).toBe(false);
  });

  it('a holiday of one country is a business day in another', () => {
    // 8 December (Immaculate Conception) is a public holiday in Italy, not in the US.
    expect(isDigestDay(parseSettings({ country: 'IT' }), day('2026-12-08'))).toBe(false);
    expect(isDigestDay(parseSettings({ country: 'US' }), day('2026-12-08'))).toBe(true);
  });

  it('the next digest day skips a long weekend', () => {
    const us = parseSettings({ country: 'US' });
    expect(dayToIso(nextDigestDay(us, day('2026-12-25')))).toBe('2026-12-28');
    expect(dayToIso(nextDigestDay(us, day('2027-01-16')))).toBe('2027-01-19'); // Saturday → Tuesday after MLK Day
    expect(dayToIso(nextDigestDay(us, day('2026-12-04')))).toBe('2026-12-04');
  });

  it('every_day sends on weekends and holidays too', () => {
    const everyDay = parseSettings({ country: 'US', daily_digest_days: 'every_day' });
    expect(isDigestDay(everyDay, day('2026-12-05'))).toBe(true);
    expect(isDigestDay(everyDay, day('2026-12-25'))).toBe(true);
    expect(() => parseSettings({ daily_digest_days: 'weekdays' })).toThrow(/daily_digest_days/);
  });
});
