/**
 * Risk classes of a row, given its move day (README, "Planning rules"):
 * - ineligible: the row cannot be moved by this partner;
 * - a provisioned subscription is ok: it has moved, whatever its end date; so is an excluded one:
 *   the partner has decided it does not move;
 * - a disabled subscription is lapsed; one whose end date has passed (or expired) is
 *   expired_grace while the grace of its licensing program lasts until its move day, lapsed
 *   once the grace has ended or will have by the time it can move;
 * - otherwise ok when the move day lies in [earliest, latest], at_risk when it does not.
 */
import type { Day } from '../dates.js';
import { graceDays } from '../lifecycle.js';
import { INELIGIBLE, LIFECYCLES, type Portfolio } from '../portfolio/portfolio.js';
import { AT_RISK, EXPIRED_GRACE, LAPSED, OK, RISK_INELIGIBLE } from '../risk.js';

const PROVISIONED = LIFECYCLES.indexOf('provisioned');
const EXCLUDED = LIFECYCLES.indexOf('excluded');
const EXPIRED = LIFECYCLES.indexOf('expired');
const DISABLED = LIFECYCLES.indexOf('disabled');

/** Last day users keep access after the end date (end + grace of the licensing program). */
export function graceEndOf(p: Portfolio, i: number): Day {
  const program = p.program[i]!;
  return p.endDay[i]! + graceDays(program === -1 ? undefined : p.strings.get(program));
}

/** Row i's risk class (index into RISKS); `latest` is NO_DAY for a row that is not moved. */
export function riskOf(p: Portfolio, i: number, today: Day, graceEnd: Day, moveOn: Day, earliest: Day, latest: Day): number {
  const state = p.state[i];
  if (state === INELIGIBLE) return RISK_INELIGIBLE;
  const lc = p.lifecycle[i];
  if (lc === PROVISIONED || lc === EXCLUDED) return OK;
  if (lc === DISABLED) return LAPSED;
  if (p.endDay[i]! < today || lc === EXPIRED) return today <= graceEnd && moveOn <= graceEnd ? EXPIRED_GRACE : LAPSED;
  return moveOn >= earliest && moveOn <= latest ? OK : AT_RISK;
}
