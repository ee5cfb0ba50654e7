/**
 * The serverless system on the embedded AWS: the same handlers Lambda runs, wired to dynalite,
 * s3rver, the SES emulator and the SQS emulator through the real SDK. S3 upload events invoke the
 * plan handler with the real S3 event shape; a scheduled run invokes the fan-out handler with
 * Scheduler's input, and the partners' jobs it queues reach the partner-work handler in the SQS
 * event shape (local/work-poller.ts). A settable clock stands in for "now", so a demo can simulate
 * months in seconds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { PARTNER_WORK_TIMEOUT_MINUTES } from '../shared/config/service.js';
import { decodeEventKey, UPLOAD_SUFFIXES, UPLOADS_PREFIX, uploadCorsRule } from '../shared/storage/bucket-layout.js';
import { createTableInput } from '../shared/storage/dynamodb/table-design.js';
import type { UploadOutcome } from '../shared/use-cases/plan-upload.js';
import { type ActionServer, startActionServer } from './action-server.js';
import { type LocalAws, startLocalAws } from './aws/local-aws.js';
import { type LocalConsole, startLocalConsole } from './console/local-console.js';

import { LOCAL_NAMES } from './local-names.js';
import { isAddressInUse, PortTakenError } from './port-taken.js';
import { type DrainSummary, type WorkQueues, workPoller } from './work-poller.js';

export { LOCAL_NAMES };

export interface LocalStackOptions {
  /** Where the local AWS keeps its data, and the link signing key; a temporary folder when absent. */
  dataDir?: string | undefined;
  /** The port of the e-mail action endpoint; 0 (the default) takes a free one. */
  actionsPort?: number | undefined;
  /** The first of four fixed ports for DynamoDB, S3, SES and SQS, in that order; free ones when absent. */
  awsPort?: number | undefined;
  /** "Now" for uploads and action links; a settable clock when absent (the demo's simulated days). */
  clock?: { now: Date } | undefined;
  /**
   * How long a status change's re-plan waits in the queue. 0 (the default) suits simulated days:
   * the next `runSchedules` or `drainWork` runs it. `serve` waits as on AWS.
   */
  replanDelaySeconds?: number | undefined;
  /** Take the partners' jobs from the queue as they become visible, as Lambda does (`serve`). Default false. */
  pollWork?: boolean | undefined;
  /** Told one line for each upload handled and each partner job run (`serve` prints them). */
  onActivity?: ((line: string) => void) | undefined;
  /**
   * Serve the partner console on this port (0: a free one), its e-mails linking to it. Its users
   * are kept in the data folder. No console when absent.
   */
  consolePort?: number | undefined;
}

export interface ScheduledRuns {
  daily: { partners: number };
  weekly: { partners: number };
  /** The partners' jobs the runs queued (and any queued before), run to the end. */
  work: DrainSummary;
}

