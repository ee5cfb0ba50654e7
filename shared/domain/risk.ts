/** The risk classes of a planned subscription (architecture: planning rules). */
export const RISKS = ['ok', 'at_risk', 'expired_grace', 'lapsed', 'ineligible'] as const;
export type Risk = (typeof RISKS)[number];

/**
 * The risks that need the partner's attention: every one but ok. Ineligible counts too: such a
 * subscription is not moved until the partner acts, and some only need a target_offer.
 */
export const NEEDS_ATTENTION: readonly Risk[] = ['at_risk', 'expired_grace', 'lapsed', 'ineligible'];

/** How many subscriptions of these counts by risk need attention. */
export function needingAttention(byRisk: Partial<Record<Risk, number>>): number {
  return NEEDS_ATTENTION.reduce((sum, risk) => sum + (byRisk[risk] ?? 0), 0);
}
export const OK = 0;
export const AT_RISK = 1;
export const EXPIRED_GRACE = 2;
export const LAPSED = 3;
export const RISK_INELIGIBLE = 4;
