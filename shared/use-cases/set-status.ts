/**
 * Records a change in a move's life — an invitation sent or accepted, a subscription provisioned,
 * done or excluded — as an event, and brings the customer's or subscription's tracked record and
 * its reminders in line with the state the events now give. A change to the state it is in
 * already records nothing; a step backwards only as a correction.
 */
import { type Day, dayToIso, todayIn } from '../domain/dates.js';
import type { InvitationStatus } from '../domain/lifecycle.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import {
  changeProblem,
  currentState,
  type EventSource,
  hasMoved,
  inOrder,
  type StatusEvent,
  type StatusSubject,
  type SubscriptionState,
} from '../domain/status-events.js';
import { nextReminderDay, type TrackedRecord } from '../domain/tracked-plan.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import { statusesChanged } from './replan-request.js';

export interface SetStatusInput {
  partnerId: string;
  subject: StatusSubject;
  state: string;
  /** The day it happened, ISO; the partner's today when absent. */
  on?: string | undefined;
  source: EventSource;
  by: string;
  reason?: string | undefined;
  correction?: boolean | undefined;
  now: Date;
}

export type SetStatusResult =
  | { ok: true; state: string; recorded: boolean; history: StatusEvent[] }
  | { ok: false; problem: string; notFound?: boolean };

/** Where a subject stands, and whether the change may be made: what a confirmation page shows. */
export type StatusReview =
  | { ok: true; record: TrackedRecord; current: string; events: StatusEvent[]; effective: string; settings: PartnerSettings; today: Day }
  | { ok: false; problem: string; notFound?: boolean; record?: TrackedRecord; current?: string };

export async function reviewStatusChange(input: Omit<SetStatusInput, 'source' | 'by' | 'reason'>): Promise<StatusReview> {
  const { partnerId, subject } = input;

  // 1. The partner, and its today.
  const settings = await store.partnerSettings(partnerId);
  if (!settings) return { ok: false, problem: `There is no partner "${partnerId}".`, notFound: true };
  const today = todayIn(settings.timezone, input.now);
  const effective = input.on ?? dayToIso(today);

  // 2. The customer or subscription in the partner's plan.
  const record = await store.trackedRecord(partnerId, subject);
  if (!record) return { ok: false, problem: `Partner ${partnerId}'s plan has no ${subject.kind} "${subject.id}".`, notFound: true };

  // 3. Whether the change may be made, from where the events (or the upload) left it.
  const events = await store.statusEvents(partnerId, subject);
  const current = currentState(events)?.state ?? stateOf(record);
  const problem = changeProblem(subject, current, input.state, effective, today, input.correction === true);
  if (problem) return { ok: false, problem, record, current };
  return { ok: true, record, current, events, effective, settings, today };
}

export async function setStatus(input: SetStatusInput): Promise<SetStatusResult> {
  const { partnerId, subject } = input;

  // 1–3. The partner, the record and where it stands; whether the change may be made.
  const review = await reviewStatusChange(input);
  if (!review.ok) return { ok: false, problem: review.problem, notFound: review.notFound };
  const { record, current, events, effective, settings, today } = review;
  // Already so: a second click, or the same line uploaded again, records nothing.
  if (input.state === current && !input.correction) return { ok: true, state: current, recorded: false, history: inOrder(events) };

  // 4. The event; a repeat of one already recorded changes nothing.
  const event: StatusEvent = {
    subject,
    state: input.state as StatusEvent['state'],
    effective,
    recordedAt: input.now.toISOString(),
    source: input.source,
    by: input.by,
    reason: input.reason,
    correction: input.correction || undefined,
  };
  const recorded = await store.recordStatusEvent(partnerId, event);
  // The plan follows within minutes: a burst of changes is one re-plan.
  if (recorded) await statusesChanged(partnerId, input.now);
  const history = inOrder(recorded ? [...events, event] : events);

  // 5. The record takes the state the events now give, with its next reminder from today.
  const state = currentState(history)?.state ?? current;
  const changed = withState(record, state);
  await store.saveTrackedRecord(partnerId, changed, nextReminderDay(changed, settings, today));
  return { ok: true, state, recorded, history };
}

/** The state a tracked record has before any event: what its upload said. */
function stateOf(record: TrackedRecord): string {
  return record.kind === 'customer' ? record.customer.invitationStatus : record.subscription.state;
}

function withState(record: TrackedRecord, state: string): TrackedRecord {
  if (record.kind === 'customer')
    return { kind: 'customer', customer: { ...record.customer, invitationStatus: state as InvitationStatus } };
  const s = state as SubscriptionState;
  return { kind: 'subscription', subscription: { ...record.subscription, state: s, provisioned: hasMoved(s) } };
}

/** A subject's history, in the order its events apply. */
export async function statusHistory(
  partnerId: string,
  subject: StatusSubject,
): Promise<{ ok: true; record: TrackedRecord; history: StatusEvent[] } | { ok: false; problem: string }> {
  const record = await store.trackedRecord(partnerId, subject);
  if (!record) return { ok: false, problem: `Partner ${partnerId}'s plan has no ${subject.kind} "${subject.id}".` };
  return { ok: true, record, history: inOrder(await store.statusEvents(partnerId, subject)) };
}
