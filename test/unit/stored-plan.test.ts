/** The stored plan items: what an upload packs is what the scheduled runs read back. */
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { nextReminderDay, type TrackedCustomer, type TrackedSubscription } from '../../shared/domain/tracked-plan.js';
import {
  isCustomerItem,
  isSubscriptionItem,
  packCustomer,
  packSubscription,
  partnerOf,
  readCustomer,
  readSubscription,
  readTracked,
} from '../../shared/storage/dynamodb/item-codec.js';
import type { Item } from '../../shared/storage/dynamodb/table-client.js';
import { CUSTOMER_PLAN, keys, PLAN_ATTRIBUTE, SUBSCRIPTION_PLAN } from '../../shared/storage/dynamodb/table-design.js';

const subscription: TrackedSubscription = {
  subscriptionId: 'a1b2c3d4-0000-4000-8000-000000000001',
  customerName: 'Fabrikam, Inc. "the [best]" \u00e9',
  offer: 'Office 365 E3',
  targetOffer: 'Microsoft 365 E3',
  seats: 250,
  endDate: '2027-03-31',
  moveOn: '2027-03-24',
  risk: 'at_risk',
  autoRenew: true,
  provisioned: false,
  state: 'planned',
  invitationAccepted: false,
  missing: false,
};

const customer: TrackedCustomer = {
  customerId: 'c0ffee00-0000-4000-8000-000000000002',
  customerName: '=HYPERLINK("x")',
  contactEmail: 'admin@fabrikam.example',
  invitationStatus: 'sent',
  inviteBy: '2027-03-03',
  firstMove: '2027-03-24',
  lastEndDate: '2027-06-30',
  subscriptions: 3,
};

function subscriptionItem(s: TrackedSubscription, extra: Record<string, unknown> = {}): Item {
  return {
    pk: keys.partner('p-1'),
    sk: keys.subscription(s.subscriptionId),
    uploadId: 'u-1',
    [PLAN_ATTRIBUTE]: packSubscription(s),
    ...extra,
  };
}

function customerItem(c: TrackedCustomer): Item {
  return { pk: keys.partner('p-1'), sk: keys.customer(c.customerId), uploadId: 'u-1', [PLAN_ATTRIBUTE]: packCustomer(c) };
}

