/**
 * Reminder schedules of stored plan items, and the due-index keys that follow from them. Used
 * by the upload (to set the first due day) and the scheduled runs (to move items on); it needs
 * no planner, so the scheduled functions stay small.
 */
import type { PartnerSettings } from '../../domain/partner-settings.js';
import { type Day, dayToIso, isoToDay } from '../../domain/dates.js';
import { type InvitationSchedule, type SubscriptionSchedule, firstDayFrom, invitationReminderDays, subscriptionReminders } from '../../domain/reminders.js';
import type { Item } from './table-client.js';
import { type StoredCustomer, type StoredSubscription, isCustomerItem, readCustomer, readSubscription } from './item-codec.js';
import { keys } from './table-design.js';

/** The reminder schedule of a stored subscription. */
export function subscriptionSchedule(s: StoredSubscription): SubscriptionSchedule {
  const moveOn = s.moveOn === undefined ? NaN : isoToDay(s.moveOn);
  return {
    endDay: isoToDay(s.endDate),
    moveOn: Number.isNaN(moveOn) ? undefined : moveOn,
    provisioned: s.provisioned,
    active: s.risk !== 'ineligible' && !s.missing,
  };
}

export function invitationSchedule(c: StoredCustomer): InvitationSchedule {
  const inviteBy = c.inviteBy === undefined ? NaN : isoToDay(c.inviteBy);
  return {
    inviteBy: Number.isNaN(inviteBy) ? undefined : inviteBy,
    accepted: c.invitationStatus === 'accepted',
    until: isoToDay(c.lastEndDate),
  };
}

export function dueKeys(partnerId: string, sk: string, day: Day | undefined): { gsi1pk?: string; gsi1sk?: string } {
  if (day === undefined) return {};
  return { gsi1pk: keys.dueShard(partnerId), gsi1sk: keys.dueKey(dayToIso(day), partnerId, sk) };
}

/** The first day on or after `from` a subscription with this schedule has a reminder. */
export function nextSubscriptionReminder(schedule: SubscriptionSchedule, settings: PartnerSettings, from: Day): Day | undefined {
  return firstDayFrom(subscriptionReminders(schedule, settings.expiry_reminder_days).map((r) => r.day), from);
}

/** The first day on or after `from` a customer with this schedule has an invitation reminder. */
export function nextInvitationReminder(schedule: InvitationSchedule, settings: PartnerSettings, from: Day): Day | undefined {
  return firstDayFrom(invitationReminderDays(schedule, settings.invitation_reminder_every_days), from);
}

/** The next reminder day of a stored item on or after `from`. */
export function nextReminderDay(item: Item, settings: PartnerSettings, from: Day): Day | undefined {
  if (isCustomerItem(item)) return nextInvitationReminder(invitationSchedule(readCustomer(item)), settings, from);
  return nextSubscriptionReminder(subscriptionSchedule(readSubscription(item)), settings, from);
}
