/**
 * Reminder schedules of stored plan items, and the due-index keys that follow from them. Used
 * by the upload (to set the first due day) and the scheduled runs (to move items on); it needs
 * no planner, so the scheduled functions stay small.
 */
import type { PartnerSettings } from '../config/settings.js';
import { type Day, dayToIso, isoToDay } from '../domain/dates.js';
import { parseLifecycle } from '../domain/lifecycle.js';
import { type SubscriptionSchedule, firstDayFrom, invitationReminderDays, subscriptionReminders } from '../domain/reminders.js';
import { keys } from './table-design.js';

/** Reads the reminder schedule of a stored subscription item. */
export function subscriptionSchedule(item: Record<string, unknown>): SubscriptionSchedule {
  const moveOn = typeof item.move_on === 'string' ? isoToDay(item.move_on) : NaN;
  return {
    endDay: isoToDay(String(item.end_date)),
    moveOn: Number.isNaN(moveOn) ? undefined : moveOn,
    provisioned: parseLifecycle(item.status as string | undefined) === 'provisioned',
    active: item.risk !== 'ineligible' && item.missing !== true,
  };
}

export function invitationSchedule(item: Record<string, unknown>) {
  const inviteBy = typeof item.invite_by === 'string' ? isoToDay(item.invite_by) : NaN;
  return {
    inviteBy: Number.isNaN(inviteBy) ? undefined : inviteBy,
    accepted: item.invitation_status === 'accepted',
    until: isoToDay(String(item.last_end_date)),
  };
}

export function dueKeys(partnerId: string, sk: string, day: Day | undefined): { gsi1pk?: string; gsi1sk?: string } {
  if (day === undefined) return {};
  return { gsi1pk: keys.dueShard(partnerId), gsi1sk: keys.dueKey(dayToIso(day), partnerId, sk) };
}

/** The next reminder day of an item on or after `from`. */
export function nextReminderDay(item: Record<string, unknown>, settings: PartnerSettings, from: Day): Day | undefined {
  if (item.type === 'customer') return firstDayFrom(invitationReminderDays(invitationSchedule(item), settings.invitation_reminder_every_days), from);
  const days = subscriptionReminders(subscriptionSchedule(item), settings.expiry_reminder_days).map((r) => r.day);
  return firstDayFrom(days, from);
}
