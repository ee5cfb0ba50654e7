/**
 * Plans a partner again from what is stored — every planner input of its current plan, and the
 * states recorded since — as of the partner's today, and stores what changed. A move planned for
 * a day that has passed, for a subscription not provisioned, gets a day from today on; an accepted
 * customer plans from today; what is unchanged keeps its dates. Runs each day before the
 * reminders are chosen.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { PLANNER_INPUT_COLUMNS } from '../domain/columns.js';
import { type Day, dayToIso, isoToDay, LAST_DAY, NO_DAY, todayIn } from '../domain/dates.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import { staleFrom } from '../domain/plan-staleness.js';
import type { StatusEvent } from '../domain/status-events.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import { planViews } from '../storage/plan-view/s3-plan-views.js';
import type { PlannedRun } from './plan-file.js';
import { planFile } from './plan-file.js';

export interface ReplanResult {
  /** False when the plan was up to date (nothing to plan again). */
  planned: boolean;
  /** Subscription and customer items of the plan, and how many changed. */
  items: number;
  written: number;
  /** Items stored before inputs were kept: such a plan waits for its next upload. */
  withoutInputs: number;
}

/** The partner's plan as of `today` (its time zone's, from `now`), stored where it changed. */
export async function replanPartner(partnerId: string, now: Date, settings?: PartnerSettings): Promise<ReplanResult> {
  // 1. The partner and its today.
  const partner = settings ?? (await store.partnerSettings(partnerId));
  if (!partner) return { planned: false, items: 0, written: 0, withoutInputs: 0 };
  const today = todayIn(partner.timezone, now);

  // 2. Only a plan that may be out of date: a status changed since it was planned, or one of its
  //    moves is now before the earliest day the planner allows (domain/plan-staleness.ts). A
  //    change recorded from here on asks for a re-plan of its own.
  await store.takeReplanRequest(partnerId);
  const state = await store.replanState(partnerId);
  const changed = state?.changedAt !== undefined && state.changedAt > state.plannedAt;
  if (state && !changed && today < isoToDay(state.staleFrom)) return { planned: false, items: 0, written: 0, withoutInputs: 0 };

  // 3. What the plan was planned from, and the states recorded since.
  const stored = await store.storedPlan(partnerId);
  if (stored.rows.length === 0 || stored.withoutInputs > 0) {
    // Stored before inputs were kept: its next upload plans it.
    await store.recordPlanned(partnerId, now, dayToIso(LAST_DAY));
    return { planned: false, items: 0, written: 0, withoutInputs: stored.withoutInputs };
  }
  const events = await store.partnerStatusEvents(partnerId);

  // 4. Planned again, as a file of those rows would be.
  const run = await planStoredRows(stored.rows, partner, today, events);
  keepPassedDeadlines(run, stored.inviteBy, today);

  // 5. Stored where it changed; a reminder a changed item has since the last digest is still due.
  const last = await store.lastDailyDigest(partnerId, dayToIso(today));
  const remindFrom = last === undefined ? today : Math.min(today, isoToDay(last) + 1);
  const { items, written } = await store.saveReplan(stored, run, remindFrom);
  await store.recordPlanned(
    partnerId,
    now,
    dayToIso(staleFrom(run.portfolio, run.plan, run.settings.invite_lead_days, run.statuses?.subscriptionStates)),
  );

  // 6. The console's snapshot of the plan: the whole of it, as planned now.
  await planViews.save(partnerId, run, now);
  return { planned: true, items, written, withoutInputs: 0 };
}

/**
 * The re-plan a status change asked for, as of the latest of its time, the last change and the
 * last planning: a request that waited in the queue never plans as of a day the plan has passed.
 */
export async function replanAfterChanges(partnerId: string, at: Date): Promise<ReplanResult> {
  const state = await store.replanState(partnerId);
  const latest = [at.toISOString(), state?.changedAt ?? '', state?.plannedAt ?? ''].sort().at(-1)!;
  return replanPartner(partnerId, new Date(latest));
}

/** Stored input rows planned as a file of them would be, as of `today`, with the states the events give. */
export function planStoredRows(
  rows: string[][],
  settings: PartnerSettings,
  today: Day,
  events: readonly StatusEvent[],
): Promise<PlannedRun> {
  return planFile({
    source: Readable.from([Papa.unparse({ fields: [...PLANNER_INPUT_COLUMNS], data: rows }, { newline: '\n' })]),
    fileName: 'stored plan',
    settings,
    today,
    dateFormat: 'iso',
    events,
  });
}

/**
 * An invitation deadline that has come stays where it was: planning again as of today would move
 * it to today or later, and the customer would never show as overdue. Kept from its own day on,
 * so the deadline does not depend on which days the plan happened to be planned again.
 */
function keepPassedDeadlines(run: PlannedRun, stored: ReadonlyMap<string, string>, today: Day): void {
  const { portfolio: p, plan } = run;
  for (let c = 0; c < p.customers.count; c++) {
    const before = stored.get(p.customers.id(c));
    if (before === undefined || plan.inviteBy[c] === NO_DAY) continue;
    const day = isoToDay(before);
    if (day <= today && day < plan.inviteBy[c]!) plan.inviteBy[c] = day;
  }
}
