/**
 * The plan views (../plan-view.ts) on S3: one snapshot object a partner (snapshot.ts), at
 * bucket-layout.ts's planViewKey, replaced by each planning. A loaded view is kept in this
 * module's memory, so a warm container decodes a partner's plan once: each load asks S3 again
 * with the ETag it holds (If-None-Match), and a 304 keeps the view.
 */
import type { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { clientConfig, resourceNames } from '../../aws/client-config.js';
import { requireSdk } from '../../aws/sdk.js';
import { planViewKey } from '../bucket-layout.js';
import type { PlanViews } from '../plan-view.js';
import { PlanTable } from './plan-table.js';
import { decodeSnapshot, encodeSnapshot, inflateSnapshot, isGzip } from './snapshot.js';

let sdk: { s3: S3.S3Client; GetObjectCommand: typeof S3.GetObjectCommand; PutObjectCommand: typeof S3.PutObjectCommand } | undefined;

/**
 * The SDK and the one client of this module, loaded on first use: a function that only sometimes
 * plans (partner-work re-plans a partner only when its plan is out of date) does not pay for
 * loading the S3 SDK on every cold start.
 */
function aws() {
  if (!sdk) {
    const { GetObjectCommand, PutObjectCommand, S3Client } = requireSdk<typeof S3>('@aws-sdk/client-s3');
    sdk = { s3: new S3Client(clientConfig()), GetObjectCommand, PutObjectCommand };
  }
  return sdk;
}

/** Rows kept decoded over all partners (about 70 bytes a row, and 4 a sort used): the least recently used go first. */
const CACHED_ROWS = 3_000_000;

interface Cached {
  etag: string;
  view: PlanTable;
}

/** Decoded views by partner, least recently used first. */
const cache = new Map<string, Cached>();
/** Loads under way, so concurrent requests of a cold container decode a plan once. */
const loading = new Map<string, Promise<PlanTable | undefined>>();

/** The client every request of this module goes through: tests observe its requests. */
export function planViewsClient(): S3.S3Client {
  return aws().s3;
}

export const planViews: PlanViews = {
  async save(partnerId, planned, plannedAt) {
    const body = await encodeSnapshot(partnerId, planned, plannedAt);
    const { s3, PutObjectCommand } = aws();
    await s3.send(
      new PutObjectCommand({
        Bucket: resourceNames().bucket,
        Key: planViewKey(partnerId),
        Body: body,
        ContentType: isGzip(body) ? 'application/gzip' : 'application/octet-stream',
      }),
    );
  },

  load(partnerId) {
    let pending = loading.get(partnerId);
    if (!pending) {
      pending = fetchView(partnerId).finally(() => loading.delete(partnerId));
      loading.set(partnerId, pending);
    }
    return pending;
  },
};

async function fetchView(partnerId: string): Promise<PlanTable | undefined> {
  const cached = cache.get(partnerId);
  const { s3, GetObjectCommand } = aws();
  try {
    const answer = await s3.send(
      new GetObjectCommand({ Bucket: resourceNames().bucket, Key: planViewKey(partnerId), IfNoneMatch: cached?.etag }),
    );
    const body = answer.Body as Readable & { transformToByteArray(): Promise<Uint8Array> };
    const data = await decodeSnapshot(
      answer.ContentType === 'application/gzip' ? await inflateSnapshot(body) : await body.transformToByteArray(),
    );
    if (data.partnerId !== partnerId) throw new Error(`The plan view of ${partnerId} holds partner ${data.partnerId}'s plan`);
    const view = new PlanTable(data);
    keep(partnerId, { etag: answer.ETag ?? '', view });
    return view;
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (cached && $metadata?.httpStatusCode === 304) {
      keep(partnerId, cached);
      return cached.view;
    }
    if (name === 'NoSuchKey' || $metadata?.httpStatusCode === 404) {
      cache.delete(partnerId);
      return undefined; // no planning yet
    }
    throw error;
  }
}

function keep(partnerId: string, entry: Cached): void {
  cache.delete(partnerId);
  cache.set(partnerId, entry);
  let rows = 0;
  for (const { view } of cache.values()) rows += view.size;
  for (const [id, { view }] of cache) {
    if (rows <= CACHED_ROWS || id === partnerId) break;
    cache.delete(id);
    rows -= view.size;
  }
}
