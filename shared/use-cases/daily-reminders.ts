/**
 * The daily run: every reminder due, read from the sparse due index, becomes one digest e-mail per
 * partner (and, with notify_customers, an invitation e-mail to each customer contact due one).
 *
 * At most once: each digest is claimed (one per partner and day) before it is sent, and a digest
 * covers the subscription reminders scheduled after the partner's previous digest, up to today;
 * so a subscription reminder, which has one scheduled day, lands in exactly one digest. An
 * invitation reminder goes by the customer's state (domain/reminders.ts): a digest carries each
 * customer due one today and records it reminded (`remindedOn`) before it is sent, so a re-plan
 * that moves its deadline neither skips nor repeats it, and a crash after the send repeats none.
 * A refused send marks the claim `failed` (and gives the customers' record back, keeping the day
 * it would have recorded for the next digest to record) and the next run sends it again. A crash
 * between SES accepting the mail and the claim being marked leaves it `sending`: that digest is
 * not sent again (no duplicate) and the run's error surfaces through the function's error alarm.
 */
import { type Day, dayToIso, isoToDay, todayIn } from '../domain/dates.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import { invitationDueOn, inWindow, isDigestDay, remindedDay, subscriptionReminders } from '../domain/reminders.js';
import { customerAccess, invitationSchedule, nextReminderDay, subscriptionSchedule, type TrackedCustomer } from '../domain/tracked-plan.js';
import { actionLinkMaker } from '../email-actions/action-links.js';
import { consolePages } from '../email-actions/console-pages.js';
import { logger } from '../log.js';
import { sendMail } from '../mail/ses-sender.js';
import { type DailyDigestModel, renderDailyDigest, renderInvitationMail } from '../mail/templates.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import type { DueReminder, OnceMail } from '../storage/plan-store.js';
import { replanPartner } from './replan.js';
import { forEachPartner, type RunSummary, sendClaimed } from './scheduled-run.js';

export type { RunSummary } from './scheduled-run.js';

/** Every partner's daily digest, one partner at a time: one partner's failure never stops the others. */
export async function runDailyReminders(now: Date): Promise<RunSummary> {
  return forEachPartner(store.partnerIds(), (partnerId) => dailyDigest(partnerId, now), 'Daily digest');
}

/** One partner's daily digest: what its due index holds up to its today. */
export async function dailyDigest(partnerId: string, now: Date): Promise<'sent' | 'skipped'> {
  // 1. The partner's today (its time zone's).
  const settings = await store.partnerSettings(partnerId);
  if (!settings) return 'skipped';
  const today = todayIn(settings.timezone, now);
  const date = dayToIso(today);

  // 2. The plan as of today first, so the reminders follow what was recorded since yesterday.
  //    A plan that cannot be planned again keeps yesterday's: its reminders still go out.
  try {
    const replan = await replanPartner(partnerId, now, settings);
    if (replan.written > 0) logger.info('Plan brought up to date', { partnerId, date, ...replan });
  } catch (error) {
    logger.error('Re-plan failed: the reminders follow the stored plan', { partnerId, error: error as Error });
  }

  // 3. Not on the partner's days off (unless it asked for every day): the next business day's
  //    digest covers what fell due since the last one.
  if (!isDigestDay(settings, today)) return 'skipped';

  // 4. What is due by today.
  const reminders: DueReminder[] = [];
  for await (const reminder of store.remindersDue(partnerId, date)) reminders.push(reminder);
  if (reminders.length === 0) return 'skipped';

  // 5. Where the last digest stopped: this one covers what was scheduled after it.
  const previous = await store.lastDailyDigest(partnerId, date);
  const after = previous ? isoToDay(previous) : -Infinity;

  // 6. Claim today's digest. Handled already (a retry, or a second run): only finish what
  //    followed it — the invitations (claimed one by one, so none goes twice) and moving on.
  const digest: OnceMail = { kind: 'daily-digest', date };
  const claim = await store.claimMail(partnerId, digest, now, { items: reminders.length });
  if (!claim.claimed) {
    if (claim.status === 'sending') return 'skipped';
    if (claim.status === 'sent') await sendInvitations(partnerId, settings, reminders, after, today, now);
    await moveOn(reminders, settings, today);
    return 'skipped';
  }

  // 7. The customers it reminds are recorded reminded before it goes (a crash after the send
  //    sends none of them again); a refused send gives that back, so the retry carries them.
  const reminded = await markReminded(reminders, settings, after, today);

  // 8. Compose it, with the acceptances recorded since the plan was stored; with nothing to say,
  //    or nowhere to send it, it is recorded empty.
  const model = buildDailyModel(partnerId, settings, await withAcceptances(partnerId, reminders), after, today);
  await addActionLinks(model, reminders, now);
  addConsolePages(model);
  const count = model.invitations.length + model.expiries.length + model.movesToday.length + model.blockedMoves.length;
  const email = settings.email;
  if (count === 0 || !email) {
    if (count > 0) logger.warn('Partner has no e-mail address: daily digest not sent', { partnerId });
    await store.recordMail(partnerId, digest, 'empty');
    await moveOn(reminded.reminders, settings, today);
    return 'skipped';
  }

  // 9. Send it, then the customers' invitations, then move each reminder on to its next day.
  let messageId: string | undefined;
  try {
    messageId = await sendClaimed(partnerId, digest, () => sendMail({ to: [email], ...renderDailyDigest(model) }));
  } catch (error) {
    await reminded.giveBack();
    throw error;
  }
  await store.recordMail(partnerId, digest, 'sent', { messageId, reminders: count });
  await sendInvitations(partnerId, settings, reminders, after, today, now);
  await moveOn(reminded.reminders, settings, today);
  logger.info('Daily digest sent', { partnerId, date, reminders: count });
  return 'sent';
}

