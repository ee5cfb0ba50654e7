import type { Day } from './dates.js';

/** A seat-month priced per day: monthly price × 12 / 365, as the planning rules define it. */
export function dailyCost(seats: number, unitPriceMonthly: number): number {
  return (seats * unitPriceMonthly * 12) / 365;
}

/** Calendar days both the legacy and the CSP subscription are paid for (≥ 0). */
export function overlapDays(endDay: Day, moveOn: Day): number {
  return Math.max(0, endDay - moveOn);
}

/** What cancelling today would throw away: the unused, non-refundable rest of the term. */
export function cancelNowWaste(endDay: Day, today: Day, seats: number, unitPriceMonthly: number): number {
  return Math.max(0, endDay - today) * dailyCost(seats, unitPriceMonthly);
}

/** Two decimals, as (Math.round(amount × 100) / 100).toFixed(2), from whole cents: plan.csv writes two a row. */
export function money(amount: number): string {
  const cents = Math.round(amount * 100);
  if (!(cents >= 0 && cents <= Number.MAX_SAFE_INTEGER)) return (cents / 100).toFixed(2);
  const rest = cents % 100;
  return `${(cents - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}
