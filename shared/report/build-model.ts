/** Turns a computed plan into the ReportModel the report renderers lay out. */

import type { CoTermCost } from '../domain/co-term.js';
import { ROW_CODES, type RowCode } from '../domain/codes.js';
import { addCents, type Cents, compareCents } from '../domain/cost.js';
import { type Day, dayToIso, NO_DAY } from '../domain/dates.js';
import type { DateFormat, PartnerSettings } from '../domain/partner-settings.js';
import { plannedRows, rowFacts } from '../domain/plan-rows.js';
import type { CapacityNeed } from '../domain/planner/capacity-need.js';
import type { Plan } from '../domain/planner/plan.js';
import { formatName } from '../domain/portfolio/date-format-decision.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import { RISKS, type Risk } from '../domain/risk.js';
import { WeekTally } from '../domain/week-series.js';
import type { ReportModel } from './model.js';

/** What the report is made of: a planned file and how it was read. */
export interface ReportInput {
  fileName: string;
  portfolio: Portfolio;
  plan: Plan;
  settings: PartnerSettings;
  /** The date format asked for: the partner's setting, or the CLI's --date-format. */
  dateFormatSetting: DateFormat;
  read: { delimiter: string; encoding: string; ignoredColumns: string[] };
  coTerm?: CoTermCost | undefined;
  capacity?: CapacityNeed | undefined;
}

const INVITATION_WINDOW_DAYS = 14;
/** Invitations the report lists at most. */
export const REPORT_INVITATIONS = 500;
const TOP_OVERLAPS = 10;
const EXAMPLES_PER_CODE = 3;