/**
 * The subscription reminders, each knowing whether its customer has accepted by now: the stored
 * subscription says what was true when it was planned, the customer's record what is true today.
 */
async function withAcceptances(partnerId: string, reminders: DueReminder[]): Promise<DueReminder[]> {
  const waiting = new Set<string>();
  for (const r of reminders) {
    if (r.kind === 'subscription' && !r.subscription.invitationAccepted && r.subscription.customerId)
      waiting.add(r.subscription.customerId);
  }
  const accepted = new Set<string>();
  for (const id of waiting) {
    const record = await store.trackedRecord(partnerId, { kind: 'customer', id });
    if (record?.kind === 'customer' && record.customer.invitationStatus === 'accepted') accepted.add(id);
  }
  if (accepted.size === 0) return reminders;
  return reminders.map((r) =>
    r.kind === 'subscription' && r.subscription.customerId !== undefined && accepted.has(r.subscription.customerId)
      ? { ...r, subscription: { ...r.subscription, invitationAccepted: true } }
      : r,
  );
}

/**
 * The rows' one-click links, where this deployment has an action endpoint: an invitation not yet
 * sent gets "I sent it" and "Accepted", one sent gets "Accepted", a move today "Provisioned", and a
 * move blocked its customer's "Accepted".
 */
async function addActionLinks(model: DailyDigestModel, reminders: DueReminder[], now: Date): Promise<void> {
  const link = await actionLinkMaker(now);
  if (!link) return;
  const sent = new Set(
    reminders.flatMap((r) => (r.kind === 'customer' && r.customer.invitationStatus === 'sent' ? [r.customer.customerId] : [])),
  );
  for (const row of model.invitations) {
    const customer = { kind: 'customer', id: row.customerId } as const;
    row.actions = [
      ...(sent.has(row.customerId) ? [] : [{ label: 'I sent it', url: await link(model.partnerId, customer, 'sent') }]),
      { label: 'Accepted', url: await link(model.partnerId, customer, 'accepted') },
    ];
  }
  for (const row of model.movesToday) {
    row.actions = [
      { label: 'Provisioned', url: await link(model.partnerId, { kind: 'subscription', id: row.subscriptionId }, 'provisioned') },
    ];
  }
  for (const row of model.blockedMoves) {
    if (row.customerId)
      row.actions = [{ label: 'Accepted', url: await link(model.partnerId, { kind: 'customer', id: row.customerId }, 'accepted') }];
  }
}

/** Where the deployment has a console: its home, and each customer's page from the rows that name one. */
function addConsolePages(model: DailyDigestModel): void {
  const pages = consolePages();
  if (!pages) return;
  model.consoleUrl = pages.home;
  for (const row of model.invitations) row.page = pages.customer(row.customerId);
  for (const row of [...model.movesToday, ...model.blockedMoves]) if (row.customerId) row.page = pages.customer(row.customerId);
}

/** The window a subscription reminder contributes: scheduled days after the last digest and on/after its due day. */
function windowStart(reminder: DueReminder, after: Day): Day {
  return Math.max(after, reminder.dueDay - 1);
}

export function buildDailyModel(
  partnerId: string,
  settings: PartnerSettings,
  reminders: DueReminder[],
  after: Day,
  today: Day,
): DailyDigestModel {
  const model: DailyDigestModel = {
    partnerId,
    partnerName: settings.name,
    date: dayToIso(today),
    invitations: [],
    expiries: [],
    movesToday: [],
    blockedMoves: [],
    resellerLink: settings.reseller_link,
  };
  for (const reminder of reminders) {
    if (reminder.kind === 'customer') {
      const c = reminder.customer;
      if (!invitationDue(reminder, c, settings, after, today)) continue;
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
    const s = reminder.subscription;
    const from = windowStart(reminder, after);
    for (const due of inWindow(subscriptionReminders(subscriptionSchedule(s), settings.expiry_reminder_days), from, today)) {
      const common = {
        customerName: s.customerName,
        subscriptionId: s.subscriptionId,
        offer: s.offer,
        targetOffer: s.targetOffer,
        seats: s.seats,
      };
      if (due.kind === 'move') {
        // Only an accepted customer's subscriptions can be provisioned: the others wait for it.
        if (s.invitationAccepted) model.movesToday.push({ ...common, customerId: s.customerId });
        else model.blockedMoves.push({ ...common, customerId: s.customerId, endDate: s.endDate });
        continue;
      }
      model.expiries.push({
        ...common,
        endDate: s.endDate,
        moveOn: s.moveOn,
        daysBefore: due.daysBefore,
        state: s.provisioned ? 'let_expire' : s.autoRenew ? 'turn_off_auto_renew' : 'provision',
        risk: s.risk,
      });
    }
  }
  model.invitations.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.inviteBy.localeCompare(b.inviteBy));
  model.expiries.sort((a, b) => a.endDate.localeCompare(b.endDate));
  return model;
}

