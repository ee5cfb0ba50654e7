/** Counts in words (shared/domain/words.ts): what every summary, report and e-mail says. */
import { describe, expect, it } from 'vitest';
import { count, plural } from '../../shared/domain/words.js';

describe('counts in words', () => {
  it('one is singular, every other count plural, with thousands separators', () => {
    expect(plural(1, 'customer', 'customers')).toBe('1 customer');
    expect(plural(0, 'customer', 'customers')).toBe('0 customers');
    expect(plural(2, 'row has', 'rows have')).toBe('2 rows have');
    expect(plural(1, 'row has', 'rows have')).toBe('1 row has');
    expect(plural(1200, 'error', 'errors')).toBe('1,200 errors');
    expect(count(1_116_501)).toBe('1,116,501');
  });
});
