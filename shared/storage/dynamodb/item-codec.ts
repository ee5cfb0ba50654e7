/**
 * The tracked plan's items: the encoding the upload writes (the packed `plan` attribute, field
 * order in table-design.ts) and the records the scheduled runs read back from it.
 */

import { INVITATION_STATUSES, type InvitationStatus, parseLifecycle } from '../../domain/lifecycle.js';
import { RISKS, type Risk } from '../../domain/risk.js';
import { SUBSCRIPTION_STATES, type SubscriptionState } from '../../domain/status-events.js';
import type { TrackedCustomer, TrackedRecord, TrackedSubscription } from '../../domain/tracked-plan.js';
import type { Item } from './table-client.js';
import {
  CUSTOMER_PLAN,
  keys,
  OWED_ATTRIBUTE,
  PLAN_ATTRIBUTE,
  partnerOfKey,
  REMINDED_ATTRIBUTE,
  SUBSCRIPTION_PLAN,
} from './table-design.js';

type Packed = (string | number | boolean | null)[];

const SUBSCRIPTION_PREFIX = keys.subscription('');
const CUSTOMER_PREFIX = keys.customer('');

export function isCustomerItem(item: Item): boolean {
  return item.sk.startsWith(CUSTOMER_PREFIX);
}

export function isSubscriptionItem(item: Item): boolean {
  return item.sk.startsWith(SUBSCRIPTION_PREFIX);
}

export function partnerOf(item: Item): string {
  return partnerOfKey(item.pk);
}

/** The `plan` attribute of a subscription item. */
export function packSubscription(s: Omit<TrackedSubscription, 'subscriptionId' | 'missing'>): string {
  const fields: Record<(typeof SUBSCRIPTION_PLAN)[number], string | number | boolean | null> = {
    customer_name: s.customerName,
    offer: s.offer,
    target_offer: s.targetOffer === s.offer ? null : s.targetOffer,
    seats: s.seats,
    end_date: s.endDate,
    move_on: s.moveOn ?? null,
    risk: s.risk,
    auto_renew: s.autoRenew,
    provisioned: s.provisioned,
    invitation_accepted: s.invitationAccepted,
    state: s.state,
    customer_id: s.customerId ?? null,
  };
  return JSON.stringify(SUBSCRIPTION_PLAN.map((f) => fields[f]));
}

/** The `plan` attribute of a customer item. */
export function packCustomer(c: Omit<TrackedCustomer, 'customerId'>): string {
  const fields: Record<(typeof CUSTOMER_PLAN)[number], string | number | null> = {
    customer_name: c.customerName,
    contact_email: c.contactEmail ?? null,
    invitation_status: c.invitationStatus,
    invite_by: c.inviteBy ?? null,
    first_move: c.firstMove ?? null,
    last_end_date: c.lastEndDate,
    subscriptions: c.subscriptions,
    first_end_date: c.firstEndDate ?? null,
    first_access_end: c.firstAccessEnd ?? null,
  };
  return JSON.stringify(CUSTOMER_PLAN.map((f) => fields[f]));
}

/** The tracked record an item of the plan holds. */
export function readTracked(item: Item): TrackedRecord {
  return isCustomerItem(item)
    ? { kind: 'customer', customer: readCustomer(item) }
    : { kind: 'subscription', subscription: readSubscription(item) };
}

export function readSubscription(item: Item): TrackedSubscription {
  const f = fieldsOf(item, SUBSCRIPTION_PLAN);
  const offer = text(f.offer) ?? '';
  // Items written before the plan was packed kept the plan.csv `status` text.
  const provisioned = f.provisioned === true || (typeof f.status === 'string' && parseLifecycle(f.status) === 'provisioned');
  return {
    subscriptionId: item.sk.slice(SUBSCRIPTION_PREFIX.length),
    customerId: text(f.customer_id) ?? (typeof item.customer_id === 'string' ? item.customer_id : undefined),
    customerName: text(f.customer_name) ?? '',
    offer,
    targetOffer: text(f.target_offer) ?? offer,
    seats: Number(f.seats ?? 0),
    endDate: String(f.end_date),
    moveOn: text(f.move_on),
    risk: (RISKS as readonly unknown[]).includes(f.risk) ? (f.risk as Risk) : 'ok',
    autoRenew: f.auto_renew === true || f.auto_renew === 'yes',
    provisioned,
    state: stateOf(f.state, provisioned),
    invitationAccepted: invitationAcceptedOf(f.invitation_accepted, item.invitation_status),
    missing: item.missing === true,
  };
}

/** A stored subscription state; items written before it was stored are planned or provisioned. */
function stateOf(stored: unknown, provisioned: boolean): SubscriptionState {
  if ((SUBSCRIPTION_STATES as readonly unknown[]).includes(stored)) return stored as SubscriptionState;
  return provisioned ? 'provisioned' : 'planned';
}

/**
 * Items packed before invitation_accepted was stored say nothing (read as accepted, as digests
 * then treated them); items from before packing kept the plan.csv `invitation_status`.
 */
function invitationAcceptedOf(packed: unknown, legacyStatus: unknown): boolean {
  if (typeof packed === 'boolean') return packed;
  return typeof legacyStatus === 'string' ? legacyStatus === 'accepted' : true;
}

export function readCustomer(item: Item): TrackedCustomer {
  const f = fieldsOf(item, CUSTOMER_PLAN);
  return {
    customerId: item.sk.slice(CUSTOMER_PREFIX.length),
    customerName: text(f.customer_name) ?? '',
    contactEmail: text(f.contact_email),
    invitationStatus: (INVITATION_STATUSES as readonly unknown[]).includes(f.invitation_status)
      ? (f.invitation_status as InvitationStatus)
      : 'not_sent',
    inviteBy: text(f.invite_by),
    firstMove: text(f.first_move),
    lastEndDate: String(f.last_end_date),
    subscriptions: Number(f.subscriptions ?? 0),
    firstEndDate: text(f.first_end_date),
    firstAccessEnd: text(f.first_access_end),
    ...(typeof item[REMINDED_ATTRIBUTE] === 'string' ? { remindedOn: item[REMINDED_ATTRIBUTE] } : {}),
    ...(typeof item[OWED_ATTRIBUTE] === 'string' ? { owedOn: item[OWED_ATTRIBUTE] } : {}),
  };
}

/**
 * The packed fields by name. An item stored before the plan was packed (one attribute per
 * plan.csv column) is read from those attributes, so a deployed table keeps working.
 */
function fieldsOf<F extends string>(item: Item, names: readonly F[]): Record<F | 'status', unknown> {
  const packed = item[PLAN_ATTRIBUTE];
  if (typeof packed !== 'string') return item as Record<F | 'status', unknown>;
  const values = JSON.parse(packed) as Packed;
  const out = {} as Record<F | 'status', unknown>;
  names.forEach((name, i) => {
    out[name] = values[i];
  });
  return out;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