export interface LocalStack {
  aws: LocalAws;
  /** Where the e-mail action links point (…/action). */
  actionsUrl: string;
  /** The partner console, when the stack serves one. */
  console?: LocalConsole | undefined;
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
  /** The partners' work queue. */
  workQueueUrl: string;
  /**
   * Runs the daily and weekly schedules as Scheduler would at `at`, then every partner job they
   * queued. Rejects when a job failed every attempt (it is then in the dead-letter queue).
   */
  runSchedules(at: Date): Promise<ScheduledRuns>;
  /** Runs every partner job visible on the queue now (a re-plan a status change asked for). */
  drainWork(): Promise<DrainSummary>;
  /** From now on takes the partners' jobs as they become visible, as `pollWork` does from the start. */
  pollWork(): void;
  /** Waits until every S3-triggered invocation has finished; rethrows what they threw. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** Points the SDK (and the handlers' own clients, created on import) at the local services. */
function useLocalEndpoints(aws: LocalAws, link: { url: string; key: string }, work: { url: string; replanDelaySeconds: number }): void {
  Object.assign(process.env, {
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: aws.endpoints.s3,
    AWS_ENDPOINT_URL_SESV2: aws.endpoints.ses,
    AWS_ENDPOINT_URL_SQS: aws.endpoints.sqs,
    WORK_QUEUE_URL: work.url,
    REPLAN_DELAY_SECONDS: String(work.replanDelaySeconds),
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
  const first = options.awsPort;
  const aws = await startLocalAws({
    dataDir: options.dataDir,
    ports: first ? { dynamodb: first, s3: first + 1, ses: first + 2, sqs: first + 3 } : undefined,
    portsOption: '--aws-port',
    s3EventFilter: { bucket: LOCAL_NAMES.bucket, prefix: UPLOADS_PREFIX, suffixes: UPLOAD_SUFFIXES },
    onS3Event: async (event) => {
      if (!control.deliverUploads) return;
      // The event's time is the simulated clock's, as the handler plans "as of" the upload.
      const timed: S3Event = { Records: event.Records.map((r) => ({ ...r, eventTime: clock.now.toISOString() })) };
      const key = decodeEventKey(event.Records[0]!.s3.object.key);
      try {
        for (const o of await invokeUpload(timed)) options.onActivity?.(describeUpload(key, o));
      } catch (error) {
        failures.push(error);
        options.onActivity?.(`${key}: the plan function failed (${error instanceof Error ? error.message : String(error)})`);
      }
    },
  });
  let actions: ActionServer;
  let queues: WorkQueues;
  try {
    const key = await linkSigningKey(options.dataDir);
    // The endpoint is up before the handlers load: they read its address when they sign links.
    let handleAction: typeof import('../functions/email-action/handler.js')['handleActionRequest'] | undefined;
    const actionsPort = options.actionsPort ?? 0;
    actions = await startActionServer({
      port: actionsPort,
      handler: (event, now) => handleAction!(event, now),
      now: () => clock.now,
    }).catch((error: unknown) => {
      throw actionsPort && isAddressInUse(error) ? new PortTakenError('the e-mail links', actionsPort, '--actions-port') : error;
    });
    queues = await bootstrap(aws);
    useLocalEndpoints(aws, { url: actions.url, key }, { url: queues.url, replanDelaySeconds: options.replanDelaySeconds ?? 0 });
    // Imported only now: the handlers create their AWS clients when their modules load.
    handleAction = (await import('../functions/email-action/handler.js')).handleActionRequest;
  } catch (error) {
    await aws.stop();
    throw error;
  }
  let partnerConsole: LocalConsole | undefined;
  if (options.consolePort !== undefined) {
    try {
      partnerConsole = await startPartnerConsole(aws, options.consolePort, options.dataDir, () => clock.now);
    } catch (error) {
      await actions.close();
      await aws.stop();
      throw error;
    }
  }
  upload = await import('../functions/plan-upload/handler.js');
  const fanOut = await import('../functions/schedule-fan-out/handler.js');
  const partnerWork = await import('../functions/partner-work/handler.js');
  const sqs = new SQSClient(aws.clientConfig('sqs'));
  const work = workPoller(
    sqs,
    queues,
    aws.region,
    () => partnerWork.handler,
    (body, outcome) => options.onActivity?.(describeJob(body, outcome)),
  );
  if (options.pollWork) work.start();

  return {
    aws,
    actionsUrl: actions.url,
    console: partnerConsole,
    linkKeyFile: options.dataDir ? linkKeyFileIn(options.dataDir) : undefined,
    clock,
    get deliverUploads() {
      return control.deliverUploads;
    },
    set deliverUploads(value: boolean) {
      control.deliverUploads = value;
    },
    invokeUpload,
    workQueueUrl: queues.url,
    async runSchedules(at: Date) {
      // Scheduler's input: the scheduled time, and which run.
      const time = at.toISOString();
      const daily = await fanOut.handler({ time, job: 'daily-digest' });
      const weekly = await fanOut.handler({ time, job: 'weekly-digest' });
      const summary = await work.drain();
      if (summary.deadLettered > 0)
        throw new Error(`${summary.deadLettered} of ${summary.jobs} partner jobs failed every attempt (now in the dead-letter queue).`);
      return { daily, weekly, work: summary };
    },
    drainWork: () => work.drain(),
    pollWork: () => work.start(),
    async settled() {
      await aws.idle();
      if (failures.length > 0) throw new AggregateError(failures.splice(0), 'An upload handler failed');
    },
    async stop() {
      await work.stop();
      sqs.destroy();
      await partnerConsole?.close();
      await actions.close();
      await aws.stop();
    },
  };
}

/**
 * The console on `port`, its e-mail links (CONSOLE_URL) and the bucket's CORS for its uploads: the
 * browser posts files to S3 from the console's origin, and only from it.
 */
async function startPartnerConsole(aws: LocalAws, port: number, dataDir: string | undefined, now: () => Date): Promise<LocalConsole> {
  const partnerConsole = await startLocalConsole({
    port,
    dataDir: dataDir ?? (await mkdtemp(join(tmpdir(), 'cspmove-console-'))),
    now,
    s3Endpoint: aws.endpoints.s3,
  }).catch((error: unknown) => {
    throw port && isAddressInUse(error) ? new PortTakenError('the console', port, '--console-port') : error;
  });
  process.env.CONSOLE_URL = partnerConsole.url;
  const s3 = new S3Client(aws.clientConfig('s3'));
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: LOCAL_NAMES.bucket,
        CORSConfiguration: { CORSRules: [uploadCorsRule(partnerConsole.url)] },
      }),
    );
  } finally {
    s3.destroy();
  }
  return partnerConsole;
}

const linkKeyFileIn = (dataDir: string) => join(dataDir, 'link-signing-key');

function describeUpload(key: string | undefined, o: UploadOutcome): string {
  const what = `${key ?? 'an upload'}`;
  if (o.outcome === 'planned') return `${what}: planned ${o.planned} rows, rejected ${o.rejected}`;
  if (o.outcome === 'rejected') return `${what}: not planned (${o.code})`;
  if (o.outcome === 'unknown_partner') return `${what}: no such partner, nothing planned`;
  return `${what}: ${o.outcome === 'duplicate' ? 'planned before (the same object)' : 'not an upload (ignored)'}`;
}

function describeJob(body: string, outcome: 'done' | 'dead'): string {
  let job: { job?: string; partnerId?: string } = {};
  try {
    job = JSON.parse(body) as typeof job;
  } catch {}
  const what = `${job.job ?? 'a job'} for partner ${job.partnerId ?? '?'}`;
  return outcome === 'done' ? `${what}: done` : `${what}: failed every attempt (now in the dead-letter queue)`;
}

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

/** Creates the table (from the one table design), the bucket and the work queues, if they do not exist. */
async function bootstrap(aws: LocalAws): Promise<WorkQueues> {
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
  const sqs = new SQSClient(aws.clientConfig('sqs'));
  try {
    const deadLetterUrl = (await sqs.send(new CreateQueueCommand({ QueueName: LOCAL_NAMES.deadLetterQueue }))).QueueUrl!;
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: LOCAL_NAMES.workQueue,
          Attributes: { VisibilityTimeout: String(PARTNER_WORK_TIMEOUT_MINUTES * 60) },
        }),
      )
    ).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return { url, arn: Attributes?.QueueArn ?? '', deadLetterUrl };
  } finally {
    sqs.destroy();
  }
}
