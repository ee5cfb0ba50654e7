/**
 * Money, exact to the cent. A cost is days × seats × price a seat a month × 12 / 365 (the
 * planning rules), rounded half up to whole cents from the exact fraction: the price is read as
 * the decimal it was written as, and the arithmetic is on integers — plain numbers while they
 * stay below 2^53, BigInt beyond (a million seats at the price limit over a century of days).
 */
import type { Day } from './dates.js';

/** Whole cents: a number while it is exact, a bigint beyond 2^53. */
export type Cents = number | bigint;

/** A price as an integer over a power of ten: 12.5 is 125 / 10^1. */
interface Decimal {
  units: number;
  scale: number;
}

/** Prices met, as decimals: a file has few distinct prices, and every row asks. */
const decimals = new Map<number, Decimal>();
const MAX_DECIMALS = 1_000;

/** The decimal a price was written as: the shortest text that reads back as the same number. */
function priceDecimal(price: number): Decimal {
  let known = decimals.get(price);
  if (known) return known;
  const [mantissa = '0', exponent = '0'] = String(price).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const scale = fraction.length - Number(exponent);
  const digits = Number(`${whole}${fraction}`);
  known = scale >= 0 ? { units: digits, scale } : { units: digits * 10 ** -scale, scale: 0 };
  if (decimals.size < MAX_DECIMALS) decimals.set(price, known);
  return known;
}

/** A seat-month priced per day, as a number: for ordering and estimates, never for amounts shown. */
export function dailyCost(seats: number, unitPriceMonthly: number): number {
  return (seats * unitPriceMonthly * 12) / 365;
}

/** Calendar days both the legacy and the CSP subscription are paid for (≥ 0). */
export function overlapDays(endDay: Day, moveOn: Day): number {
  return Math.max(0, endDay - moveOn);
}

/** days × seats × unitPriceMonthly × 12 / 365 in whole cents, rounded half up; days, seats ≥ 0, price ≥ 0. */
export function costCents(days: number, seats: number, unitPriceMonthly: number): Cents {
  const { units, scale } = priceDecimal(unitPriceMonthly);
  // cents = days × seats × units × 12 × 100 / (365 × 10^scale)
  const numerator = days * seats * units * 1200;
  const denominator = 365 * 10 ** scale;
  if (numerator * 2 + denominator <= Number.MAX_SAFE_INTEGER) return halfUp(numerator, denominator);
  const n = BigInt(days) * BigInt(seats) * BigInt(units) * 1200n;
  const d = 365n * 10n ** BigInt(scale);
  return narrowed((2n * n + d) / (2n * d));
}

/** round(n / d) half up, for integers n ≥ 0, d > 0 with 2n + d exact. */
function halfUp(n: number, d: number): number {
  const a = 2 * n + d;
  const b = 2 * d;
  let q = Math.floor(a / b);
  const r = a - q * b; // exact: q × b ≤ a + b < 2^53
  if (r < 0) q--;
  else if (r >= b) q++;
  return q;
}

/** What cancelling today would throw away: the unused, non-refundable rest of the term. */
export function cancelNowWaste(endDay: Day, today: Day, seats: number, unitPriceMonthly: number): Cents {
  return costCents(Math.max(0, endDay - today), seats, unitPriceMonthly);
}

export function addCents(a: Cents, b: Cents): Cents {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return narrowed(BigInt(a) + BigInt(b));
}

export function subtractCents(a: Cents, b: Cents): Cents {
  return addCents(a, typeof b === 'number' ? -b : -b);
}

/** Negative, zero or positive as a is less than, equal to or more than b. */
export function compareCents(a: Cents, b: Cents): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function narrowed(c: bigint): Cents {
  return c <= BigInt(Number.MAX_SAFE_INTEGER) && c >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(c) : c;
}

/** The amount as a decimal Intl.NumberFormat formats exactly, however large. */
export function decimalOf(cents: Cents): Intl.StringNumericLiteral {
  return money(cents) as Intl.StringNumericLiteral;
}

/** Two decimals and a `.`: 123456 cents are "1234.56". plan.csv writes two a row. */
export function money(cents: Cents): string {
  const negative = cents < 0;
  const digits = String(negative ? -cents : cents).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
