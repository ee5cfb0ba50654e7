import { type Day, dayToIso } from './dates.js';
import { countryName } from './country.js';
import type { IneligibleReason } from './portfolio.js';

/** What one sentence of advice needs to know about a row. */
export interface ActionFacts {
  risk: 'ok' | 'at_risk' | 'expired_grace' | 'lapsed' | 'ineligible';
  provisioned: boolean;
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
 * Example: "Send the reseller relationship request by 2027-01-04; provision Office 365 E3 × 25
 * in CSP on 2027-02-01; let the legacy subscription expire on 2027-02-08 (do not cancel: no
 * refund); turn off auto-renew first."
 */
export function actionFor(f: ActionFacts): string {
  if (f.risk === 'ineligible') return ineligibleAction(f);
  const steps: string[] = [];
  const provision = `provision ${f.target} × ${f.seats} in CSP on ${f.moveOn !== undefined ? iso(f.moveOn) : '?'}${f.baseId ? `, with its base subscription ${f.baseId} (row ${f.baseRow})` : ''}`;
  const invite = !f.invitationAccepted && f.inviteBy !== undefined
    ? `send the reseller relationship request ${f.inviteBy <= f.today ? 'now' : `by ${iso(f.inviteBy)}`}`
    : undefined;
  const reassign = f.reassign ? `reassign users' licenses from ${f.offer} to ${f.target} (back up data if it has fewer services)` : undefined;

  if (f.provisioned) {
    steps.push(`Provisioned in CSP: let the legacy subscription expire on ${iso(f.endDay)} (do not cancel: no refund)`);
    if (f.autoRenew) steps.push('turn off its auto-renew first');
    return `${steps.join('; ')}.`;
  }
  if (f.risk === 'expired_grace') {
    steps.push(`Expired on ${iso(f.endDay)}; users keep access until ${iso(f.graceEnd)}: move now`);
    if (invite) steps.push(invite);
    steps.push(provision);
    if (reassign) steps.push(reassign);
    if (f.moveOn !== undefined && f.moveOn > f.graceEnd) steps.push('that is after access ends, so expect an interruption');
    return `${steps.join('; ')}.`;
  }
  if (f.risk === 'lapsed') {
    steps.push(`Lapsed: access ended on ${iso(f.graceEnd)} and data is deleted after the disabled stage`);
    if (invite) steps.push(invite);
    steps.push(provision);
    steps.push('restore data from a backup if needed');
    return `${steps.join('; ')}.`;
  }
  if (f.risk === 'at_risk') steps.push(`At risk: not enough lead time before ${iso(f.endDay)}`);
  if (invite) steps.push(invite);
  steps.push(provision);
  if (reassign) steps.push(reassign);
  steps.push(`let the legacy subscription expire on ${iso(f.endDay)} (do not cancel: no refund)`);
  if (f.autoRenew) steps.push('turn off auto-renew first, or it renews for another full term');
  return capitalize(`${steps.join('; ')}.`);
}

function ineligibleAction(f: ActionFacts): string {
  switch (f.ineligibleReason) {
    case 'country_mismatch':
      return `Cannot be moved by this partner: the customer is in ${countryName(f.customerCountry ?? '')} and the partner in ${countryName(f.partnerCountry)}; a partner in the customer's country must move it.`;
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

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
