import { describe, expect, it } from 'vitest';
import { toCountryCode } from '../../shared/domain/country.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseBoolean, parseDateToken, parseDecimal } from '../../shared/domain/values.js';

describe('date cells', () => {
  it('reads ISO dates, with or without a time part', () => {
    expect(parseDateToken('2027-02-08')).toEqual({ kind: 'day', day: isoToDay('2027-02-08') });
    expect(parseDateToken('2027-02-08T00:00:00Z')).toEqual({ kind: 'day', day: isoToDay('2027-02-08') });
    expect(parseDateToken('2027/02/08')).toEqual({ kind: 'day', day: isoToDay('2027-02-08') });
  });

  it('keeps day-first/month-first dates undecided until the file is known', () => {
    expect(parseDateToken('08/02/2027')).toEqual({ kind: 'pair', first: 8, second: 2, year: 2027 });
    expect(parseDateToken('3/14/2027 12:00:00 AM')).toEqual({ kind: 'pair', first: 3, second: 14, year: 2027 });
    expect(parseDateToken('28.02.27')).toEqual({ kind: 'pair', first: 28, second: 2, year: 2027 });
  });

  it('reads month names', () => {
    expect(parseDateToken('8 Feb 2027')).toEqual({ kind: 'day', day: isoToDay('2027-02-08') });
    expect(parseDateToken('Feb 8, 2027')).toEqual({ kind: 'day', day: isoToDay('2027-02-08') });
  });

  it('rejects what is not a date', () => {
    expect(parseDateToken('2027-02-30').kind).toBe('invalid');
    expect(parseDateToken('soon').kind).toBe('invalid');
    expect(parseDateToken('').kind).toBe('invalid');
  });
});

describe('numbers', () => {
  it('reads a decimal comma only in ;-delimited files', () => {
    expect(parseDecimal('12,50', true)).toBe(12.5);
    expect(parseDecimal('1.234,50', true)).toBe(1234.5);
    expect(parseDecimal('12.50', true)).toBe(12.5);
    expect(parseDecimal('12,50', false)).toBeNaN();
    expect(parseDecimal('1,234.50', false)).toBe(1234.5);
  });

  it('reads thousands separators as the file writes them, and a lone dot as the decimal point where it is one', () => {
    expect(parseDecimal('1.200', true)).toBe(1200);
    expect(parseDecimal('12.345.678', true)).toBe(12_345_678);
    expect(parseDecimal('1,200', false)).toBe(1200);
    expect(parseDecimal('1.200', false)).toBe(1.2);
  });

  it('ignores currency signs and codes', () => {
    expect(parseDecimal('€ 12,50', true)).toBe(12.5);
    expect(parseDecimal('$8.00', false)).toBe(8);
    expect(parseDecimal('USD 8', false)).toBe(8);
  });

  it('rejects what is not a number', () => {
    expect(parseDecimal('twelve', false)).toBeNaN();
    expect(parseDecimal('1e3', false)).toBeNaN();
  });
});

describe('booleans', () => {
  it.each([['true'], ['TRUE'], ['yes'], ['Y'], ['1'], ['True']])('%s is true', (v) => expect(parseBoolean(v)).toBe(true));
  it.each([['false'], ['No'], ['n'], ['0'], ['FALSE']])('%s is false', (v) => expect(parseBoolean(v)).toBe(false));
  it('anything else is not a boolean', () => expect(parseBoolean('maybe')).toBeUndefined());
});

describe('countries', () => {
  it('accepts ISO codes in any case and English names', () => {
    expect(toCountryCode('it')).toBe('IT');
    expect(toCountryCode('Italy')).toBe('IT');
    expect(toCountryCode('United States')).toBe('US');
    expect(toCountryCode('UK')).toBe('GB');
    expect(toCountryCode('Atlantis')).toBeUndefined();
    expect(toCountryCode('ZZ')).toBeUndefined();
  });
});
