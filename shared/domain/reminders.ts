/**
 * When reminders fall due: pure functions of a stored plan item and the partner's settings.
 *
 * - Expiry: `expiry_reminder_days` before the end date (default 60, 30, 14, 7, 1).
 * - Move: on the move day, until the subscription is provisioned.
 * - Invitation: by the customer's state, not by fixed days: due from invite_by − 7 days, every
 *   `invitation_reminder_every_days` since the last one sent (`remindedOn`), until the customer
 *   accepts (overdue after invite_by), at the latest on max(last end date, invite_by). A re-plan
 *   that moves invite_by by a day moves the first reminder at most, never skips or repeats one.
 *
 * Each subscription reminder has one scheduled day, so a daily digest that covers every
 * scheduled day once sends each reminder once; an invitation reminder is due until a digest
 * records it sent.
 */

import { calendarFor } from './calendar.js';
import type { Day } from './dates.js';
import type { PartnerSettings } from './partner-settings.js';

export const INVITATION_LEAD_DAYS = 7;

export interface SubscriptionSchedule {
  endDay: Day;
  moveOn?: Day | undefined;
  provisioned: boolean;
  /** False for ineligible or missing subscriptions: no reminders at all. */
  active: boolean;
}

export interface ExpiryReminder {
  kind: 'expiry';
  day: Day;
  daysBefore: number;
}

export interface MoveReminder {
  kind: 'move';
  day: Day;
}

export type SubscriptionReminder = ExpiryReminder | MoveReminder;

/** Every reminder of a subscription, by day. */
export function subscriptionReminders(s: SubscriptionSchedule, cadence: readonly number[]): SubscriptionReminder[] {
  if (!s.active) return [];
  const reminders: SubscriptionReminder[] = [...new Set(cadence)].map((daysBefore) => ({
    kind: 'expiry',
    day: s.endDay - daysBefore,
    daysBefore,
  }));
  if (!s.provisioned && s.moveOn !== undefined) reminders.push({ kind: 'move', day: s.moveOn });
  return reminders.sort((a, b) => a.day - b.day);
}

export interface InvitationSchedule {
  inviteBy?: Day | undefined;
  accepted: boolean;
  /** The last day reminding still makes sense (the customer's last end date). */
  until: Day;
  /** The day the last invitation reminder was sent; undefined before the first. */
  remindedOn?: Day | undefined;
}

/**
 * Whether an invitation reminder is due on `today`: not accepted, with a deadline, from
 * invite_by − 7 to max(until, invite_by), and never reminded or reminded `everyDays` ago or more.
 */
export function invitationDueOn(s: InvitationSchedule, everyDays: number, today: Day): boolean {
  return nextInvitationDay(s, everyDays, today) === today;
}

/** The first day on or after `from` an invitation reminder is due, given the state as it is; undefined when none is left. */
export function nextInvitationDay(s: InvitationSchedule, everyDays: number, from: Day): Day | undefined {
  if (s.accepted || s.inviteBy === undefined) return undefined;
  let day = Math.max(from, s.inviteBy - INVITATION_LEAD_DAYS);
  if (s.remindedOn !== undefined) day = Math.max(day, s.remindedOn + Math.max(1, everyDays));
  return day <= Math.max(s.until, s.inviteBy) ? day : undefined;
}

/**
 * The day an invitation reminder a digest carries on `today` is recorded as sent on (its
 * `remindedOn`): today, or, when a digest SES refused within the days this one covers (from
 * `windowFrom`) would have carried it, the day that digest would have recorded (`owed`) — so the
 * customer keeps the rhythm of a run without the fault. Never more than `everyDays` − 1 days
 * back, so the next one is never due before tomorrow.
 *
 * Not the first day it is due by today's state: a re-plan since the refused digest may have moved
 * invite_by earlier, making it due on a day that digest rightly left it out; counted from there,
 * the next reminder would come a day early (and one past its last day could be added).
 */
export function remindedDay(everyDays: number, windowFrom: Day, today: Day, owed?: Day): Day {
  if (owed === undefined || owed < windowFrom || owed > today) return today;
  return Math.max(owed, today - Math.max(1, everyDays) + 1);
}

/** The first scheduled day on or after `from`, or undefined when none is left. */
export function firstDayFrom(days: readonly Day[], from: Day): Day | undefined {
  let best: Day | undefined;
  for (const day of days) if (day >= from && (best === undefined || day < best)) best = day;
  return best;
}

/** Reminders scheduled in (after, upTo]: what one digest covers. */
export function inWindow<T extends { day: Day }>(reminders: readonly T[], after: Day, upTo: Day): T[] {
  return reminders.filter((r) => r.day > after && r.day <= upTo);
}

/** Whether a daily digest may go out on this day of the partner's: a business day in its country, or any day if it asked. */
export function isDigestDay(settings: Pick<PartnerSettings, 'daily_digest_days' | 'country'>, day: Day): boolean {
  return settings.daily_digest_days === 'every_day' || calendarFor(settings.country).isBusinessDay(day);
}

/** The first day on or after `from` a daily digest may go out. */
export function nextDigestDay(settings: Pick<PartnerSettings, 'daily_digest_days' | 'country'>, from: Day): Day {
  let day = from;
  while (!isDigestDay(settings, day)) day++;
  return day;
}
