/**
 * The weekly run: on each partner's Monday, a digest of its whole tracked plan — moves in the next
 * two weeks, overdue invitations, moves per week and what needs attention. Claimed before it is
 * sent, like the daily digest (daily-reminders.ts), so a partner gets it at most once a week.
 */
import { type Day, dayToIso, isoToDay, todayIn, weekday } from '../domain/dates.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import { RISKS, type Risk } from '../domain/risk.js';
import type { TrackedCustomer, TrackedSubscription } from '../domain/tracked-plan.js';
import { WeekTally } from '../domain/week-series.js';
import { consolePages } from '../email-actions/console-pages.js';
import { sendMail } from '../mail/ses-sender.js';
import { renderWeeklyDigest, type WeeklyDigestModel } from '../mail/templates.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import type { OnceMail } from '../storage/plan-store.js';
import { forEachPartner, type RunSummary, sendClaimed } from './scheduled-run.js';

export type { RunSummary } from './scheduled-run.js';

const MONDAY = 1;

export async function runWeeklyDigest(now: Date): Promise<RunSummary> {
  return forEachPartner(store.partnerIds(), (partnerId) => weeklyDigest(partnerId, now), 'Weekly digest');
}

/** One partner's weekly digest, on its Monday. */
export async function weeklyDigest(partnerId: string, now: Date): Promise<'sent' | 'skipped'> {
  // 1. Only on the partner's Monday, and only to a partner with an e-mail address.
  const settings = await store.partnerSettings(partnerId);
  const email = settings?.email;
  if (!settings || !email) return 'skipped';
  const today = todayIn(settings.timezone, now);
  if (weekday(today) !== MONDAY) return 'skipped';

  // 2. This week's digest handled already (a retry): one key read, not the whole plan. The
  //    claim below still decides, should two runs race.
  const digest: OnceMail = { kind: 'weekly-digest', date: dayToIso(today) };
  const status = await store.mailStatus(partnerId, digest);
  if (status !== undefined && status !== 'failed') return 'skipped';

  // 3. The partner's whole tracked plan; nothing to say about an empty one.
  const { subscriptions, customers } = await store.trackedPlan(partnerId);
  if (subscriptions.length === 0) return 'skipped';

  // 4. Claim, send, record.
  if (!(await store.claimMail(partnerId, digest, now)).claimed) return 'skipped';
  const model = addConsolePages(buildWeeklyModel(partnerId, settings, subscriptions, customers, today));
  const messageId = await sendClaimed(partnerId, digest, () => sendMail({ to: [email], ...renderWeeklyDigest(model) }));
  await store.recordMail(partnerId, digest, 'sent', { messageId });
  return 'sent';
}

export function buildWeeklyModel(
  partnerId: string,
  settings: PartnerSettings,
  subscriptions: TrackedSubscription[],
  customers: TrackedCustomer[],
  today: Day,
): WeeklyDigestModel {
  const countsByStatus: Record<string, number> = {};
  const countsByRisk = Object.fromEntries(RISKS.map((r) => [r, 0])) as Record<Risk, number>;
  const weeks = new WeekTally();
  const movesNext14Days: WeeklyDigestModel['movesNext14Days'] = [];
  for (const s of subscriptions) {
    const state = moveStatus(s, today);
    countsByStatus[state] = (countsByStatus[state] ?? 0) + 1;
    // Neither a missing nor an excluded subscription is moved: they leave the risks and the moves.
    if (s.missing || s.state === 'excluded') continue;
    const risk = s.risk;
    countsByRisk[risk]++;
    if (s.moveOn === undefined) continue;
    const move = isoToDay(s.moveOn);
    if (move >= today) weeks.add(move, risk !== 'ok');
    if (move >= today && move < today + 14) {
      movesNext14Days.push({
        date: s.moveOn,
        customerName: s.customerName,
        subscriptionId: s.subscriptionId,
        offer: s.targetOffer,
        seats: s.seats,
      });
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
    movesPerWeek: weeks.series(today),
    dailyCapacity: settings.daily_capacity,
  };
}

/** Where the deployment has a console: its home, and each overdue customer's page. */
function addConsolePages(model: WeeklyDigestModel): WeeklyDigestModel {
  const pages = consolePages();
  if (!pages) return model;
  const overdueInvitations = model.overdueInvitations.map((i) => ({ ...i, page: pages.customer(i.customerId) }));
  return { ...model, consoleUrl: pages.home, overdueInvitations };
}

/** How far a subscription's move has got, for the weekly digest. */
function moveStatus(
  s: TrackedSubscription,
  today: Day,
): 'missing' | 'excluded' | 'done' | 'ineligible' | 'provisioned' | 'move overdue' | 'planned' {
  if (s.missing) return 'missing';
  if (s.state === 'excluded' || s.state === 'done') return s.state;
  if (s.risk === 'ineligible') return 'ineligible';
  if (s.provisioned) return 'provisioned';
  if (s.moveOn !== undefined && isoToDay(s.moveOn) < today) return 'move overdue';
  return 'planned';
}