export function buildReportModel(run: ReportInput, generatedAt: Date): ReportModel {
  const { portfolio: p, plan, settings } = run;
  const country = settings.country;
  const byRisk = Object.fromEntries(RISKS.map((r) => [r, 0])) as Record<Risk, number>;
  const weeks = new WeekTally();
  const subsPerCustomer = new Int32Array(p.customers.count);
  const firstMove = new Int32Array(p.customers.count).fill(NO_DAY);
  let overlapCents: Cents = 0;
  let cancelNowWasteCents: Cents = 0;
  let unpricedRows = 0;
  const top: ReportModel['costliestOverlaps'] = [];

  for (const i of plannedRows(p)) {
    const f = rowFacts(p, plan, country, i);
    byRisk[f.risk]++;
    subsPerCustomer[f.customer]!++;
    if (f.cancelNowWasteCents === undefined) unpricedRows++;
    else cancelNowWasteCents = addCents(cancelNowWasteCents, f.cancelNowWasteCents);
    if (f.moveOn === undefined) continue;
    if (firstMove[f.customer] === NO_DAY || f.moveOn < firstMove[f.customer]!) firstMove[f.customer] = f.moveOn;
    weeks.add(f.moveOn, f.risk !== 'ok');
    if (f.overlapCents !== undefined) {
      overlapCents = addCents(overlapCents, f.overlapCents);
      if (top.length < TOP_OVERLAPS || f.overlapCents > top[top.length - 1]!.overlapCents) {
        top.push({
          row: p.row.get(i),
          customerName: p.customers.name(f.customer),
          subscriptionId: p.ids.get(i),
          offer: f.offer,
          seats: f.seats,
          moveOn: dayToIso(f.moveOn),
          endDate: dayToIso(f.end),
          overlapDays: f.overlapDays ?? 0,
          overlapCents: f.overlapCents,
        });
        top.sort((a, b) => compareCents(b.overlapCents, a.overlapCents));
        if (top.length > TOP_OVERLAPS) top.pop();
      }
    }
  }

  // Soonest first, then by name; only the first REPORT_INVITATIONS are listed (a large file has
  // tens of thousands, which no one reads in a report: plan.csv has them all).
  const due: { c: number; by: Day; name: string }[] = [];
  for (let c = 0; c < p.customers.count; c++) {
    const by = plan.inviteBy[c]!;
    if (by !== NO_DAY && by <= plan.today + INVITATION_WINDOW_DAYS) due.push({ c, by, name: p.customers.name(c) });
  }
  due.sort((a, b) => a.by - b.by || a.name.localeCompare(b.name));
  const invitationsDue: ReportModel['invitationsDue'] = due.slice(0, REPORT_INVITATIONS).map(({ c, by, name }) => ({
    customerId: p.customers.id(c),
    customerName: name,
    inviteBy: dayToIso(by),
    subscriptions: subsPerCustomer[c]!,
    firstMove: dayToIso(firstMove[c]!),
  }));

  const errors = new Map<RowCode, ReportModel['errors'][number]>();
  for (const problem of p.problems) {
    let entry = errors.get(problem.code);
    if (!entry) {
      const code = ROW_CODES[problem.code];
      entry = { code: problem.code, severity: code.severity, count: 0, meaning: code.meaning, examples: [] };
      errors.set(problem.code, entry);
    }
    entry.count++;
    if (entry.examples.length < EXAMPLES_PER_CODE) entry.examples.push({ row: problem.row, message: problem.message });
  }

  return {
    title: 'CSP move plan',
    fileName: run.fileName,
    partner: { id: settings.partner_id, name: settings.name, country, currency: settings.currency },
    today: dayToIso(plan.today),
    generatedAt: generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    counts: {
      dataRows: p.stats.dataRows,
      planned: p.stats.keptRows,
      rejected: p.stats.rejectedRows,
      blankRows: p.stats.blankRows,
      customers: p.customers.count,
      byRisk,
    },
    money: { overlapCents, cancelNowWasteCents, unpricedRows },
    invitationsDue,
    invitationsDueCount: due.length,
    movesPerWeek: weeks.series(plan.today),
    dailyCapacity: settings.daily_capacity,
    busiestWeek: weeks.busiest(),
    capacityNeed: run.capacity && capacityNeedOf(run.capacity),
    costliestOverlaps: top,
    errors: [...errors.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    // As a partner writes dates (DD/MM/YYYY), not the planner's name for the convention.
    dateFormat: { used: formatName(p.stats.dateFormat.used), reason: p.stats.dateFormat.reason },
    settings: settingsTable(run),
    ignoredColumns: run.read.ignoredColumns,
    coTerm: run.coTerm,
  };
}

function capacityNeedOf(need: CapacityNeed): NonNullable<ReportModel['capacityNeed']> {
  const { needed, canBeOnTime, atRisk, firstAtRiskEnd, atRiskWithoutWindow } = need;
  return {
    needed,
    canBeOnTime,
    atRisk,
    firstAtRiskEnd: firstAtRiskEnd === NO_DAY ? undefined : dayToIso(firstAtRiskEnd),
    atRiskWithoutWindow,
  };
}

function settingsTable(run: ReportInput): [string, string][] {
  const s = run.settings;
  const rows: [string, unknown][] = [
    ['country', s.country],
    ['currency', s.currency],
    ['invite_lead_days', s.invite_lead_days],
    ['buffer_business_days', s.buffer_business_days],
    [
      'daily_capacity',
      run.capacity && run.capacity.canBeOnTime > 0 ? `${s.daily_capacity} (needed: ${run.capacity.needed})` : s.daily_capacity,
    ],
    ['co_term', s.co_term],
    ['date_format', run.dateFormatSetting],
    ['timezone', s.timezone],
    ['expiry_reminder_days', s.expiry_reminder_days.join(', ')],
    ['invitation_reminder_every_days', s.invitation_reminder_every_days],
    ['daily_digest_days', s.daily_digest_days],
    ['delimiter', run.read.delimiter === '\t' ? 'tab' : run.read.delimiter],
    ['encoding', run.read.encoding],
  ];
  return rows.map(([k, v]) => [k, String(v)]);
}
