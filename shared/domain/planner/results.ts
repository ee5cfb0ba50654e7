/**
 * Results: each row's move day (its unit's; none for a row that does not move) and risk class
 * (risk-classification.ts); each customer's invite-by, the earliest move day of its rows minus
 * invite_lead_days but never before today, and none once the invitation is accepted or when
 * nothing of the customer moves.
 */

import { release } from '../../columnar/typed-arrays.js';
import { type Day, NO_DAY } from '../dates.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { CustomerWindows } from './customer-windows.js';
import { graceEndOf, riskOf } from './risk-classification.js';
import { schedulable, type Units } from './units.js';

export interface Results {
  /** Per row: move day, NO_DAY when it does not move. */
  moveOn: Int32Array;
  /** Per row: index into RISKS. */
  risk: Uint8Array;
  /** Per customer: invitation due by, or NO_DAY. */
  inviteBy: Int32Array;
}

/** `inPlace`: each row's unit index is overwritten by its move day (else the units stay usable). */
export function results(p: Portfolio, units: Units, windows: CustomerWindows, today: Day, lead: number, inPlace = true): Results {
  const n = p.size;
  const unitOf = units.ofRow;
  const moveOn = inPlace ? unitOf : new Int32Array(n);
  const earliest = windows.earliest;
  const risk = new Uint8Array(n);
  const firstMove = new Int32Array(p.customers.count).fill(NO_DAY);
  for (let i = 0; i < n; i++) {
    const u = unitOf[i]!;
    if (u === -1) moveOn[i] = NO_DAY;
    else {
      const day = units.dayOf(u);
      moveOn[i] = day;
      const c = p.customer[i]!;
      if (firstMove[c] === NO_DAY || day < firstMove[c]!) firstMove[c] = day;
    }
    risk[i] = riskOf(
      p,
      i,
      today,
      graceEndOf(p, i),
      moveOn[i]!,
      earliest[p.customer[i]!]!,
      schedulable(p, i) ? windows.latestOf(i) : NO_DAY,
    );
  }
  const inviteBy = new Int32Array(p.customers.count).fill(NO_DAY);
  for (let c = 0; c < p.customers.count; c++) {
    if (p.customers.invitation[c] === 'accepted' || firstMove[c] === NO_DAY) continue;
    inviteBy[c] = Math.max(today, firstMove[c]! - lead);
  }
  release(firstMove);
  return { moveOn, risk, inviteBy };
}
