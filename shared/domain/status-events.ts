/**
 * The lifecycle of a move as events. A customer's invitation goes not_sent → sent → accepted; a
 * subscription planned → provisioned → done, or excluded (the partner will not move it). Every
 * change is an event with the day it took effect, when it was recorded, where it came from and
 * who made it; the current state is derived from them, so applying an event twice, or events in
 * any order, gives the same state: the latest effective day wins, ties go to the later record.
 */
import { type Day, isoToDay } from './dates.js';
import { INVITATION_STATUSES, type InvitationStatus } from './lifecycle.js';

export const SUBSCRIPTION_STATES = ['planned', 'provisioned', 'done', 'excluded'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];
export const EVENT_SOURCES = ['upload', 'cli', 'email_link', 'api'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export type StatusSubject = { kind: 'customer'; id: string } | { kind: 'subscription'; id: string };

export interface StatusEvent {
  subject: StatusSubject;
  state: InvitationStatus | SubscriptionState;
  /** The day the change took effect, ISO. */
  effective: string;
  /** When it was recorded, ISO time. */
  recordedAt: string;
  source: EventSource;
  /** A partner user's e-mail, or "upload NAME". */
  by: string;
  /** Why, for an exclusion or a correction. */
  reason?: string | undefined;
  /** A step backwards made on purpose (provisioned → planned). */
  correction?: boolean | undefined;
}

/** Whether a subscription in this state has moved to CSP (and is not moved again). */
export function hasMoved(state: SubscriptionState): boolean {
  return state === 'provisioned' || state === 'done';
}

/** The states a subject can be in, in the order a move goes through them. */
export function statesOf(kind: StatusSubject['kind']): readonly string[] {
  return kind === 'customer' ? INVITATION_STATUSES : SUBSCRIPTION_STATES;
}

/** Events in the order they apply: by effective day, then by when they were recorded. */
export function inOrder(events: readonly StatusEvent[]): StatusEvent[] {
  return [...events].sort(
    (a, b) =>
      a.effective.localeCompare(b.effective) ||
      a.recordedAt.localeCompare(b.recordedAt) ||
      // Two events recorded at the same instant: a fixed order, so the state never depends on arrival.
      a.state.localeCompare(b.state) ||
      a.source.localeCompare(b.source) ||
      a.by.localeCompare(b.by),
  );
}

/** The current state: the last event in order; undefined when there is none. */
export function currentState(events: readonly StatusEvent[]): StatusEvent | undefined {
  return inOrder(events).at(-1);
}

/**
 * Why a change cannot be recorded, or undefined when it can: an unknown state, a day after
 * tomorrow (a status is recorded once it happened), or a step backwards that is not a correction.
 */
export function changeProblem(
  subject: StatusSubject,
  current: string | undefined,
  next: string,
  effective: string,
  today: Day,
  correction: boolean,
): string | undefined {
  const states = statesOf(subject.kind);
  if (!states.includes(next)) return `"${next}" is not a ${subject.kind} state: use one of ${states.join(', ')}.`;
  const day = isoToDay(effective);
  if (Number.isNaN(day)) return `"${effective}" is not a date: use YYYY-MM-DD.`;
  if (day > today + 1) return `${effective} is in the future: record a change on the day it happens.`;
  if (current === undefined || correction || next === 'excluded' || current === 'excluded') return undefined;
  if (states.indexOf(next) < states.indexOf(current))
    return `${subject.kind} ${subject.id} is ${current}: going back to ${next} is a correction (--force).`;
  return undefined;
}
