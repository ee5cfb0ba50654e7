/**
 * What an upload says of where moves stand, weighed against what was recorded since (status
 * events from the CLI, the e-mail links, earlier uploads). The events are the record: a file says
 * something new only when it is ahead of them — an invitation `sent` or `accepted`, a
 * subscription `provisioned` or `done` — and that becomes an `upload` event. A file that is
 * behind (an older export, a CSV without the status columns) changes nothing: the recorded state
 * stands, and the file's portfolio is planned with it. A new state takes effect on the day the
 * file gives for it (`invited_on`, `accepted_on`, `provisioned_on`), else on the upload's day;
 * never before the recorded state it follows, so it is the state the events end in.
 */
import { type Day, isoToDay } from './dates.js';
import { type InvitationStatus, invitationRank } from './lifecycle.js';
import { plannedRows } from './plan-rows.js';
import { LIFECYCLES, type Portfolio } from './portfolio/portfolio.js';
import { currentState, hasMoved, type StatusEvent, type StatusSubject, type SubscriptionState } from './status-events.js';
import { subjectKey } from './subject-key.js';

export { subjectKey } from './subject-key.js';

const PROVISIONED = LIFECYCLES.indexOf('provisioned');
const EXCLUDED = LIFECYCLES.indexOf('excluded');

/** A state a file states that the events do not have yet. */
export interface StatedChange {
  subject: StatusSubject;
  state: InvitationStatus | SubscriptionState;
  /** The day the file gives for it; undefined: the upload's day. */
  on?: Day | undefined;
}

export interface ReconciledStatuses {
  /** What the file says that is new: recorded as `upload` events. */
  news: StatedChange[];
  /** Each subscription's state where the events or the file say more than `planned`. */
  subscriptionStates: Map<string, SubscriptionState>;
}

/** The current state of each subject that has events. */
export function currentStates(events: Iterable<StatusEvent>): Map<string, StatusEvent> {
  const bySubject = new Map<string, StatusEvent[]>();
  for (const e of events) {
    const key = subjectKey(e.subject);
    const list = bySubject.get(key);
    if (list) list.push(e);
    else bySubject.set(key, [e]);
  }
  const current = new Map<string, StatusEvent>();
  for (const [key, list] of bySubject) current.set(key, currentState(list)!);
  return current;
}

/**
 * Brings the portfolio in line with the recorded states (a customer recorded as accepted is
 * planned as accepted; a subscription recorded as provisioned or done is not moved again, nor
 * one recorded as excluded, which leaves its capacity to the others), and
 * returns what the file says that is new. `statusText(i)` is the row's `status` cell as written.
 */
export function reconcileStatuses(
  p: Portfolio,
  recorded: ReadonlyMap<string, StatusEvent>,
  statusText: (i: number) => string,
): ReconciledStatuses {
  const news: StatedChange[] = [];
  const subscriptionStates = new Map<string, SubscriptionState>();

  const days = p.statedDays;
  for (let c = 0; c < p.customers.count; c++) {
    const subject: StatusSubject = { kind: 'customer', id: p.customers.id(c) };
    const stated = p.customers.invitation[c]!;
    const knownEvent = recorded.get(subjectKey(subject));
    const known = knownEvent?.state as InvitationStatus | undefined;
    const knownRank = known === undefined ? invitationRank('not_sent') : invitationRank(known);
    if (invitationRank(stated) <= knownRank) {
      if (known !== undefined) p.customers.invitation[c] = known;
      continue;
    }
    const after = knownEvent && isoToDay(knownEvent.effective);
    const sentOn = notBefore(days?.invitedOn.get(c), after);
    // An acceptance whose sending was never recorded: the file's invited_on is news too.
    if (stated === 'accepted' && knownRank < invitationRank('sent') && sentOn !== undefined) {
      news.push({ subject, state: 'sent', on: sentOn });
    }
    const on = stated === 'accepted' ? notBefore(days?.acceptedOn.get(c), sentOn ?? after) : sentOn;
    news.push({ subject, state: stated, on });
  }

  for (const i of plannedRows(p)) {
    const subject: StatusSubject = { kind: 'subscription', id: p.ids.get(i) };
    const known = recorded.get(subjectKey(subject))?.state as SubscriptionState | undefined;
    const stated = statedSubscriptionState(p, i, statusText);
    if (stated !== undefined && (known === undefined || known === 'planned')) {
      const knownEvent = recorded.get(subjectKey(subject));
      const provisionedOn = notBefore(days?.provisionedOn.get(i), knownEvent && isoToDay(knownEvent.effective));
      // `done` on the upload's day; the file's provisioned_on is when it was provisioned before.
      if (stated === 'done' && provisionedOn !== undefined) news.push({ subject, state: 'provisioned', on: provisionedOn });
      news.push({ subject, state: stated, on: stated === 'done' ? undefined : provisionedOn });
      subscriptionStates.set(subject.id, stated);
      continue;
    }
    if (known === undefined || known === 'planned') continue;
    subscriptionStates.set(subject.id, known);
    if (hasMoved(known)) p.lifecycle[i] = PROVISIONED;
    else if (known === 'excluded') p.lifecycle[i] = EXCLUDED; // it leaves the plan's capacity
  }
  return { news, subscriptionStates };
}

/** A stated day, raised to `floor` when it is earlier; undefined when the file gives none. */
function notBefore(day: Day | undefined, floor: Day | undefined): Day | undefined {
  if (day === undefined) return undefined;
  return floor !== undefined && floor > day ? floor : day;
}

/** A row's status cell as a move's state: `done` (or completed) once the legacy subscription ended, else provisioned. */
function statedSubscriptionState(p: Portfolio, i: number, statusText: (i: number) => string): SubscriptionState | undefined {
  if (p.lifecycle[i] !== PROVISIONED) return undefined;
  return /^\s*(done|completed)\s*$/i.test(statusText(i)) ? 'done' : 'provisioned';
}