describe('stored plan items', () => {
  it('read back what was packed, ids from the sort key and the partner from the partition key', () => {
    const sub = subscriptionItem(subscription);
    expect(readSubscription(sub)).toEqual(subscription);
    expect(isSubscriptionItem(sub) && !isCustomerItem(sub)).toBe(true);
    expect(partnerOf(sub)).toBe('p-1');
    const cust = customerItem(customer);
    expect(readCustomer(cust)).toEqual(customer);
    expect(isCustomerItem(cust) && !isSubscriptionItem(cust)).toBe(true);
  });

  it('read an item written before invitation_accepted was stored as accepted, as it was planned then', () => {
    const packed = JSON.parse(packSubscription(subscription)) as unknown[];
    const older = {
      ...subscriptionItem(subscription),
      [PLAN_ATTRIBUTE]: JSON.stringify(packed.slice(0, SUBSCRIPTION_PLAN.indexOf('invitation_accepted'))),
    };
    expect(readSubscription(older).invitationAccepted).toBe(true);
    expect(readSubscription(subscriptionItem(subscription)).invitationAccepted).toBe(false);
  });

  it('pack one array in the declared field order, absent values as null', () => {
    const plain = { ...subscription, targetOffer: subscription.offer, moveOn: undefined, risk: 'ineligible' as const, autoRenew: false };
    const packed = JSON.parse(packSubscription(plain)) as unknown[];
    expect(packed).toHaveLength(SUBSCRIPTION_PLAN.length);
    expect(packed[SUBSCRIPTION_PLAN.indexOf('target_offer')]).toBeNull();
    expect(packed[SUBSCRIPTION_PLAN.indexOf('move_on')]).toBeNull();
    expect(readSubscription(subscriptionItem(plain))).toEqual({ ...plain, moveOn: undefined });
    const bare = { ...customer, contactEmail: undefined, inviteBy: undefined, firstMove: undefined, invitationStatus: 'accepted' as const };
    expect(JSON.parse(packCustomer(bare))).toHaveLength(CUSTOMER_PLAN.length);
    expect(readCustomer(customerItem(bare))).toEqual(bare);
  });

  it('flag missing from its own attribute, which the missing-subscription pass sets', () => {
    expect(readSubscription(subscriptionItem(subscription, { missing: true, missingSince: '2026-12-02T06:00:00.000Z' })).missing).toBe(
      true,
    );
  });

  it('written before the plan was packed (one attribute per plan.csv column) read the same', () => {
    const legacySub: Item = {
      pk: 'P#p-1',
      sk: keys.subscription(subscription.subscriptionId),
      type: 'subscription',
      partnerId: 'p-1',
      uploadId: 'u-0',
      updatedAt: '2026-11-01T06:00:00.000Z',
      missing: false,
      row: 7,
      customer_id: 'c-1',
      customer_name: subscription.customerName,
      country: 'US',
      subscription_id: subscription.subscriptionId,
      offer: subscription.offer,
      target_offer: subscription.targetOffer,
      seats: 250,
      end_date: '2027-03-31',
      auto_renew: 'yes',
      invite_by: '2027-03-03',
      move_on: '2027-03-24',
      days_to_expiry: 120,
      license_reassignment: 'yes',
      risk: 'at_risk',
      action: 'Provision …',
      invitation_status: 'sent',
      status: 'Active',
    };
    expect(readSubscription(legacySub)).toEqual({ ...subscription, customerId: 'c-1' });
    expect(readSubscription({ ...legacySub, status: 'Provisioned', auto_renew: 'no' })).toMatchObject({
      provisioned: true,
      autoRenew: false,
    });
    const legacyCustomer: Item = {
      pk: 'P#p-1',
      sk: keys.customer(customer.customerId),
      type: 'customer',
      partnerId: 'p-1',
      uploadId: 'u-0',
      customer_id: customer.customerId,
      customer_name: customer.customerName,
      contact_email: customer.contactEmail,
      country: 'US',
      invitation_status: 'sent',
      invite_by: '2027-03-03',
      first_move: '2027-03-24',
      last_end_date: '2027-06-30',
      subscriptions: 3,
    };
    expect(readCustomer(legacyCustomer)).toEqual(customer);
    // Their reminders follow as before.
    const settings = parseSettings({});
    expect(nextReminderDay(readTracked(legacySub), settings, isoToDay('2027-01-01'))).toBe(
      nextReminderDay(readTracked(subscriptionItem(subscription)), settings, isoToDay('2027-01-01')),
    );
    expect(nextReminderDay(readTracked(legacyCustomer), settings, isoToDay('2027-01-01'))).toBe(
      nextReminderDay(readTracked(customerItem(customer)), settings, isoToDay('2027-01-01')),
    );
  });

  it('schedule reminders from the packed fields: expiry days before the end, the move day, none once missing', () => {
    const settings = parseSettings({ expiry_reminder_days: [30] });
    const item = subscriptionItem(subscription);
    expect(nextReminderDay(readTracked(item), settings, isoToDay('2027-01-01'))).toBe(isoToDay('2027-03-01'));
    expect(nextReminderDay(readTracked(item), settings, isoToDay('2027-03-02'))).toBe(isoToDay('2027-03-24'));
    expect(
      nextReminderDay(readTracked(subscriptionItem({ ...subscription, provisioned: true })), settings, isoToDay('2027-03-02')),
    ).toBeUndefined();
    expect(
      nextReminderDay(readTracked(subscriptionItem(subscription, { missing: true })), settings, isoToDay('2027-01-01')),
    ).toBeUndefined();
  });
});
