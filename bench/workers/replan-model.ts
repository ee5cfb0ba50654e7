/**
 * The DynamoDB model (bench/dynamodb-model.ts) of a daily re-plan: FILE uploaded and planned as
 * the upload function does, then 1 % of its subscriptions recorded as provisioned, and the
 * partner planned again from its stored inputs as the daily run does (use-cases/replan.ts). Reads
 * are every item of the plan (the run reads it whole); writes only the items whose plan changed.
 *
 *   node --import tsx bench/workers/replan-model.ts FILE CAPACITY
 */
import { createReadStream } from 'node:fs';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { inputRow, plannedRows } from '../../shared/domain/plan-rows.js';
import type { StatusEvent } from '../../shared/domain/status-events.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import { PLAN_ATTRIBUTE, TABLE } from '../../shared/storage/dynamodb/table-design.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
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

emit({
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
