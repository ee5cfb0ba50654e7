/**
 * The serverless system on the embedded AWS: the same handlers Lambda runs, wired to dynalite,
 * s3rver and the SES emulator through the real SDK. S3 upload events invoke the plan handler
 * with the real S3 event shape; the scheduled handlers get EventBridge's event shape. A
 * settable clock stands in for "now", so a demo can simulate months in seconds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { UPLOAD_SUFFIXES, UPLOADS_PREFIX } from '../shared/storage/bucket-layout.js';
import { createTableInput } from '../shared/storage/dynamodb/table-design.js';
import type { UploadOutcome } from '../shared/use-cases/plan-upload.js';
import { type ActionServer, startActionServer } from './action-server.js';
import { type LocalAws, startLocalAws } from './aws/local-aws.js';

import { LOCAL_NAMES } from './local-names.js';

export { LOCAL_NAMES };

export interface LocalStackOptions {
  /** Where the local AWS keeps its data, and the link signing key; a temporary folder when absent. */
  dataDir?: string | undefined;
  /** The port of the e-mail action endpoint; 0 (the default) takes a free one. */
  actionsPort?: number | undefined;
  /** "Now" for uploads and action links; a settable clock when absent (the demo's simulated days). */
  clock?: { now: Date } | undefined;
}

export interface LocalStack {
  aws: LocalAws;
  /** Where the e-mail action links point (…/action). */
  actionsUrl: string;
  /** The file holding the link signing key, when the stack keeps its data in a folder. */
  linkKeyFile: string | undefined;
  /** The simulated "now" upload events and scheduled runs see. */
  clock: { now: Date };
  /**
   * While false, S3 upload events are only announced (`aws.events` 's3Event'), not delivered to
   * the plan function: a test then delivers them itself with `invokeUpload`. Default true.
   */
  deliverUploads: boolean;
  /**
   * Invokes the plan function with `event` as Lambda would, at the simulated clock. Lambda's
   * retry of an invocation keeps its request id: pass the same `requestId` to simulate one.
   * Rejects as the function does.
   */
  invokeUpload(event: S3Event, options?: { requestId?: string }): Promise<UploadOutcome[]>;
  /** Runs the daily reminder and weekly digest functions as EventBridge would at `at`. */
  runSchedules(at: Date): Promise<{ daily: unknown; weekly: unknown }>;
  /** Waits until every S3-triggered invocation has finished; rethrows what they threw. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** Points the SDK (and the handlers' own clients, created on import) at the local services. */
function useLocalEndpoints(aws: LocalAws, link: { url: string; key: string }): void {
  Object.assign(process.env, {
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: aws.endpoints.s3,
    AWS_ENDPOINT_URL_SESV2: aws.endpoints.ses,
    TABLE_NAME: LOCAL_NAMES.table,
    BUCKET_NAME: LOCAL_NAMES.bucket,
    SENDER_EMAIL: LOCAL_NAMES.sender,
    ACTIONS_URL: link.url,
    LINK_SIGNING_KEY: link.key,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const clock = options.clock ?? { now: new Date() };
  const failures: unknown[] = [];
  let upload: typeof import('../functions/plan-upload/handler.js') | undefined;
  const invokeUpload = (event: S3Event, options: { requestId?: string } = {}) =>
    upload!.handleS3Event(event, { at: clock.now, requestId: options.requestId ?? randomUUID() });
  const control = { deliverUploads: true };
  const aws = await startLocalAws({
    dataDir: options.dataDir,
    s3EventFilter: { bucket: LOCAL_NAMES.bucket, prefix: UPLOADS_PREFIX, suffixes: UPLOAD_SUFFIXES },
    onS3Event: async (event) => {
      if (!control.deliverUploads) return;
      // The event's time is the simulated clock's, as the handler plans "as of" the upload.
      const timed: S3Event = { Records: event.Records.map((r) => ({ ...r, eventTime: clock.now.toISOString() })) };
      try {
        await invokeUpload(timed);
      } catch (error) {
        failures.push(error);
      }
    },
  });
  let actions: ActionServer;
  try {
    const key = await linkSigningKey(options.dataDir);
    // The endpoint is up before the handlers load: they read its address when they sign links.
    let handleAction: typeof import('../functions/email-action/handler.js')['handleActionRequest'] | undefined;
    actions = await startActionServer({
      port: options.actionsPort ?? 0,
      handler: (event, now) => handleAction!(event, now),
      now: () => clock.now,
    });
    useLocalEndpoints(aws, { url: actions.url, key });
    await bootstrap(aws);
    // Imported only now: the handlers create their AWS clients when their modules load.
    handleAction = (await import('../functions/email-action/handler.js')).handleActionRequest;
  } catch (error) {
    await aws.stop();
    throw error;
  }
  upload = await import('../functions/plan-upload/handler.js');
  const daily = await import('../functions/daily-reminders/handler.js');
  const weekly = await import('../functions/weekly-digest/handler.js');

  return {
    aws,
    actionsUrl: actions.url,
    linkKeyFile: options.dataDir ? linkKeyFileIn(options.dataDir) : undefined,
    clock,
    get deliverUploads() {
      return control.deliverUploads;
    },
    set deliverUploads(value: boolean) {
      control.deliverUploads = value;
    },
    invokeUpload,
    async runSchedules(at: Date) {
      const event = (detailType: string) => ({
        version: '0',
        id: `local-${at.getTime()}`,
        'detail-type': detailType,
        source: 'aws.events',
        account: '000000000000',
        time: at.toISOString(),
        region: aws.region,
        resources: [],
        detail: {},
      });
      return { daily: await daily.handler(event('Scheduled Event')), weekly: await weekly.handler(event('Scheduled Event')) };
    },
    async settled() {
      await aws.idle();
      if (failures.length > 0) throw new AggregateError(failures.splice(0), 'An upload handler failed');
    },
    async stop() {
      await actions.close();
      await aws.stop();
    },
  };
}

const linkKeyFileIn = (dataDir: string) => join(dataDir, 'link-signing-key');

/**
 * The key the local links are signed with: kept in the data folder, so links a kept stack sent
 * still work after a restart; made on first use. Only this machine's user can read it.
 */
async function linkSigningKey(dataDir: string | undefined): Promise<string> {
  const fresh = randomBytes(32).toString('base64url');
  if (!dataDir) return fresh;
  const file = linkKeyFileIn(dataDir);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, fresh, { mode: 0o600 });
    return fresh;
  }
}

/** Creates the table (from the one table design) and the bucket, if they do not exist. */
async function bootstrap(aws: LocalAws): Promise<void> {
  const ddb = new DynamoDBClient(aws.clientConfig('dynamodb'));
  try {
    await ddb.send(new CreateTableCommand(createTableInput(LOCAL_NAMES.table)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    ddb.destroy();
  }
  const s3 = new S3Client(aws.clientConfig('s3'));
  try {
    await s3.send(new CreateBucketCommand({ Bucket: LOCAL_NAMES.bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  } finally {
    s3.destroy();
  }
}
