/**
 * P7, the console's plan page at scale (bench/README.md):
 *
 *   prepare FILE CAPACITY OUT   plans FILE in process (not timed) and writes its plan view snapshot
 *                               (shared/storage/plan-view/snapshot.ts) to OUT, timing the encoding
 *   measure SNAPSHOT            on a fresh local AWS (temp s3rver): PutObject of the snapshot at the
 *                               partner's view key, then
 *                               - baseline: GetObject of the same bytes, read to the end (best of 3);
 *                               - cold: the first planViews.load (GetObject, gunzip, decode, index)
 *                                 and the first page in the default order, in this fresh process;
 *                               - warm: load (a conditional GET answered 304) and a filtered,
 *                                 text-searched, sorted page: the first such query (its order and
 *                                 search computed) and the best of the next ones (kept).
 *
 *   node --import tsx bench/workers/plan-view.ts prepare|measure …
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_NAMES, startLocalStack } from '../../local/stack.js';
import { PlanQuerySchema } from '../../shared/console/contract.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planViewKey } from '../../shared/storage/bucket-layout.js';
import { decodeSnapshot, encodeSnapshot, isGzip } from '../../shared/storage/plan-view/snapshot.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
import { FILTERED_VIEW_QUERY } from '../plan-view-query.js';
import { emit } from '../util.js';

const [mode, ...rest] = process.argv.slice(2);
const PARTNER = 'bench';
const PLANNED_AT = new Date('2026-12-01T08:00:00Z');
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const WARM_RUNS = 5;

if (mode === 'prepare') emit(await prepare(rest[0]!, Number(rest[1]), rest[2]!));
else if (mode === 'measure') emit(await measure(rest[0]!));
else throw new Error(`unknown mode ${mode}`);

async function prepare(file: string, capacity: number, out: string) {
  const settings = parseSettings({ partner_id: PARTNER, daily_capacity: capacity });
  const t0 = performance.now();
  const run = await planFile({ source: createReadStream(file), fileName: basename(file), settings, today: isoToDay('2026-12-01') });
  const planMs = performance.now() - t0;
  const t1 = performance.now();
  const bytes = await encodeSnapshot(PARTNER, run, PLANNED_AT);
  const encodeMs = performance.now() - t1;
  await writeFile(out, bytes);
  // The same snapshot not gzipped: what gzip saves in bytes and costs in time is measured too.
  const t2 = performance.now();
  const raw = await encodeSnapshot(PARTNER, run, PLANNED_AT, { gzip: !isGzip(bytes) });
  const otherEncodeMs = performance.now() - t2;
  await writeFile(`${out}.other`, raw);
  return {
    rows: run.portfolio.stats.keptRows,
    customers: run.portfolio.customers.count,
    bytes: bytes.length,
    otherBytes: raw.length,
    planMs,
    encodeMs,
    otherEncodeMs,
  };
}

async function measure(snapshotFile: string) {
  const body = await readFile(snapshotFile);
  const dataDir = await mkdtemp(join(tmpdir(), 'cspmove-bench-view-'));
  const stack = await startLocalStack({ dataDir });
  try {
    const s3 = new S3Client(stack.aws.clientConfig('s3'));
    const Key = planViewKey(PARTNER);
    let t = performance.now();
    // As planViews.save stores it.
    const ContentType = isGzip(body) ? 'application/gzip' : 'application/octet-stream';
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key, Body: body, ContentType }));
    const putMs = performance.now() - t;

    const getMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      t = performance.now();
      const answer = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key }));
      const bytes = await answer.Body!.transformToByteArray();
      getMs.push(performance.now() - t);
      if (bytes.length !== body.length) throw new Error(`GetObject read ${bytes.length} bytes, not ${body.length}`);
    }
    s3.destroy();

    // Imported after the stack: the module creates its client from the environment on load.
    const { planViews } = await import('../../shared/storage/plan-view/s3-plan-views.js');
    const defaultQuery = PlanQuerySchema.parse({});
    const filtered = PlanQuerySchema.parse(FILTERED_VIEW_QUERY);

    t = performance.now();
    const view = (await planViews.load(PARTNER))!;
    const loadMs = performance.now() - t;
    const first = view.page(defaultQuery);
    const coldMs = performance.now() - t;
    const memory = process.memoryUsage();

    const warm: { ms: number; total: number; rows: number; json: number }[] = [];
    for (let r = 0; r < WARM_RUNS; r++) {
      t = performance.now();
      const again = (await planViews.load(PARTNER))!;
      if (again !== view) throw new Error('the warm load decoded the view again');
      const page = again.page(filtered);
      warm.push({ ms: performance.now() - t, total: page.total, rows: page.rows.length, json: JSON.stringify(page).length });
    }
    t = performance.now();
    const glance = view.glance('2026-12-01');
    const glanceMs = performance.now() - t;
    t = performance.now();
    view.glance('2026-12-08');
    const glanceWarmMs = performance.now() - t;
    t = performance.now();
    const customer = view.customer(first.rows[0]!.customerId);
    const customerMs = performance.now() - t;

    // Where the cold time goes, measured again with the code warm (for the README's breakdown).
    t = performance.now();
    const gunzipped = isGzip(body) ? gunzipSync(body) : body;
    const gunzipMs = performance.now() - t;
    t = performance.now();
    await decodeSnapshot(gunzipped);
    const decodeMs = performance.now() - t;

    return {
      bytes: body.length,
      gzip: isGzip(body),
      rows: first.total,
      putMs,
      getMs,
      cold: { loadMs, ms: coldMs, total: first.total, rows: first.rows.length, json: JSON.stringify(first).length },
      warm,
      glance: { ms: glanceMs, warmMs: glanceWarmMs, movesDue: glance.movesDue, weeks: glance.weeks.length },
      customer: { ms: customerMs, subscriptions: customer?.subscriptions.length },
      breakdown: { gunzipMs, decodeMs },
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, arrayBuffersBytes: memory.arrayBuffers },
    };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
