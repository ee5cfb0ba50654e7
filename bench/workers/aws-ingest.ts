/**
 * P3, one measurement per process, each on a fresh local AWS (in-memory dynalite, temp s3rver):
 *
 *   pipeline    PutObject of the CSV to uploads/bench/ → S3 event → plan-upload handler (stream,
 *               validate, plan, BatchWriteItem, reports to S3, report e-mail) → settled()
 *   sequential  the same items, one PutItem at a time: a sample of SAMPLE items timed at mid-table
 *               (the first half of the items stored first, untimed), as items/s
 *   batch       the same items, raw BatchWriteItem: 25 a request, 8 requests in flight
 *
 * The baselines' items are the handler's own: planItems() of an in-process planFile of the same
 * CSV (not timed), written with a DynamoDB document client like the store's.
 *
 *   node --import tsx bench/workers/aws-ingest.ts pipeline|sequential|batch FILE CAPACITY [SAMPLE]
 */

import { subscribe } from 'node:diagnostics_channel';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import { basename } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES, startLocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
import { emit } from '../util.js';

const [mode, file, capacity, sampleArg] = process.argv.slice(2) as [string, string, string, string | undefined];
const PARTNER = 'bench';
const NOW = new Date('2026-12-01T08:00:00Z');
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

/**
 * A timeline of the requests sent to the emulators (seen client-side, in this process, through
 * Node's http diagnostics channels; dynalite serves from its own thread): which phase of the
 * pipeline the time goes to, without touching the handler.
 */
const served: { start: number; end: number; service: string; op: string }[] = [];
const sent = new WeakMap<ClientRequest, number>();
subscribe('http.client.request.start', (message) => sent.set((message as { request: ClientRequest }).request, performance.now()));
subscribe('http.client.response.finish', (message) => {
  const { request } = message as { request: ClientRequest };
  const start = sent.get(request);
  if (start === undefined) return;
  // the response has arrived (its body is still to be read)
  const target = request.getHeader('x-amz-target');
  const op =
    typeof target === 'string' ? target.split('.').pop()! : `${request.method} ${request.path.split('?')[1]?.split('=')[0] ?? ''}`.trim();
  const service = typeof target === 'string' ? 'dynamodb' : request.path.includes('/v2/email') ? 'ses' : 's3';
  served.push({ start, end: performance.now(), service, op });
});

const settings = parseSettings({ partner_id: PARTNER, email: 'ops@bench.example', daily_capacity: Number(capacity) });
const stack = await startLocalStack();
stack.clock.now = NOW;
// Imported after the stack: the store creates its client from the environment on load.
const { planStore } = await import('../../shared/storage/dynamodb/dynamodb-plan-store.js');
await planStore.savePartnerSettings({ ...settings, partner_id: PARTNER });

try {
  if (mode === 'pipeline') emit(await pipeline());
  else emit(await baseline(mode));
} finally {
  await stack.stop();
}

