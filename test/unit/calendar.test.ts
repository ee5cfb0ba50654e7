import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../shared/domain/calendar.js';
import { dayToIso, isoToDay, todayIn, weekday } from '../../shared/domain/dates.js';

const d = isoToDay;

describe('calendar dates', () => {
  it('round-trips ISO dates and rejects dates that do not exist', () => {
    expect(dayToIso(d('2027-02-08'))).toBe('2027-02-08');
    expect(d('2027-02-30')).toBeNaN();
    expect(d('2028-02-29')).not.toBeNaN();
    expect(d('2027-02-29')).toBeNaN();
    expect(d('2027-2-8')).toBeNaN();
  });

  it('knows the weekday without local time', () => {
    expect(weekday(d('2027-02-08'))).toBe(1); // Monday
    expect(weekday(d('2026-11-29'))).toBe(0); // Sunday
  });

  it("takes today's date in the partner's time zone", () => {
    const now = new Date('2026-11-24T23:30:00Z');
    expect(dayToIso(todayIn('UTC', now))).toBe('2026-11-24');
    expect(dayToIso(todayIn('Europe/Rome', now))).toBe('2026-11-25');
    expect(dayToIso(todayIn('America/Los_Angeles', now))).toBe('2026-11-24');
  });
});

describe('business days', () => {
  const us = calendarFor('US');
  const it_ = calendarFor('IT');

  it('excludes weekends', () => {
    expect(us.isBusinessDay(d('2027-02-06'))).toBe(false); // Saturday
    expect(us.isBusinessDay(d('2027-02-07'))).toBe(false); // Sunday
    expect(us.isBusinessDay(d('2027-02-08'))).toBe(true);
  });

  it('excludes US federal holidays and their observed substitutes', () => {
    expect(us.isBusinessDay(d('2027-01-18'))).toBe(false); // Martin Luther King Jr. Day
    expect(us.isBusinessDay(d('2027-11-25'))).toBe(false); // Thanksgiving
    expect(us.isBusinessDay(d('2027-07-05'))).toBe(false); // Independence Day observed (July 4 is a Sunday)
    expect(us.isBusinessDay(d('2027-12-24'))).toBe(false); // Christmas observed (Dec 25 is a Saturday)
    expect(us.isBusinessDay(d('2027-02-14'))).toBe(false); // a Sunday anyway
    expect(us.isBusinessDay(d('2027-03-17'))).toBe(true); // St. Patrick's Day is only an observance
  });

  it('excludes Italian public holidays, which differ from US ones', () => {
    expect(it_.isBusinessDay(d('2027-01-06'))).toBe(false); // Epifania
    expect(it_.isBusinessDay(d('2027-03-29'))).toBe(false); // Lunedì dell'Angelo
    expect(it_.isBusinessDay(d('2027-06-02'))).toBe(false); // Festa della Repubblica
    expect(it_.isBusinessDay(d('2027-12-08'))).toBe(false); // Immacolata
    expect(it_.isBusinessDay(d('2027-01-18'))).toBe(true); // MLK day is not Italian
    expect(us.isBusinessDay(d('2027-01-06'))).toBe(true);
  });

  it('keeps half-day holidays as business days, since their morning is worked', () => {
    const is = calendarFor('IS');
    expect(is.isBusinessDay(d('2027-12-24'))).toBe(true); // Aðfangadagur, a Friday, off from 13:00
    expect(is.isBusinessDay(d('2027-12-31'))).toBe(true); // Gamlársdagur, a Friday, off from 13:00
    expect(is.isHoliday(d('2027-12-24'))).toBe(false);
    expect(is.isBusinessDay(d('2028-12-25'))).toBe(false); // Jóladagur, a Monday, off all day
    expect(is.isBusinessDay(d('2028-12-26'))).toBe(false);
    expect(calendarFor('HT').isBusinessDay(d('2027-02-08'))).toBe(true); // Lundi Gras, off from 14:00
    expect(calendarFor('HT').isBusinessDay(d('2027-02-09'))).toBe(false); // Mardi Gras
  });

  it('counts only the whole days of a Turkish bayram, not its eve or the half day after', () => {
    const tr = calendarFor('TR');
    // Ramazan Bayramı 2027: the eve, Monday 8 March, is worked; Tuesday to Thursday are off;
    // date-holidays runs it to noon on Friday 12 March, a business day.
    expect(tr.isBusinessDay(d('2027-03-08'))).toBe(true);
    for (const day of ['2027-03-09', '2027-03-10', '2027-03-11']) expect(tr.isBusinessDay(d(day)), day).toBe(false);
    expect(tr.isBusinessDay(d('2027-03-12'))).toBe(true);
    // Kurban Bayramı 2027: Sunday 16 to Wednesday 19 May; Thursday 20 May is worked.
    for (const day of ['2027-05-17', '2027-05-18', '2027-05-19']) expect(tr.isBusinessDay(d(day)), day).toBe(false);
    expect(tr.isBusinessDay(d('2027-05-20'))).toBe(true);
  });

  it('keeps the January days of a holiday that starts in December', () => {
    // Eswatini's Incwala runs six days from 28 December; Mauritania's Eid al-Adha 2006 three from 31 December.
    expect(calendarFor('SZ').isBusinessDay(d('2026-01-02'))).toBe(false); // a Friday
    expect(calendarFor('MR').isBusinessDay(d('2007-01-01'))).toBe(false);
    expect(calendarFor('MR').isBusinessDay(d('2007-01-02'))).toBe(false);
    expect(calendarFor('MR').isBusinessDay(d('2007-01-03'))).toBe(true);
  });

  it('moves to the next or previous business day', () => {
    expect(dayToIso(us.onOrAfter(d('2027-01-16')))).toBe('2027-01-19'); // Sat → Tue (Monday is MLK day)
    expect(dayToIso(us.onOrBefore(d('2027-01-18')))).toBe('2027-01-15');
    expect(dayToIso(it_.onOrAfter(d('2027-01-06')))).toBe('2027-01-07');
  });

  it('counts business days back from an end date, the end date itself excluded', () => {
    expect(dayToIso(us.businessDaysBefore(d('2027-02-08'), 5))).toBe('2027-02-01');
    // Over Thanksgiving: Mon 29 Nov ← Fri 26, Wed 24, Tue 23, Mon 22, Fri 19.
    expect(dayToIso(us.businessDaysBefore(d('2027-11-29'), 5))).toBe('2027-11-19');
    expect(dayToIso(us.businessDaysBefore(d('2027-02-06'), 0))).toBe('2027-02-05');
  });
});
