/**
 * When reminders fall due: pure functions of a stored plan item and the partner's settings.
 *
 * - Expiry: `expiry_reminder_days` before the end date (default 60, 30, 14, 7, 1).
 * - Move: on the move day, until the subscription is provisioned.
 * - Invitation: from invite_by − 7 days, every `invitation_reminder_every_days`, until the
 *   customer accepts (overdue after invite_by); the last one on the customer's last end date.
 *
 * Each reminder has one scheduled day, so a daily digest that covers every scheduled day once
 * sends each reminder once.
 */
import type { Day } from './dates.js';

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
}

/** The days invitation reminders fall on (empty once accepted). */
export function invitationReminderDays(s: InvitationSchedule, everyDays: number): Day[] {
  if (s.accepted || s.inviteBy === undefined) return [];
  const days: Day[] = [];
  for (let day = s.inviteBy - INVITATION_LEAD_DAYS; day <= Math.max(s.until, s.inviteBy); day += everyDays) days.push(day);
  return days;
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
