/**
 * The scheduled runs. Daily: everything due, from the sparse due index, becomes one digest
 * e-mail per partner. Weekly (Mondays): a digest of each partner's whole plan.
 *
 * At most once: each digest is claimed (one item per partner and day) before it is sent, and a
 * digest covers the reminders scheduled after the partner's previous digest, up to today; so
 * a reminder, which has one scheduled day, lands in exactly one digest. A refused send marks
 * the claim `failed` and the next run sends it again. A crash between SES accepting the mail
 * and the claim being marked leaves it `sending`: that digest is not sent again (no duplicate)
 * and the run's error surfaces through the function's error alarm.
 */
import type { PartnerSettings } from '../domain/partner-settings.js';
import { type Day, dayToIso, isoToDay, todayIn, weekday } from '../domain/dates.js';
import { inWindow, invitationReminderDays, subscriptionReminders } from '../domain/reminders.js';
import { RISKS, type Risk } from '../domain/risk.js';
import { logger } from '../log.js';
import { type DailyDigestModel, type WeeklyDigestModel, renderDailyDigest, renderInvitationMail, renderWeeklyDigest } from '../mail/templates.js';
import { sendMail } from '../mail/ses-sender.js';
import { dueKeys, invitationSchedule, nextReminderDay, subscriptionSchedule } from '../storage/dynamodb/item-schedule.js';
import { type StoredCustomer, type StoredSubscription, isCustomerItem, partnerOf, readCustomer, readSubscription } from '../storage/dynamodb/item-codec.js';
import {
  type Item,
  advanceDue,
  claim,
  dueOnOrBefore,
  getItem,
  getSettings,
  latestClaim,
  listPartnerIds,
  partnerItems,
  setClaimStatus,
} from '../storage/dynamodb/table-client.js';
import { keys } from '../storage/dynamodb/table-design.js';

export interface RunSummary {
  partners: number;
  sent: number;
  skipped: number;
  failed: number;
}

// --- daily ---------------------------------------------------------------------------------

