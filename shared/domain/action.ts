import { countryName } from './country.js';
import { type Day, dayToIso } from './dates.js';
import type { Lifecycle } from './lifecycle.js';
import type { IneligibleReason } from './portfolio/portfolio.js';

/** What one sentence of advice needs to know about a row. */
export interface ActionFacts {
  risk: 'ok' | 'at_risk' | 'expired_grace' | 'lapsed' | 'ineligible';
  provisioned: boolean;
  /** The legacy status as understood: expired or disabled may contradict a future end date. */
  lifecycle: Lifecycle;
  ineligibleReason?: IneligibleReason | undefined;
  offer: string;
  target: string;
  seats: number;
  endDay: Day;
  graceEnd: Day;
  today: Day;
  moveOn?: Day | undefined;
  inviteBy?: Day | undefined;
  invitationAccepted: boolean;
  autoRenew: boolean;
  reassign: boolean;
  baseId?: string | undefined;
  baseRow?: number | undefined;
  customerCountry?: string | undefined;
  partnerCountry: string;
}

const iso = dayToIso;

/**
 * The `action` column: one sentence a partner can act on, in the order the steps happen.
 * Example: "Send the reseller relationship request by 2027-01-04; provision 25 seats of Office
 * 365 E3 in CSP on 2027-02-01; let the legacy subscription expire on 2027-02-08 (do not cancel:
 * no refund); turn off auto-renew first." Built by plain concatenation: plan.csv writes one per
 * row, a million on a large file.
 */
export function actionFor(f: ActionFacts): string {
  if (f.risk === 'ineligible') return ineligibleAction(f);
  if (f.provisioned) return provisionedAction(f);
  if (f.lifecycle === 'excluded') return 'Excluded from the move: nothing planned for it, and no reminders.';
  // Planned as an active one, but its users may have lost services: the partner hears it first.
  if (f.lifecycle === 'suspended')
    return `Suspended: find out why with the customer (often an unpaid invoice) before the move; ${lowerFirst(moveAction(f))}`;
  return moveAction(f);
}

function lowerFirst(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** The steps of a move, for a row that still moves. */
function moveAction(f: ActionFacts): string {
  const reassign = f.reassign ? `; reassign users' licenses from ${f.offer} to ${f.target} (back up data if it has fewer services)` : '';
  if (f.risk === 'expired_grace') {
    if (f.endDay > f.today) return `${contradicted(f)}; move now: ${inviteStep(f, false)}${provisionStep(f, false)}${reassign}.`;
    return (
      `Expired on ${iso(f.endDay)}; users keep access until ${iso(f.graceEnd)}: move now; ` +
      `${inviteStep(f, false)}${provisionStep(f, false)}${reassign}.`
    );
  }
  if (f.risk === 'lapsed') {
    const lost =
      f.endDay > f.today
        ? `${contradicted(f)}; users may have lost access: move now; `
        : f.graceEnd < f.today
          ? ''
          : f.lifecycle === 'disabled'
            ? `Disabled: users have lost access since the end date ${iso(f.endDay)} and data is deleted after the disabled stage; `
            : `Access ends on ${iso(f.graceEnd)}, before the earliest possible move on ${f.moveOn !== undefined ? iso(f.moveOn) : '?'}: ` +
              'expect an interruption; ';
    if (lost) return `${lost}${inviteStep(f, false)}${provisionStep(f, false)}; restore data from a backup if needed.`;
    return (
      `Lapsed: access ended on ${iso(f.graceEnd)} and data is deleted after the disabled stage; ` +
      `${inviteStep(f, false)}${provisionStep(f, false)}; restore data from a backup if needed.`
    );
  }
  const atRisk = f.risk === 'at_risk' ? `At risk: not enough lead time before ${iso(f.endDay)}; ` : '';
  const invite = inviteStep(f, !atRisk);
  const autoRenew = f.autoRenew ? '; turn off auto-renew first, or it renews for another full term' : '';
  return (
    `${atRisk}${invite}${provisionStep(f, !atRisk && !invite)}${reassign}; ` +
    `let the legacy subscription expire on ${iso(f.endDay)} (do not cancel: no refund)${autoRenew}.`
  );
}

/** An Expired or Disabled status before the end date: the sentence says so instead of dating the past. */
function contradicted(f: ActionFacts): string {
  return `Marked ${f.lifecycle} though its end date ${iso(f.endDay)} is still to come (check which is right)`;
}

function provisionedAction(f: ActionFacts): string {
  if (f.endDay < f.today) {
    return f.autoRenew
      ? `Provisioned in CSP; the legacy subscription's end date ${iso(f.endDay)} has passed with auto-renew on: check that it did not renew.`
      : `Provisioned in CSP; the legacy subscription ended on ${iso(f.endDay)}: nothing more to do.`;
  }
  const autoRenew = f.autoRenew ? '; turn off its auto-renew first' : '';
  return `Provisioned in CSP: let the legacy subscription expire on ${iso(f.endDay)} (do not cancel: no refund)${autoRenew}.`;
}

/**
 * The steps that can open a sentence take `first`, for a capital letter: capitalising the
 * finished sentence would copy it, once per row of plan.csv.
 */
function inviteStep(f: ActionFacts, first: boolean): string {
  if (f.invitationAccepted || f.inviteBy === undefined) return '';
  return `${first ? 'S' : 's'}end the reseller relationship request ${f.inviteBy <= f.today ? 'now' : `by ${iso(f.inviteBy)}`}; `;
}

function provisionStep(f: ActionFacts, first: boolean): string {
  const base = f.baseId ? `, with its base subscription ${f.baseId} (row ${f.baseRow})` : '';
  return `${first ? 'P' : 'p'}rovision ${seatsOf(f.seats)} of ${f.target} in CSP on ${f.moveOn !== undefined ? iso(f.moveOn) : '?'}${base}`;
}

function seatsOf(seats: number): string {
  return seats === 1 ? '1 seat' : `${seats} seats`;
}

function ineligibleAction(f: ActionFacts): string {
  switch (f.ineligibleReason) {
    case 'country_mismatch':
      return (
        `Cannot be moved by this partner: the customer is in ${countryName(f.customerCountry ?? '')} ` +
        `and the partner in ${countryName(f.partnerCountry)}; a partner in the customer's country must move it.`
      );
    case 'discontinued_without_target':
      return `${f.offer} is discontinued: set target_offer to an equivalent CSP offer and upload again, or data may be lost.`;
    case 'deleted':
      return 'The legacy subscription is deleted: nothing to move.';
    case 'base_ineligible':
      return `Its base subscription ${f.baseId ?? ''} (row ${f.baseRow ?? '?'}) cannot be moved, so neither can this add-on.`;
    default:
      return 'Cannot be moved.';
  }
}
