/** How each risk class is named, explained and coloured wherever a person reads it (report, e-mails). */
import type { Risk } from '../domain/risk.js';

export const RISK_INFO: Record<Risk, { label: string; meaning: string; color: string }> = {
  ok: { label: 'OK', meaning: 'planned with full lead time', color: '#1a7f37' },
  at_risk: { label: 'At risk', meaning: 'not enough lead time before the end date; planned as early as possible', color: '#b7860b' },
  expired_grace: { label: 'Expired, in grace', meaning: 'end date passed, still in grace: move now', color: '#d9630b' },
  lapsed: { label: 'Lapsed', meaning: 'past grace: services disabled', color: '#c62828' },
  ineligible: { label: 'Ineligible', meaning: 'cannot be moved; see action', color: '#6e7781' },
};