export async function runDailyReminders(now: Date): Promise<RunSummary> {
  // Partners' "today" depends on their time zone: read up to the latest possible date.
  const horizon = dayToIso(isoToDay(now.toISOString().slice(0, 10)) + 1);
  const byPartner = new Map<string, Item[]>();
  for await (const item of dueOnOrBefore(horizon)) {
    const partnerId = partnerOf(item);
    const list = byPartner.get(partnerId) ?? [];
    list.push(item);
    byPartner.set(partnerId, list);
  }
  const summary: RunSummary = { partners: byPartner.size, sent: 0, skipped: 0, failed: 0 };
  const failures: unknown[] = [];
  for (const [partnerId, items] of byPartner) {
    try {
      const result = await dailyDigest(partnerId, items, now);
      summary[result]++;
    } catch (error) {
      summary.failed++;
      failures.push(error);
      logger.error('Daily digest failed; the next run retries it', { partnerId, error: error as Error });
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} daily digests failed`);
  return summary;
}

async function dailyDigest(partnerId: string, due: Item[], now: Date): Promise<'sent' | 'skipped'> {
  const settings = await getSettings(partnerId);
  if (!settings) return 'skipped';
  const today = todayIn(settings.timezone, now);
  const date = dayToIso(today);
  const items = due.filter((item) => dueDay(item) <= today);
  if (items.length === 0) return 'skipped';
  const pk = keys.partner(partnerId);
  const previous = await latestClaim(partnerId, 'DIGEST#', date);
  const after = previous ? isoToDay((previous.sk as string).slice('DIGEST#'.length)) : -Infinity;

  const claimed = await claim(pk, keys.digest(date), { partnerId, items: items.length }, now);
  if (!claimed.claimed) {
    // Today's digest is handled already (a retry, or a second run): only finish what followed
    // it — the customer invitations (claimed one by one, so none goes twice) and moving its
    // items on.
    if (claimed.existing.status === 'sending') return 'skipped';
    if (claimed.existing.status === 'sent' && settings.notify_customers && settings.reseller_link) {
      await sendInvitations(partnerId, settings, items, after, today, now);
    }
    await advanceAll(items, settings, today);
    return 'skipped';
  }

  const model = buildDailyModel(partnerId, settings, items, after, today);
  const count = model.invitations.length + model.expiries.length + model.movesToday.length;
  if (count === 0 || !settings.email) {
    if (count > 0) logger.warn('Partner has no e-mail address: daily digest not sent', { partnerId });
    await setClaimStatus(pk, keys.digest(date), 'empty');
    await advanceAll(items, settings, today);
    return 'skipped';
  }
  const messageId = await sendOrRelease(pk, keys.digest(date), () => sendMail({ to: [settings.email!], ...renderDailyDigest(model) }));
  await setClaimStatus(pk, keys.digest(date), 'sent', { messageId, reminders: count });
  if (settings.notify_customers && settings.reseller_link) await sendInvitations(partnerId, settings, items, after, today, now);
  await advanceAll(items, settings, today);
  logger.info('Daily digest sent', { partnerId, date, reminders: count });
  return 'sent';
}

function dueDay(item: Item): Day {
  return isoToDay(String(item.gsi1sk).slice(0, 10));
}

/** The window one item contributes: scheduled days after the last digest and on/after its due day. */
function windowStart(item: Item, after: Day): Day {
  return Math.max(after, dueDay(item) - 1);
}

export function buildDailyModel(partnerId: string, settings: PartnerSettings, items: Item[], after: Day, today: Day): DailyDigestModel {
  const model: DailyDigestModel = {
    partnerId,
    partnerName: settings.name,
    date: dayToIso(today),
    invitations: [],
    expiries: [],
    movesToday: [],
    resellerLink: settings.reseller_link,
  };
  for (const item of items) {
    const from = windowStart(item, after);
    if (isCustomerItem(item)) {
      const c = readCustomer(item);
      if (!invitationDue(c, settings, from, today)) continue;
      model.invitations.push({
        customerId: c.customerId,
        customerName: c.customerName,
        inviteBy: c.inviteBy ?? '',
        overdue: today > invitationSchedule(c).inviteBy!,
        subscriptions: c.subscriptions,
        firstMove: c.firstMove ?? '',
        contactEmail: c.contactEmail,
      });
      continue;
    }
    const s = readSubscription(item);
    for (const reminder of inWindow(subscriptionReminders(subscriptionSchedule(s), settings.expiry_reminder_days), from, today)) {
      const common = { customerName: s.customerName, subscriptionId: s.subscriptionId, offer: s.offer, targetOffer: s.targetOffer, seats: s.seats };
      if (reminder.kind === 'move') {
        model.movesToday.push(common);
        continue;
      }
      model.expiries.push({
        ...common,
        endDate: s.endDate,
        moveOn: s.moveOn,
        daysBefore: reminder.daysBefore,
        state: s.provisioned ? 'let_expire' : s.autoRenew ? 'turn_off_auto_renew' : 'provision',
        risk: s.risk,
      });
    }
  }
  model.invitations.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.inviteBy.localeCompare(b.inviteBy));
  model.expiries.sort((a, b) => a.endDate.localeCompare(b.endDate));
  return model;
}

/** Whether an invitation reminder of the customer falls in (from, today]. */
function invitationDue(c: StoredCustomer, settings: PartnerSettings, from: Day, today: Day): boolean {
  const days = invitationReminderDays(invitationSchedule(c), settings.invitation_reminder_every_days).map((day) => ({ day }));
  return inWindow(days, from, today).length > 0;
}

/**
 * notify_customers: one invitation e-mail per customer contact, with the first invitation
 * reminder a digest carries — the first scheduled one, or for a customer whose schedule began
 * before the upload (an urgent one), the first after it. The claim keeps it to one; a refused
 * send is tried again with the next reminder.
 */
async function sendInvitations(partnerId: string, settings: PartnerSettings, items: Item[], after: Day, today: Day, now: Date): Promise<void> {
  for (const item of items) {
    if (!isCustomerItem(item)) continue;
    const c = readCustomer(item);
    if (!c.contactEmail || !invitationDue(c, settings, windowStart(item, after), today)) continue;
    const sk = `INVITE#${c.customerId}`;
    const claimed = await claim(keys.partner(partnerId), sk, { partnerId }, now, 365);
    if (!claimed.claimed) continue;
    await sendOrRelease(keys.partner(partnerId), sk, () =>
      sendMail({
        to: [c.contactEmail!],
        ...renderInvitationMail({
          partnerName: settings.name ?? partnerId,
          customerName: c.customerName,
          resellerLink: settings.reseller_link!,
          inviteBy: c.inviteBy ?? '',
          firstMove: c.firstMove ?? '',
        }),
      }),
    );
    await setClaimStatus(keys.partner(partnerId), sk, 'sent');
  }
}

/**
 * Sends the e-mail of a claim. Only a send SES refused marks the claim `failed` (the next run
 * takes it again); once SES has accepted the message, a failure to record that leaves the claim
 * `sending`, which counts as sent: marking it `failed` then would send the e-mail twice.
 */
async function sendOrRelease(pk: string, sk: string, send: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await send();
  } catch (error) {
    await setClaimStatus(pk, sk, 'failed', { error: String(error) });
    throw error;
  }
}

async function advanceAll(items: Item[], settings: PartnerSettings, today: Day): Promise<void> {
  for (const item of items) {
    const next = nextReminderDay(item, settings, today + 1);
    const { gsi1pk, gsi1sk } = dueKeys(partnerOf(item), item.sk, next);
    await advanceDue(item, gsi1pk && gsi1sk ? { shard: gsi1pk, key: gsi1sk } : undefined);
  }
}

