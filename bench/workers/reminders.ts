/**
 * P4, one size per process, on a fresh local AWS: STORED subscription/customer plan items spread
 * over PARTNERS partners, of which exactly DUE carry a due-index key for today (an expiry
 * reminder 30 days before their end date); the others are due from the day after tomorrow up to
 * 15 months out (≈ 90%) or carry no due key (≈ 10%: nothing pending), as a real stored plan does.
 * Each partner's plan is up to date (its REPLAN item says so), so the run plans none again: what
 * a stale plan costs is D2. Then one daily reminder run — runDailyReminders(now), what the daily
 * Lambda does — is timed.
 *
 * The items are the handler's own shape: planItems() of a small generated upload, cloned with
 * fresh ids. The table is seeded with the table client's putItems (batched, not timed).
 *
 *   node --import tsx bench/workers/reminders.ts STORED [DUE] [PARTNERS]
 */

import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../local/stack.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import {
  isCustomerItem,
  isSubscriptionItem,
  packSubscription,
  readCustomer,
  readSubscription,
} from '../../shared/storage/dynamodb/item-codec.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import type { Item } from '../../shared/storage/dynamodb/table-client.js';
import { dueKeys, keys, PLAN_ATTRIBUTE } from '../../shared/storage/dynamodb/table-design.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
import { generate, sfc32 } from '../generate.js';
import { emit } from '../util.js';

const stored = Number(process.argv[2]);
const due = Number(process.argv[3] ?? 200);
const partners = Number(process.argv[4] ?? 4);
const NOW = new Date('2026-12-01T09:00:00Z');
const TODAY = isoToDay('2026-12-01');
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

// A template of realistic items: the plan of a small generated upload.
const templateCsv = join(tmpdir(), `cspmove-bench-template-${process.pid}.csv`);
await generate({ rows: 2_000, seed: 7, path: templateCsv });
const settings = parseSettings({ daily_capacity: 50 });
const run = await planFile({ source: createReadStream(templateCsv), fileName: 'template.csv', settings, today: TODAY });
await rm(templateCsv, { force: true });
const template = [...planItems(run, 'template', 'template-upload')].map((item) => {
  const { gsi1pk: _pk, gsi1sk: _sk, ...rest } = item;
  return rest as Item;
});
const subscriptionTemplates = template.filter((t) => isSubscriptionItem(t) && readSubscription(t).risk !== 'ineligible');

const stack = await startLocalStack();
stack.clock.now = NOW;
const tableClient = await import('../../shared/storage/dynamodb/table-client.js');
const { planStore } = await import('../../shared/storage/dynamodb/dynamodb-plan-store.js');
const partnerIds = Array.from({ length: partners }, (_, i) => `bench-${i}`);
for (const id of partnerIds) {
  await planStore.savePartnerSettings({
    ...parseSettings({ partner_id: id, email: `ops@${id}.example`, daily_capacity: 500 }),
    partner_id: id,
  });
}

/** Due items are spread evenly through the insertion order; everything else is not due today. */
function* items(): Generator<Item> {
  const rng = sfc32(11);
  const every = stored / due;
  let dueMade = 0;
  for (let i = 0; i < stored; i++) {
    const isDue = dueMade < due && i >= Math.round(dueMade * every);
    const partnerId = partnerIds[(isDue ? dueMade : i) % partners]!;
    const t = isDue ? subscriptionTemplates[i % subscriptionTemplates.length]! : template[i % template.length]!;
    const customer = isCustomerItem(t);
    const id = `${(customer ? readCustomer(t).customerId : readSubscription(t).subscriptionId).slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
    const sk = customer ? keys.customer(id) : keys.subscription(id);
    const pk = keys.planPartition(partnerId, id);
    const item: Item = { ...t, pk, sk, uploadId: 'bench-upload' };
    if (isDue) {
      dueMade++;
      // An expiry reminder 30 days before the end date falls today.
      const s = readSubscription(t);
      const plan = packSubscription({ ...s, endDate: dayToIso(TODAY + 30), moveOn: dayToIso(TODAY + 23), risk: 'ok', provisioned: false });
      Object.assign(item, { [PLAN_ATTRIBUTE]: plan }, dueKeys(pk, sk, TODAY));
    } else if (rng() < 0.9) {
      Object.assign(item, dueKeys(pk, sk, TODAY + 2 + Math.floor(rng() * 450)));
    }
    yield item;
  }
}

try {
  const tSeed = performance.now();
  const stats = await tableClient.putItems(items());
  const seedMs = performance.now() - tSeed;
  // Plans up to date (the cost of planning a stale one again is D2's): the daily run only reminds.
  for (const id of partnerIds) await planStore.recordPlanned(id, new Date(NOW.getTime() - 2 * 86_400_000), '2100-12-31');

  // Warm-up on the day before (same code path, nothing due yet), so JIT is not in the figure.
  const { runDailyReminders } = await import('../../shared/use-cases/daily-reminders.js');
  await runDailyReminders(new Date(NOW.getTime() - 86_400_000));

  const tQuery = performance.now();
  let dueRead = 0;
  for (const partnerId of partnerIds) for await (const _ of planStore.remindersDue(partnerId, dayToIso(TODAY))) dueRead++;
  const queryMs = performance.now() - tQuery;

  const t0 = performance.now();
  const summary = await runDailyReminders(NOW);
  const ms = performance.now() - t0;
  if (summary.sent !== partners || dueRead !== due)
    throw new Error(`expected ${partners} digests over ${due} due items, got ${JSON.stringify(summary)} over ${dueRead}`);
  emit({ stored: stats.items, due: dueRead, partners, seedMs, seedItemsPerSecond: stats.items / (seedMs / 1000), queryMs, ms, summary });
} finally {
  await stack.stop();
}
