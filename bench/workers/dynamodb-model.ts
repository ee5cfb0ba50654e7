/**
 * The DynamoDB write model (bench/dynamodb-model.ts) for one upload: reads and plans FILE as the
 * upload function does, then sizes and counts every item the store writes for it.
 *
 *   node --import tsx bench/workers/dynamodb-model.ts FILE CAPACITY
 */
import { createReadStream } from 'node:fs';
import { ingest } from '../../shared/csv/ingest.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { plan } from '../../shared/domain/planner/plan.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import { TABLE } from '../../shared/storage/dynamodb/table-design.js';
import { modelWrites } from '../dynamodb-model.js';
import { emit } from '../util.js';

const [file, capacity] = process.argv.slice(2) as [string, string];
const settings = parseSettings({ partner_id: 'bench', daily_capacity: Number(capacity) });
const today = isoToDay('2026-12-01');
const { portfolio } = await ingest(createReadStream(file), { settings, today });
const planned = { portfolio, plan: plan(portfolio, { today, settings }), settings };
const model = modelWrites(planItems(planned, 'bench', 'u-bench'), TABLE.partitionKey, [TABLE.dueIndex, TABLE.partnersIndex]);
emit({ rows: portfolio.stats.dataRows, ...model });
