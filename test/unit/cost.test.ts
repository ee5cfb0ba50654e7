/** Money (shared/domain/cost.ts): every cost exact to the cent, rounded half up, however large. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCents, costCents, money } from '../../shared/domain/cost.js';

/** The reference: days × seats × price × 12 / 365 in cents, rounded half up, on BigInt from the price's text. */
function exactCents(days: number, seats: number, price: string): bigint {
  const [whole = '0', fraction = ''] = price.split('.');
  const units = BigInt(`${whole}${fraction}`);
  const numerator = BigInt(days) * BigInt(seats) * units * 1200n;
  const denominator = 365n * 10n ** BigInt(fraction.length);
  return (2n * numerator + denominator) / (2n * denominator);
}

const price = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }))
  .map(([whole, fraction, digits]) => (digits === 0 ? String(whole) : `${whole}.${String(fraction).padStart(6, '0').slice(0, digits)}`))
  .filter((text) => Number(text) <= 100_000);

describe('costCents', () => {
  it('equals the exact fraction rounded half up, for any days, seats and price within the input limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 36_890 }), fc.integer({ min: 1, max: 1_000_000 }), price, (days, seats, text) => {
        const cents = costCents(days, seats, Number(text));
        expect(BigInt(cents)).toBe(exactCents(days, seats, text));
        expect(typeof cents === 'bigint').toBe(BigInt(cents) > BigInt(Number.MAX_SAFE_INTEGER));
      }),
      { seed: 14, numRuns: 5_000 },
    );
  });

  it('rounds an exact half cent up, where floating point falls just below it', () => {
    // 1 day × 73 seats × 0.01875 × 12 / 365 = 4.5 cents; floating point gives 4.4999…
    expect(costCents(1, 73, 0.01875)).toBe(5);
    expect(costCents(1, 73, 0.04375)).toBe(11);
  });

  it('reads a price with more decimals than a plain number holds exactly', () => {
    expect(BigInt(costCents(36_524, 1_000_000, 99_999.123456789))).toBe(exactCents(36_524, 1_000_000, '99999.123456789'));
  });
});

describe('money', () => {
  it('writes cents with two decimals, however large', () => {
    expect(money(0)).toBe('0.00');
    expect(money(5)).toBe('0.05');
    expect(money(123_456)).toBe('1234.56');
    expect(money(12_007_561_643_835_616n)).toBe('120075616438356.16');
    expect(money(-5)).toBe('-0.05');
  });

  it('adds past 2^53 without losing a cent', () => {
    const sum = addCents(Number.MAX_SAFE_INTEGER, 2);
    expect(sum).toBe(9_007_199_254_740_993n);
    expect(addCents(1, 2)).toBe(3);
  });
});