async function pipeline() {
  const body = await readFile(file);
  const s3 = new S3Client(stack.aws.clientConfig('s3'));
  const t0 = performance.now();
  await s3.send(
    new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${PARTNER}/${basename(file)}`, Body: body, ContentType: 'text/csv' }),
  );
  const putMs = performance.now() - t0;
  await stack.settled();
  const ms = performance.now() - t0;
  s3.destroy();
  const uploads = [];
  for await (const record of planStore.uploads(PARTNER)) uploads.push(record);
  const upload = uploads[0];
  if (uploads.length !== 1 || upload?.status !== 'planned') throw new Error(`upload not planned: ${JSON.stringify(uploads)}`);
  return {
    mode,
    items: Number(upload.items),
    planned: Number(upload.planned),
    rejected: Number(upload.rejected),
    putObjectMs: putMs,
    ms,
    itemsPerSecond: Number(upload.items) / (ms / 1000),
    phases: phases(t0, t0 + ms),
  };
}

async function baseline(kind: string) {
  // The handler's items for this file, computed before the clock starts.
  const tPlan = performance.now();
  const run = await planFile({ source: createReadStream(file), fileName: basename(file), settings, today: isoToDay('2026-12-01') });
  const items = [...planItems(run, PARTNER, 'bench-upload')];
  const planMs = performance.now() - tPlan;
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(stack.aws.clientConfig('dynamodb')), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  try {
    if (kind === 'sequential') {
      // dynalite gets slower as the table grows, so the sample is timed at mid-table: the first
      // half of the items is stored first (batched, not timed), then SAMPLE items one by one.
      const size = Math.min(items.length, Number(sampleArg ?? 5_000));
      const from = Math.max(0, Math.floor(items.length / 2 - size / 2));
      await batchWrite(ddb, items.slice(0, from));
      const sample = items.slice(from, from + size);
      gc();
      const t0 = performance.now();
      for (const item of sample) await ddb.send(new PutCommand({ TableName: LOCAL_NAMES.table, Item: item }));
      const ms = performance.now() - t0;
      return {
        mode: kind,
        items: items.length,
        sample: sample.length,
        storedBefore: from,
        ms,
        itemsPerSecond: sample.length / (ms / 1000),
        planMs,
      };
    }
    if (kind === 'batch') {
      gc();
      const t0 = performance.now();
      const retried = await batchWrite(ddb, items);
      const ms = performance.now() - t0;
      return {
        mode: kind,
        items: items.length,
        ms,
        itemsPerSecond: items.length / (ms / 1000),
        retried,
        planMs,
        phases: phases(t0, t0 + ms),
      };
    }
    throw new Error(`unknown mode ${kind}`);
  } finally {
    ddb.destroy();
  }
}

/** Raw BatchWriteItem: 25 items a request, 8 requests in flight; unprocessed items resent at once. */
async function batchWrite(ddb: DynamoDBDocumentClient, items: Record<string, unknown>[]): Promise<number> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  let retried = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: Record<string, unknown>[] = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const r = await ddb.send(new BatchWriteCommand({ RequestItems: { [LOCAL_NAMES.table]: pending } }));
        pending = (r.UnprocessedItems?.[LOCAL_NAMES.table] ?? []) as Record<string, unknown>[];
        retried += pending.length;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return retried;
}

/** Splits the pipeline's time by what the emulators were serving: before, during and after the batch writes. */
function phases(t0: number, t1: number) {
  const inRun = served.filter((r) => r.start >= t0 && r.end <= t1);
  const batches = inRun.filter((r) => r.op === 'BatchWriteItem');
  const firstBatch = Math.min(...batches.map((r) => r.start));
  const lastBatch = Math.max(...batches.map((r) => r.end));
  const count: Record<string, number> = {};
  for (const r of inRun) count[`${r.service} ${r.op}`] = (count[`${r.service} ${r.op}`] ?? 0) + 1;
  const after = inRun.filter((r) => r.start >= lastBatch);
  const span = (list: typeof inRun) => (list.length ? Math.max(...list.map((r) => r.end)) - Math.min(...list.map((r) => r.start)) : 0);
  return {
    /** PutObject, the S3 event, reading and planning the CSV: until the first BatchWriteItem. */
    untilFirstWriteMs: firstBatch - t0,
    /** First to last BatchWriteItem. */
    writesMs: lastBatch - firstBatch,
    /** BatchWriteItem requests being served at once, on average over the writes (8 = always 8 in flight). */
    writeConcurrency: batches.reduce((sum, r) => sum + (r.end - r.start), 0) / (lastBatch - firstBatch),
    /** After the writes: the missing-subscription scan (Query), reports to S3, the report e-mail. */
    afterWritesMs: t1 - lastBatch,
    afterWrites: {
      queryMs: span(after.filter((r) => r.op === 'Query')),
      s3Ms: span(after.filter((r) => r.service === 's3')),
      sesMs: span(after.filter((r) => r.service === 'ses')),
    },
    requests: count,
  };
}