// --- weekly --------------------------------------------------------------------------------

const MONDAY = 1;

export async function runWeeklyDigest(now: Date): Promise<RunSummary> {
  const summary: RunSummary = { partners: 0, sent: 0, skipped: 0, failed: 0 };
  const failures: unknown[] = [];
  for await (const partnerId of listPartnerIds()) {
    summary.partners++;
    try {
      summary[await weeklyDigest(partnerId, now)]++;
    } catch (error) {
      summary.failed++;
      failures.push(error);
      logger.error('Weekly digest failed', { partnerId, error: error as Error });
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} weekly digests failed`);
  return summary;
}

async function weeklyDigest(partnerId: string, now: Date): Promise<'sent' | 'skipped'> {
  const settings = await getSettings(partnerId);
  if (!settings?.email) return 'skipped';
  const today = todayIn(settings.timezone, now);
  if (weekday(today) !== MONDAY) return 'skipped';
  const pk = keys.partner(partnerId);
  const sk = keys.weekly(dayToIso(today));
  // A retry finds this week's digest handled by one key read, not by reading the whole plan
  // (the conditional claim below still decides, should two runs race).
  const existing = await getItem(pk, sk);
  if (existing && existing.status !== 'failed') return 'skipped';
  const subscriptions: StoredSubscription[] = [];
  const customers: StoredCustomer[] = [];
  for await (const item of partnerItems(partnerId, keys.subscription(''))) subscriptions.push(readSubscription(item));
  for await (const item of partnerItems(partnerId, keys.customer(''))) customers.push(readCustomer(item));
  if (subscriptions.length === 0) return 'skipped';
  const claimed = await claim(pk, sk, { partnerId }, now);
  if (!claimed.claimed) return 'skipped';
  const email = settings.email;
  const messageId = await sendOrRelease(pk, sk, () => sendMail({ to: [email], ...renderWeeklyDigest(buildWeeklyModel(partnerId, settings, subscriptions, customers, today)) }));
  await setClaimStatus(pk, sk, 'sent', { messageId });
  return 'sent';
}

export function buildWeeklyModel(partnerId: string, settings: PartnerSettings, subscriptions: StoredSubscription[], customers: StoredCustomer[], today: Day): WeeklyDigestModel {
  const countsByStatus: Record<string, number> = {};
  const countsByRisk = Object.fromEntries(RISKS.map((r) => [r, 0])) as Record<Risk, number>;
  const weeks = new Map<string, { moves: number; atRisk: number }>();
  const movesNext14Days: WeeklyDigestModel['movesNext14Days'] = [];
  for (const s of subscriptions) {
    const state = moveStatus(s, today);
    countsByStatus[state] = (countsByStatus[state] ?? 0) + 1;
    if (s.missing) continue;
    const risk = s.risk;
    countsByRisk[risk]++;
    if (s.moveOn === undefined) continue;
    const move = isoToDay(s.moveOn);
    if (move >= today) {
      const week = dayToIso(move - ((weekday(move) + 6) % 7));
      const w = weeks.get(week) ?? { moves: 0, atRisk: 0 };
      w.moves++;
      if (risk !== 'ok') w.atRisk++;
      weeks.set(week, w);
    }
    if (move >= today && move < today + 14) {
      movesNext14Days.push({ date: s.moveOn, customerName: s.customerName, subscriptionId: s.subscriptionId, offer: s.targetOffer, seats: s.seats });
    }
  }
  movesNext14Days.sort((a, b) => a.date.localeCompare(b.date));
  const overdueInvitations = customers
    .filter((c) => c.invitationStatus !== 'accepted' && c.inviteBy !== undefined && isoToDay(c.inviteBy) < today)
    .map((c) => ({ customerId: c.customerId, customerName: c.customerName, inviteBy: c.inviteBy! }))
    .sort((a, b) => a.inviteBy.localeCompare(b.inviteBy));
  return {
    partnerId,
    partnerName: settings.name,
    weekOf: dayToIso(today),
    countsByStatus,
    countsByRisk,
    movesNext14Days,
    overdueInvitations,
    movesPerWeek: [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([weekStart, w]) => ({ weekStart, ...w })),
    dailyCapacity: settings.daily_capacity,
  };
}

/** How far a subscription's move has got, for the weekly digest. */
function moveStatus(s: StoredSubscription, today: Day): 'missing' | 'ineligible' | 'provisioned' | 'move overdue' | 'planned' {
  if (s.missing) return 'missing';
  if (s.risk === 'ineligible') return 'ineligible';
  if (s.provisioned) return 'provisioned';
  if (s.moveOn !== undefined && isoToDay(s.moveOn) < today) return 'move overdue';
  return 'planned';
}
