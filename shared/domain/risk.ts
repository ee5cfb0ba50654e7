/** The risk classes of a planned subscription (architecture: planning rules). */
export const RISKS = ['ok', 'at_risk', 'expired_grace', 'lapsed', 'ineligible'] as const;
export type Risk = (typeof RISKS)[number];
export const OK = 0;
export const AT_RISK = 1;
export const EXPIRED_GRACE = 2;
export const LAPSED = 3;
export const RISK_INELIGIBLE = 4;