/**
 * Whether today's digest carries an invitation reminder of the customer: it is due by its state
 * (domain/reminders.ts), or today's digest recorded it reminded already (a run that finishes
 * what a sent digest left: `remindedOn` then falls in the days this digest covers).
 */
function invitationDue(reminder: DueReminder, c: TrackedCustomer, settings: PartnerSettings, after: Day, today: Day): boolean {
  if (invitationDueOn(invitationSchedule(c), settings.invitation_reminder_every_days, today)) return true;
  return c.remindedOn !== undefined && isoToDay(c.remindedOn) > windowStart(reminder, after);
}

/**
 * Records each customer due an invitation reminder today reminded: today, or the day a refused
 * digest among the days this one covers would have recorded (domain/reminders.ts `remindedDay`).
 * Returns the reminders with that state, to move them on, and a way to give it back should the
 * digest not go out: the previous day again, and the day this digest would have recorded kept
 * as owed, for the next digest to record.
 */
async function markReminded(
  reminders: DueReminder[],
  settings: PartnerSettings,
  after: Day,
  today: Day,
): Promise<{ reminders: DueReminder[]; giveBack: () => Promise<void> }> {
  const every = settings.invitation_reminder_every_days;
  const marked: { before: DueReminder; day: Day }[] = [];
  const updated = reminders.map((reminder): DueReminder => {
    if (reminder.kind !== 'customer') return reminder;
    const c = reminder.customer;
    if (!invitationDueOn(invitationSchedule(c), every, today)) return reminder;
    const owed = c.owedOn === undefined ? undefined : isoToDay(c.owedOn);
    const day = remindedDay(every, after + 1, today, owed);
    marked.push({ before: reminder, day });
    const { owedOn: _recorded, ...customer } = c;
    return { ...reminder, customer: { ...customer, remindedOn: dayToIso(day) } };
  });
  for (const { before, day } of marked) await store.markReminded(before, day);
  const giveBack = async () => {
    for (const { before, day } of marked) {
      const previous = before.kind === 'customer' ? before.customer.remindedOn : undefined;
      await store.markReminded(before, previous === undefined ? undefined : isoToDay(previous), day);
    }
  };
  return { reminders: updated, giveBack };
}

/**
 * notify_customers: one invitation e-mail per customer contact, with the first invitation
 * reminder a digest carries. The claim keeps it to one; a refused send is tried again with the
 * next reminder.
 */
async function sendInvitations(
  partnerId: string,
  settings: PartnerSettings,
  reminders: DueReminder[],
  after: Day,
  today: Day,
  now: Date,
): Promise<void> {
  const link = settings.reseller_link;
  if (!settings.notify_customers || !link) return;
  for (const reminder of reminders) {
    if (reminder.kind !== 'customer') continue;
    const c = reminder.customer;
    const contact = c.contactEmail;
    if (!contact || !invitationDue(reminder, c, settings, after, today)) continue;
    const invitation: OnceMail = { kind: 'invitation', customerId: c.customerId };
    if (!(await store.claimMail(partnerId, invitation, now)).claimed) continue;
    await sendClaimed(partnerId, invitation, () =>
      sendMail({
        to: [contact],
        replyTo: settings.email ? [settings.email] : undefined,
        ...renderInvitationMail({
          partnerName: settings.name ?? partnerId,
          partnerEmail: settings.email,
          customerName: c.customerName,
          resellerLink: link,
          today: dayToIso(today),
          inviteBy: c.inviteBy ?? '',
          firstMove: c.firstMove ?? '',
          access: customerAccess(c, today),
          accessEnd: c.firstAccessEnd,
        }),
      }),
    );
    await store.recordMail(partnerId, invitation, 'sent');
  }
}

/**
 * Moves each reminder on to its next day, or off the schedule when it has none left: a customer's
 * next invitation reminder counts from when it was last reminded.
 */
async function moveOn(reminders: DueReminder[], settings: PartnerSettings, today: Day): Promise<void> {
  for (const reminder of reminders) await store.rescheduleReminder(reminder, nextReminderDay(reminder, settings, today + 1));
}
