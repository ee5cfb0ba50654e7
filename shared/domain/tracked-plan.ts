/**
 * The plan as it is tracked after an upload: one record per planned subscription and per
 * customer, holding what the reminders and digests need. The upload stores them; the daily and
 * weekly runs read them back. No planner here, so the scheduled functions stay small.
 */
import { type Day, isoToDay } from './dates.js';
import type { InvitationStatus } from './lifecycle.js';
import type { PartnerSettings } from './partner-settings.js';
import { firstDayFrom, type InvitationSchedule, nextInvitationDay, type SubscriptionSchedule, subscriptionReminders } from './reminders.js';
import type { Risk } from './risk.js';
import type { SubscriptionState } from './status-events.js';

export interface TrackedSubscription {
  subscriptionId: string;
  /** Undefined for items stored before it was kept. */
  customerId?: string | undefined;
  customerName: string;
  offer: string;
  /** The offer to provision in CSP; equals `offer` when it stays the same. */
  targetOffer: string;
  seats: number;
  /** ISO dates. */
  endDate: string;
  moveOn?: string | undefined;
  risk: Risk;
  autoRenew: boolean;
  /** Provisioned in CSP (or done): it is not moved again. */
  provisioned: boolean;
  /** Where its move stands; `excluded` takes it out of the reminders. */
  state: SubscriptionState;
  /** Whether its customer had accepted the reseller relationship when it was planned: only then can it be provisioned. */
  invitationAccepted: boolean;
  /** A newer full upload no longer lists it: kept, without reminders. */
  missing: boolean;
}

export interface TrackedCustomer {
  customerId: string;
  customerName: string;
  contactEmail?: string | undefined;
  invitationStatus: InvitationStatus;
  /** ISO dates. */
  inviteBy?: string | undefined;
  firstMove?: string | undefined;
  lastEndDate: string;
  /** The earliest end date of its moving subscriptions, and the earliest day one loses access (its grace end); ISO. */
  firstEndDate?: string | undefined;
  firstAccessEnd?: string | undefined;
  /** Planned subscriptions of the customer in the upload. */
  subscriptions: number;
  /** ISO date the last invitation reminder went out (a digest carried it); absent before the first. */
  remindedOn?: string | undefined;
  /** ISO date a digest SES refused would have recorded as `remindedOn`; absent otherwise. */
  owedOn?: string | undefined;
}

/** A tracked subscription or customer: what one reminder is about. */
export type TrackedRecord = { kind: 'subscription'; subscription: TrackedSubscription } | { kind: 'customer'; customer: TrackedCustomer };

/** The reminder schedule of a tracked subscription. */
export function subscriptionSchedule(s: TrackedSubscription): SubscriptionSchedule {
  const moveOn = s.moveOn === undefined ? NaN : isoToDay(s.moveOn);
  return {
    endDay: isoToDay(s.endDate),
    moveOn: Number.isNaN(moveOn) ? undefined : moveOn,
    provisioned: s.provisioned,
    active: s.risk !== 'ineligible' && !s.missing && s.state !== 'excluded',
  };
}

/** Where a customer's subscriptions stand on a day: all still running, one expired in its grace, or one past it. */
export type CustomerAccess = 'upcoming' | 'expired_grace' | 'lapsed';

export function customerAccess(c: TrackedCustomer, today: Day): CustomerAccess {
  if (c.firstEndDate === undefined || today <= isoToDay(c.firstEndDate)) return 'upcoming';
  return c.firstAccessEnd !== undefined && today <= isoToDay(c.firstAccessEnd) ? 'expired_grace' : 'lapsed';
}

/** The invitation reminder schedule of a tracked customer. */
export function invitationSchedule(c: TrackedCustomer): InvitationSchedule {
  const inviteBy = c.inviteBy === undefined ? NaN : isoToDay(c.inviteBy);
  return {
    inviteBy: Number.isNaN(inviteBy) ? undefined : inviteBy,
    accepted: c.invitationStatus === 'accepted',
    until: isoToDay(c.lastEndDate),
    remindedOn: c.remindedOn === undefined ? undefined : isoToDay(c.remindedOn),
  };
}

type ReminderSettings = Pick<PartnerSettings, 'expiry_reminder_days' | 'invitation_reminder_every_days'>;

/** The first day on or after `from` a subscription with this schedule has a reminder. */
export function nextSubscriptionReminder(schedule: SubscriptionSchedule, settings: ReminderSettings, from: Day): Day | undefined {
  return firstDayFrom(
    subscriptionReminders(schedule, settings.expiry_reminder_days).map((r) => r.day),
    from,
  );
}

/**
 * The first day on or after `from` a customer in this state is due an invitation reminder. Its
 * due-index day: never later than the day it is due (earlier is harmless: the digest finds it not
 * due and moves it on).
 */
export function nextInvitationReminder(schedule: InvitationSchedule, settings: ReminderSettings, from: Day): Day | undefined {
  return nextInvitationDay(schedule, settings.invitation_reminder_every_days, from);
}

/** The next reminder day of a tracked record on or after `from`. */
export function nextReminderDay(record: TrackedRecord, settings: ReminderSettings, from: Day): Day | undefined {
  if (record.kind === 'customer') return nextInvitationReminder(invitationSchedule(record.customer), settings, from);
  return nextSubscriptionReminder(subscriptionSchedule(record.subscription), settings, from);
}
