/**
 * Why D2's re-plan writes what it writes: the same upload, 1 % provisioned and re-plan as
 * replan-model.ts, with each written item put down to its cause and the plan fields that changed.
 * A diagnostic, not part of `npm run bench`; prints one JSON object.
 *
 *   node --import tsx bench/workers/replan-breakdown.ts FILE CAPACITY
 *
 * - subscriptions: provisioned themselves; add-ons of a provisioned base (they now move on their
 *   own); any other whose plan changed, by risk before → after and the way its day moved;
 * - customers: with a provisioned subscription, or without one (their invite_by and first_move
 *   follow their subscriptions' days);
 * - `fullRun`: the business days from the first move day on that the upload filled to capacity.
 *   A move removed there (a "hole") is filled by the next move of the same queue, whose own place
 *   is filled by the next, and so on to the queue's end: one move crosses each day boundary.
 */
import { createReadStream } from 'node:fs';
import { type Day, dayToIso, isoToDay, NO_DAY } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { inputRow, plannedRows } from '../../shared/domain/plan-rows.js';
import { RISKS } from '../../shared/domain/risk.js';
import type { StatusEvent } from '../../shared/domain/status-events.js';
import { isCustomerItem } from '../../shared/storage/dynamodb/item-codec.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import type { Item } from '../../shared/storage/dynamodb/table-client.js';
import { CUSTOMER_PLAN, PLAN_ATTRIBUTE, SUBSCRIPTION_PLAN } from '../../shared/storage/dynamodb/table-design.js';
import { type PlannedRun, planFile } from '../../shared/use-cases/plan-file.js';
import { planStoredRows } from '../../shared/use-cases/replan.js';
import { emit } from '../util.js';

const EVERY = 100;
const [file, capacity] = process.argv.slice(2) as [string, string];
const settings = parseSettings({ partner_id: 'bench', daily_capacity: Number(capacity) });
const today = isoToDay('2026-12-01');
const key = (item: Item) => `${item.pk}\n${item.sk}`;
const count = (tally: Record<string, number>, k: string) => {
  tally[k] = (tally[k] ?? 0) + 1;
};

// 1. The upload, as stored; each subscription's day and risk.
const uploaded = await planFile({ source: createReadStream(file), fileName: 'bench.csv', settings, today, events: [] });
const stored = new Map<string, string>();
for (const item of planItems(uploaded, 'bench', 'u-bench')) stored.set(key(item), item[PLAN_ATTRIBUTE] as string);
const before = new Map<string, { day: Day; risk: number }>();
const p = uploaded.portfolio;
for (const i of plannedRows(p)) before.set(p.ids.get(i), { day: uploaded.plan.moveOn[i]!, risk: uploaded.plan.risk[i]! });

// 2. Every hundredth subscription provisioned (as replan-model.ts), and the re-plan.
const rows: string[][] = [];
const events: StatusEvent[] = [];
const provisioned = new Set<string>();
let subscriptions = 0;
for (const i of plannedRows(p)) {
  rows.push(inputRow(p, i));
  if (subscriptions++ % EVERY !== 0) continue;
  const id = p.ids.get(i);
  provisioned.add(id);
  const subject = { kind: 'subscription' as const, id };
  events.push({ subject, state: 'provisioned', effective: '2026-12-01', recordedAt: '2026-12-01T12:00:00Z', source: 'cli', by: 'bench' });
}
const replanned = await planStoredRows(rows, settings, today, events);
const q = replanned.portfolio;
const customersProvisioned = new Set<string>();
const addOnsOfProvisioned = new Set<string>();
for (const i of plannedRows(q)) {
  if (provisioned.has(q.ids.get(i))) customersProvisioned.add(q.customers.id(q.customer[i]!));
  const base = q.base.get(i);
  if (base !== -1 && provisioned.has(q.ids.get(base))) addOnsOfProvisioned.add(q.ids.get(i));
}

// 3. Each written item, by cause and changed fields.
const written: Record<string, number> = {};
let items = 0;
let writes = 0;
for (const item of planItems(replanned, 'bench', '', today)) {
  items++;
  const was = stored.get(key(item))!;
  const now = item[PLAN_ATTRIBUTE] as string;
  if (was === now) continue;
  writes++;
  const a = JSON.parse(was) as unknown[];
  const b = JSON.parse(now) as unknown[];
  const customer = isCustomerItem(item);
  const names: readonly string[] = customer ? CUSTOMER_PLAN : SUBSCRIPTION_PLAN;
  const fields = names.filter((_, k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).join(',');
  const id = item.sk.slice(item.sk.indexOf('#') + 1);
  const cause = customer
    ? customersProvisioned.has(id)
      ? 'customer with a provisioned subscription'
      : 'customer without one'
    : provisioned.has(id)
      ? 'subscription provisioned'
      : addOnsOfProvisioned.has(id)
        ? 'add-on of a provisioned base'
        : 'other subscription';
  count(written, `${cause}: ${fields}`);
}

// 4. The other subscriptions whose day changed: risk before → after, direction, days, and
//    where the upload had them (in the full run from the first move day, or after it).
const fullRun = fullRunOf(uploaded);
const moved: Record<string, number> = {};
const shiftDays: Record<string, number> = {};
const holes: Record<string, number> = {};
const shifted: Record<string, number> = {};
const where = (day: Day, risk: number) =>
  `${RISKS[risk] === 'ok' ? 'in its window' : 'placed forward'}, ${day <= fullRun.day ? 'in the full run' : 'after it'}`;
for (const i of plannedRows(q)) {
  const id = q.ids.get(i);
  const old = before.get(id)!;
  if (provisioned.has(id)) {
    if (old.day !== NO_DAY) count(holes, where(old.day, old.risk));
    continue;
  }
  const day = replanned.plan.moveOn[i]!;
  if (day === old.day || addOnsOfProvisioned.has(id) || day === NO_DAY || old.day === NO_DAY) continue;
  count(moved, `${RISKS[old.risk]} → ${RISKS[replanned.plan.risk[i]!]}, ${day < old.day ? 'earlier' : 'later'}`);
  count(shiftDays, String(day - old.day));
  count(shifted, where(old.day, old.risk));
}

emit({
  subscriptions,
  provisioned: events.length,
  items,
  written: writes,
  writtenShare: writes / items,
  byCause: sorted(written),
  otherSubscriptionsMoved: sorted(moved),
  shiftDays: Object.fromEntries(Object.entries(shiftDays).sort((x, y) => Number(x[0]) - Number(y[0]))),
  fullRun: { from: dayToIso(fullRun.from), to: dayToIso(fullRun.day), businessDays: fullRun.days },
  holesByUploadPlace: sorted(holes),
  otherSubscriptionsMovedByUploadPlace: sorted(shifted),
});

/** The run of days at full capacity that starts at the upload's first move day. */
function fullRunOf(run: PlannedRun): { from: Day; day: Day; days: number } {
  const load = new Map<Day, number>();
  for (const day of run.plan.moveOn) if (day !== NO_DAY) load.set(day, (load.get(day) ?? 0) + 1);
  const days = [...load.keys()].sort((x, y) => x - y);
  let end = days[0] ?? NO_DAY;
  let n = 0;
  for (const day of days) {
    if (load.get(day)! < run.settings.daily_capacity) break;
    end = day;
    n++;
  }
  return { from: days[0] ?? NO_DAY, day: end, days: n };
}

function sorted(tally: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(tally).sort((x, y) => y[1] - x[1]));
}
