/**
 * Money, exact to the cent. A cost is days × seats × price a seat a month × 12 / 365 (the
 * planning rules), rounded half up to whole cents from the exact fraction: the price is read as
 * the decimal it was written as, and the arithmetic is on integers — plain numbers while they
 * stay below 2^53, BigInt beyond (a million seats at the price limit over a century of days).
 */
import type { Day } from './dates.js';

/** Whole cents: a number while it is exact, a bigint beyond 2^53. */
export type Cents = number | bigint;

/**
 * A price as the fraction its costs are computed with: a cost in cents is
 * days × seats × units × factor / denominator, where the price is units / 10^scale and
 * factor / denominator is 1200 / (365 × 10^scale) reduced (12 months × 100 cents, over 365 days):
 * the usual costs then stay within plain numbers.
 */
interface PriceFraction {
  units: number;
  factor: number;
  denominator: number;
}

/** Decimals a price is usually written with; longer ones take the exact BigInt path. */
const MAX_PLAIN_SCALE = 6;
const REDUCED = Array.from({ length: MAX_PLAIN_SCALE + 1 }, (_, scale) => {
  const denominator = 365 * 10 ** scale;
  const common = gcd(1200, denominator);
  return { factor: 1200 / common, denominator: denominator / common };
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The price as the decimal it was written as, when that has at most MAX_PLAIN_SCALE decimals: the
 * fewest decimals whose value reads back as the same number (u / 10^s is the double nearest that
 * decimal, as parsing its text gives). Undefined for longer ones.
 */
function plainFraction(price: number): PriceFraction | undefined {
  for (let scale = 0; scale <= MAX_PLAIN_SCALE; scale++) {
    const power = 10 ** scale;
    const units = Math.round(price * power);
    if (units / power === price) return { units, ...REDUCED[scale]! };
  }
  return undefined;
}

/** The price's decimal text (the shortest that reads back as it) as units × 1200 over 365 × 10^scale, exact. */
function exactFraction(price: number): { numerator: bigint; denominator: bigint } {
  const [mantissa = '0', exponent = '0'] = String(price).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const shift = fraction.length - Number(exponent);
  const scale = Math.max(0, shift);
  const units = BigInt(`${whole}${fraction}`) * 10n ** BigInt(scale - shift);
  return { numerator: units * 1200n, denominator: 365n * 10n ** BigInt(scale) };
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
  const plain = plainFraction(unitPriceMonthly);
  if (plain) {
    const numerator = days * seats * plain.units * plain.factor;
    if (numerator * 2 + plain.denominator <= Number.MAX_SAFE_INTEGER) return halfUp(numerator, plain.denominator);
  }
  const exact = exactFraction(unitPriceMonthly);
  const n = BigInt(days) * BigInt(seats) * exact.numerator;
  return narrowed((2n * n + exact.denominator) / (2n * exact.denominator));
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
  return addCents(a, -BigInt(b));
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
  if (typeof cents === 'number' && cents >= 0) {
    const rest = cents % 100;
    return `${(cents - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
  }
  const negative = cents < 0;
  const digits = String(negative ? -cents : cents).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
