/**
 * The DynamoDB model (bench/dynamodb-model.ts) of a daily re-plan: FILE uploaded and planned as
 * the upload function does, then 1 % of its subscriptions recorded as provisioned, and the
 * partner planned again from its stored inputs as the daily run does (use-cases/replan.ts). Reads
 * are every item of the plan (the run reads it whole); writes only the items whose plan changed.
 *
 * Two days are modelled:
 * - a day of the plan carried out: every customer accepted, the moves before the day made on
 *   their days, and then the moves of the next planned days (as many as make 1 % of the
 *   subscriptions) made on theirs; planned again the day after;
 * - a stress case: every hundredth subscription of the file, across its whole plan, provisioned
 *   on the upload day, each leaving a place free months ahead that the capacity rules refill.
 *
 *   node --import tsx bench/workers/replan-model.ts FILE CAPACITY
 */
import { createReadStream } from 'node:fs';
import { type Day, dayToIso, isoToDay, NO_DAY } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { inputRow, plannedRows } from '../../shared/domain/plan-rows.js';
import type { StatusEvent } from '../../shared/domain/status-events.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import { PLAN_ATTRIBUTE, TABLE } from '../../shared/storage/dynamodb/table-design.js';
import { type PlannedRun, planFile } from '../../shared/use-cases/plan-file.js';
import { planStoredRows } from '../../shared/use-cases/replan.js';
import { type ModelItem, modelReads, modelWrites } from '../dynamodb-model.js';
import { emit } from '../util.js';

const CHANGED_SHARE = 0.01;
const [file, capacity] = process.argv.slice(2) as [string, string];
const settings = parseSettings({ partner_id: 'bench', daily_capacity: Number(capacity) });
const today = isoToDay('2026-12-01');
const key = (item: ModelItem) => `${String(item.pk)}\n${String(item.sk)}`;

// 1. The upload's plan, as stored: every item is what the re-plan reads.
const uploaded = await planFile({ source: createReadStream(file), fileName: 'bench.csv', settings, today, events: [] });
const stored = new Map<string, unknown>();
const reads = modelReads(
  (function* () {
    for (const item of planItems(uploaded, 'bench', 'u-bench')) {
      stored.set(key(item), item[PLAN_ATTRIBUTE]);
      yield item;
    }
  })(),
  TABLE.partitionKey,
);

// 2. The day's changes: every hundredth subscription recorded as provisioned.
const p = uploaded.portfolio;
const rows: string[][] = [];
const events: StatusEvent[] = [];
let subscriptions = 0;
for (const i of plannedRows(p)) {
  rows.push(inputRow(p, i));
  if (subscriptions++ % Math.round(1 / CHANGED_SHARE) !== 0) continue;
  const subject = { kind: 'subscription' as const, id: p.ids.get(i) };
  events.push({
    subject,
    state: 'provisioned',
    effective: '2026-12-01',
    recordedAt: '2026-12-01T12:00:00Z',
    source: 'cli',
    by: 'bench',
  });
}

// 3. The re-plan, and the items it writes: those whose plan changed.
const started = performance.now();
const replanned = await planStoredRows(rows, settings, today, events);
const planMs = performance.now() - started;
const changed: ModelItem[] = [];
for (const item of planItems(replanned, 'bench', '', today)) if (stored.get(key(item)) !== item[PLAN_ATTRIBUTE]) changed.push(item);
const writes = modelWrites(changed, TABLE.partitionKey, [TABLE.dueIndex, TABLE.partnersIndex]);

// 4. A day of the plan carried out.
const recorded = (kind: 'customer' | 'subscription', id: string, state: StatusEvent['state'], day: Day): StatusEvent => ({
  subject: { kind, id },
  state,
  effective: dayToIso(day),
  recordedAt: `${dayToIso(day)}T12:00:00Z`,
  source: 'cli',
  by: 'bench',
});
const movesOf = (run: PlannedRun) => {
  const moves = new Map<string, Day>();
  for (const i of plannedRows(run.portfolio)) if (run.plan.moveOn[i] !== NO_DAY) moves.set(run.portfolio.ids.get(i), run.plan.moveOn[i]!);
  return moves;
};
const accepted = Array.from({ length: p.customers.count }, (_, c) => recorded('customer', p.customers.id(c), 'accepted', today));
const acceptedPlan = movesOf(await planStoredRows(rows, settings, today, accepted));
// The day: the tenth with moves, when the plan is under way.
const day = [...new Set(acceptedPlan.values())].sort((a, b) => a - b)[9]!;
const madeBefore = [...acceptedPlan].filter(([, d]) => d < day).map(([id, d]) => recorded('subscription', id, 'provisioned', d));
const dayStored = await planStoredRows(rows, settings, day, [...accepted, ...madeBefore]);
const made: StatusEvent[] = [];
const madeDays: Day[] = [];
const storedMoves = [...movesOf(dayStored)].sort((a, b) => a[1] - b[1]);
for (const [id, d] of storedMoves) {
  if (made.length >= subscriptions * CHANGED_SHARE && d !== madeDays.at(-1)) break;
  if (d !== madeDays.at(-1)) madeDays.push(d);
  made.push(recorded('subscription', id, 'provisioned', d));
}
const dayAfter = madeDays.at(-1)! + 1;
const dayReplanned = await planStoredRows(rows, settings, dayAfter, [...accepted, ...madeBefore, ...made]);
const dayPlans = new Map<string, unknown>();
for (const item of planItems(dayStored, 'bench', '', day)) dayPlans.set(key(item), item[PLAN_ATTRIBUTE]);
const dayChanged: ModelItem[] = [];
for (const item of planItems(dayReplanned, 'bench', '', dayAfter))
  if (dayPlans.get(key(item)) !== item[PLAN_ATTRIBUTE]) dayChanged.push(item);

emit({
  day: {
    from: dayToIso(day),
    days: madeDays.map(dayToIso),
    changedSubscriptions: made.length,
    written: dayChanged.length,
    writtenShare: dayChanged.length / reads.items,
    writes: modelWrites(dayChanged, TABLE.partitionKey, [TABLE.dueIndex, TABLE.partnersIndex]),
  },
  rows: p.stats.dataRows,
  subscriptions,
  changedSubscriptions: events.length,
  items: reads.items,
  written: changed.length,
  writtenShare: changed.length / reads.items,
  reads,
  writes,
  planMs,
});
