/**
 * The days of a move's lifecycle, from its status events: when the invitation was sent and
 * accepted, when the subscription was provisioned. plan.csv shows them (invited_on, accepted_on,
 * provisioned_on).
 */
import { inOrder, type StatusEvent, type StatusSubject } from './status-events.js';
import { subjectKey } from './subject-key.js';

/** The states a step back to a state undoes. */
const UNDONE_BY: Partial<Record<string, string[]>> = { not_sent: ['sent', 'accepted'], sent: ['accepted'], planned: ['provisioned'] };

/** The days of a move's lifecycle plan.csv shows, ISO, '' when not reached. */
export interface LifecycleDates {
  invitedOn(customerId: string): string;
  acceptedOn(customerId: string): string;
  provisionedOn(subscriptionId: string): string;
}

/**
 * The day each subject reached each state it is still in or past: the latest event of that state
 * (a correction back to an earlier state drops the later states' days).
 */
export function lifecycleDates(events: Iterable<StatusEvent>): LifecycleDates {
  const bySubject = new Map<string, StatusEvent[]>();
  for (const e of events) {
    const key = subjectKey(e.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), e]);
  }
  const days = new Map<string, Partial<Record<'sent' | 'accepted' | 'provisioned', string>>>();
  for (const [key, list] of bySubject) {
    const ordered = inOrder(list);
    const reached: Partial<Record<string, string>> = {};
    for (const e of ordered) {
      for (const later of UNDONE_BY[e.state] ?? []) delete reached[later];
      reached[e.state] = e.effective;
    }
    days.set(key, { sent: reached.sent, accepted: reached.accepted, provisioned: reached.provisioned });
  }
  const day = (kind: StatusSubject['kind'], id: string, state: 'sent' | 'accepted' | 'provisioned') =>
    days.get(subjectKey({ kind, id }))?.[state] ?? '';
  return {
    invitedOn: (id) => day('customer', id, 'sent'),
    acceptedOn: (id) => day('customer', id, 'accepted'),
    provisionedOn: (id) => day('subscription', id, 'provisioned'),
  };
}
