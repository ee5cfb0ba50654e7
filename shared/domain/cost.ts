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

export function money(amount: number): string {
  return (Math.round(amount * 100) / 100).toFixed(2);
}
