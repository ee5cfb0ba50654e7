/**
 * The embedded local AWS: real implementations of the AWS wire APIs, started in-process,
 * each on a free port on 127.0.0.1, driven by the real AWS SDK v3 clients.
 *
 *   DynamoDB  dynalite          (on its own thread; LevelDB on disk under dataDir/dynamo, memory-level otherwise)
 *   S3        s3rver            (files under dataDir/s3, a temp dir otherwise)
 *   SES v2    aws-ses-v2-local  (mailbox persisted to dataDir/ses/store.json; web inbox)
 *   SQS       local-aws-sqs     (in memory: queued messages do not outlive the process)
 *
 * s3rver's object events are normalised to the real S3 notification shape and delivered to
 * `onS3Event` asynchronously, as S3 → Lambda would; `idle()` waits for every delivery.
 *
 * Limits worth knowing: dynalite has no transactions/PartiQL; the SES mailbox is one per
 * process (the emulator keeps it in a module-level store), so two LocalAws instances running
 * in the same process see the same mailbox.
 */
import '../quiet-sdk-notice.js'; // first: before any SDK client exists
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { encodeEventKey } from '../../shared/storage/bucket-layout.js';
import { isAddressInUse, PortTakenError } from '../port-taken.js';
import { startDynaliteThread } from './dynalite-thread.js';

export type { S3Event, S3EventRecord } from 'aws-lambda';

export type LocalAwsService = 'dynamodb' | 's3' | 'ses' | 'sqs';

export interface S3EventFilter {
  /** only this bucket (any bucket when absent) */
  bucket?: string;
  /** only keys starting with this (raw, unencoded key) */
  prefix?: string;
  /** only keys ending with one of these (raw, unencoded key), as S3 takes one notification per suffix */
  suffixes?: readonly string[];
}

export interface LocalAwsOptions {
  /** persist under it: dynamo/, s3/, ses/. In-memory / temp dir (removed on stop) when absent. */
  dataDir?: string;
  /** interface to listen on; default 127.0.0.1 */
  host?: string;
  /** fixed ports (a taken one fails with PortTakenError); free ones where absent */
  ports?: Partial<Record<LocalAwsService, number>> | undefined;
  /** the option that changes the ports, for PortTakenError's message */
  portsOption?: string | undefined;
  /** default true: the emulators print nothing */
  quiet?: boolean;
  /** called (asynchronously) for every ObjectCreated event, in the real S3 notification shape */
  onS3Event?: (event: S3Event) => void | Promise<void>;
  /** like an S3 notification filter: only matching objects are delivered to onS3Event */
  s3EventFilter?: S3EventFilter;
}

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Assignable to DynamoDBClientConfig / SESv2ClientConfig. */
export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: LocalCredentials;
}

/** Assignable to S3ClientConfig. */
export interface LocalS3ClientConfig extends LocalClientConfig {
  forcePathStyle: true;
  /**
   * s3rver does not understand the aws-chunked bodies with checksum trailers that SDK v3
   * sends by default since 3.729 (flexible checksums); only send checksums when an
   * operation requires them.
   */
  requestChecksumCalculation: 'WHEN_REQUIRED';
  responseChecksumValidation: 'WHEN_REQUIRED';
}

export interface LocalAwsEvents {
  /** an ObjectCreated event was dispatched to onS3Event (or would be, when there is none) */
  s3Event: [event: S3Event];
  /** onS3Event threw or rejected */
  s3EventError: [error: unknown, event: S3Event];
}

export interface LocalAws {
  endpoints: { dynamodb: string; s3: string; ses: string; sqs: string };
  region: 'us-east-1';
  credentials: LocalCredentials;
  /** the persistence root, or undefined when running in memory / temp dir */
  dataDir: string | undefined;
  /** the web inbox of the SES emulator */
  sesInboxUrl: string;
  events: EventEmitter<LocalAwsEvents>;
  clientConfig(service: 's3'): LocalS3ClientConfig;
  clientConfig(service: 'dynamodb' | 'ses' | 'sqs'): LocalClientConfig;
  clientConfig(service: LocalAwsService): LocalClientConfig | LocalS3ClientConfig;
  /** resolves once every dispatched onS3Event call (including ones they trigger) has settled */
  idle(): Promise<void>;
  /** closes all servers; idempotent. Does not wait for running onS3Event calls (use idle()). */
  stop(): Promise<void>;
}

export interface SentEmailAttachment {
  filename: string;
  contentType: string;
  size: number;
}

export interface SentEmail {
  messageId: string;
  /** as written by the sender, e.g. `"CSP Planner" <noreply@example.com>` */
  from: string;
  /** bare addresses */
  to: string[];
  replyTo: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html?: string;
  text?: string;
  attachments: SentEmailAttachment[];
  /** ISO time of arrival (the emulator records whole seconds) */
  at: string;
}

const REGION = 'us-east-1';
// The only key pair s3rver accepts (lib/models/account.js); the other emulators accept any.
const CREDENTIALS: LocalCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const FORCE_CLOSE_AFTER_MS = 1_000;

// ---- the emulators (CommonJS, untyped): the little of them we use -------------------------

interface S3rverRawRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  on(event: 'event', listener: (event: { Records: S3rverRawRecord[] }) => void): unknown;
}
type S3rverCtor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  resetOnClose: boolean;
}) => S3rverInstance;

interface SesStoredEmail {
  replyTo?: string[];
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string | false; text?: string };
  attachments: { contentType?: string; filename?: string; size?: number }[];
  at: number;
}
interface SesStoreModule {
  getStoreReadonly(): { emails: SesStoredEmail[]; templates: Map<string, unknown> };
  clearStore(): void;
}
type SesServer = (config: { host: string; port: number }) => Promise<Server>;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverCtor;
const sesServer = (require('aws-ses-v2-local') as { default: SesServer }).default;
const sesStore = require('aws-ses-v2-local/dist/store') as SesStoreModule;
const { createSqsServer } = require('local-aws-sqs') as typeof import('local-aws-sqs');

let runningInProcess = 0;

// ---- startLocalAws ---------------------------------------------------------------------------

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const host = options.host ?? '127.0.0.1';
  const quiet = options.quiet ?? true;
  const dataDir = options.dataDir;

  const tempDir = dataDir === undefined ? await mkdtemp(join(tmpdir(), 'cspmove-local-aws-')) : undefined;
  const dynamoDir = dataDir === undefined ? undefined : join(dataDir, 'dynamo');
  const s3Dir = join(dataDir ?? tempDir!, 's3');
  const sesFile = dataDir === undefined ? undefined : join(dataDir, 'ses', 'store.json');
  await mkdir(s3Dir, { recursive: true });
  if (dynamoDir) await mkdir(dynamoDir, { recursive: true });
  if (sesFile) await mkdir(join(dataDir!, 'ses'), { recursive: true });

  const events = new EventEmitter<LocalAwsEvents>();
  // An 'error' listener is not needed (we never emit 'error'); s3EventError is informational.
  const pending = new Set<Promise<void>>();
  let stopped = false;
  const started: { close: () => Promise<void> }[] = [];

  const closeAll = async (): Promise<void> => {
    const results = await Promise.allSettled(started.reverse().map((s) => s.close()));
    started.length = 0;
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };

  try {
    // DynamoDB
    const ports = options.ports ?? {};
    const listening = <T>(service: string, port: number | undefined, start: () => Promise<T>): Promise<T> =>
      start().catch((error: unknown) => {
        throw port && isAddressInUse(error) ? new PortTakenError(service, port, options.portsOption ?? 'other ports') : error;
      });
    const dynamo = await listening('DynamoDB', ports.dynamodb, () =>
      startDynaliteThread({ path: dynamoDir, host, port: ports.dynamodb, forceCloseAfterMs: FORCE_CLOSE_AFTER_MS }),
    );
    const dynamoPort = dynamo.port;
    started.push({ close: () => dynamo.close() });

    // S3
    const s3 = new S3rver({ address: host, port: ports.s3 ?? 0, silent: quiet, directory: s3Dir, resetOnClose: false });
    const s3Port = (await listening('S3', ports.s3, () => s3.run())).port;
    started.push({
      close: async () => {
        const server = s3.httpServer;
        if (server) await closeServer(server);
      },
    });

    // SES
    if (runningInProcess === 0) {
      sesStore.clearStore();
      if (sesFile) await loadSesStore(sesFile);
    }
    const ses = await listening('SES', ports.ses, () => sesServer({ host, port: ports.ses ?? 0 }));
    runningInProcess += 1;
    let persistTimer: NodeJS.Timeout | undefined;
    // Writes are chained: two overlapping saves would race on the same temporary file.
    let persisting: Promise<void> = Promise.resolve();
    const persistNow = (): Promise<void> => {
      if (persistTimer) clearTimeout(persistTimer);
      persistTimer = undefined;
      if (!sesFile) return persisting;
      persisting = persisting.catch(() => undefined).then(() => saveSesStore(sesFile));
      return persisting;
    };
    if (sesFile) {
      // persist after every request that can change the mailbox (sends, templates, clear)
      ses.on('request', (req, res) => {
        if (req.method === 'GET') return;
        res.on('finish', () => {
          if (persistTimer) clearTimeout(persistTimer);
          persistTimer = setTimeout(() => void persistNow().catch(() => undefined), 50);
          persistTimer.unref();
        });
      });
    }
    started.push({
      close: async () => {
        await closeServer(ses);
        await persistNow();
        runningInProcess -= 1;
      },
    });
    const sesPort = (ses.address() as AddressInfo).port;

    // SQS (queues are created by whoever uses them, as the stack's are)
    const sqs = await listening('SQS', ports.sqs, () =>
      createSqsServer({ port: ports.sqs ?? 0, hostname: host, validateDlqDestination: false }),
    );
    started.push({ close: () => closeServer(sqs) });
    const sqsPort = (sqs.address() as AddressInfo).port;

    // S3 → onS3Event bridge
    let sequence = 0n;
    const filter = options.s3EventFilter;
    s3.on('event', (raw) => {
      if (stopped) return;
      for (const record of raw.Records) {
        if (!record.eventName.startsWith('ObjectCreated:')) continue;
        const { name: bucket } = record.s3.bucket;
        const { key } = record.s3.object;
        if (filter?.bucket !== undefined && filter.bucket !== bucket) continue;
        if (filter?.prefix !== undefined && !key.startsWith(filter.prefix)) continue;
        if (filter?.suffixes !== undefined && !filter.suffixes.some((suffix) => key.endsWith(suffix))) continue;
        sequence += 1n;
        const event: S3Event = { Records: [toAwsRecord(record, sequence)] };
        events.emit('s3Event', event);
        const handler = options.onS3Event;
        if (!handler) continue;
        // delivered after the PutObject response, like S3 → Lambda
        const delivery = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => handler(event))
          .catch((error: unknown) => {
            if (!quiet) process.stderr.write(`local-aws: onS3Event failed for s3://${bucket}/${key}: ${describe(error)}\n`);
            events.emit('s3EventError', error, event);
          })
          .finally(() => pending.delete(delivery));
        pending.add(delivery);
      }
    });

    const url = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const endpoints = { dynamodb: url(dynamoPort), s3: url(s3Port), ses: url(sesPort), sqs: url(sqsPort) };

    let stopping: Promise<void> | undefined;
    function clientConfig(service: 's3'): LocalS3ClientConfig;
    function clientConfig(service: 'dynamodb' | 'ses' | 'sqs'): LocalClientConfig;
    function clientConfig(service: LocalAwsService): LocalClientConfig | LocalS3ClientConfig;
    function clientConfig(service: LocalAwsService): LocalClientConfig | LocalS3ClientConfig {
      const base: LocalClientConfig = { region: REGION, endpoint: endpoints[service], credentials: { ...CREDENTIALS } };
      if (service !== 's3') return base;
      return {
        ...base,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      };
    }

    return {
      endpoints,
      region: REGION,
      credentials: { ...CREDENTIALS },
      dataDir,
      sesInboxUrl: `${endpoints.ses}/`,
      events,
      clientConfig,
      async idle() {
        // handlers may write to S3 and so dispatch further events: loop until quiet
        while (pending.size > 0) await Promise.allSettled([...pending]);
      },
      stop() {
        stopped = true;
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    stopped = true;
    await closeAll().catch(() => undefined);
    throw error;
  }
}

// ---- SES mailbox -----------------------------------------------------------------------------

/** Every e-mail the SES emulator received, in order of arrival (read through its HTTP API). */
export async function listSentEmails(local: Pick<LocalAws, 'endpoints'>): Promise<SentEmail[]> {
  const response = await fetch(`${local.endpoints.ses}/store`);
  if (!response.ok) throw new Error(`SES emulator GET /store answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: SesStoredEmail[] };
  return emails.map(toSentEmail);
}

/**
 * What listSentEmails returns, read from the emulator's store in this process (the mailbox is
 * one per process) instead of over HTTP, which sends every body and attachment along: for tests
 * that look at a large mailbox often.
 */
export function sentEmailsInProcess(): SentEmail[] {
  return sesStore.getStoreReadonly().emails.map(toSentEmail);
}

/** Empties the SES emulator's mailbox (and its stored templates). */
export async function clearSentEmails(local: Pick<LocalAws, 'endpoints'>): Promise<void> {
  const response = await fetch(`${local.endpoints.ses}/clear-store`, { method: 'POST' });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`SES emulator POST /clear-store answered ${response.status}`);
}

function toSentEmail(email: SesStoredEmail): SentEmail {
  const sent: SentEmail = {
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to.flatMap(parseAddresses),
    replyTo: (email.replyTo ?? []).flatMap(parseAddresses),
    cc: email.destination.cc.flatMap(parseAddresses),
    bcc: email.destination.bcc.flatMap(parseAddresses),
    subject: email.subject,
    attachments: email.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType ?? 'application/octet-stream',
      size: a.size ?? 0,
    })),
    at: new Date(email.at * 1000).toISOString(),
  };
  if (typeof email.body.html === 'string' && email.body.html !== '') sent.html = email.body.html;
  if (typeof email.body.text === 'string' && email.body.text !== '') sent.text = email.body.text;
  return sent;
}

/**
 * The emulator stores a raw message's To/Cc header as one string per header
 * ("A <a@x>, b@y"); split it into bare addresses.
 */
export function parseAddresses(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle += 1;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if (ch === ',' && !quoted && angle === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((part) => {
      const bracketed = /<([^<>]*)>\s*$/.exec(part);
      return (bracketed?.[1] ?? part).trim();
    })
    .filter((address) => address !== '');
}

async function loadSesStore(file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return; // nothing persisted yet
  }
  const saved = JSON.parse(text) as { emails?: SesStoredEmail[]; templates?: [string, unknown][] };
  const store = sesStore.getStoreReadonly();
  store.emails.push(...(saved.emails ?? []));
  for (const [name, template] of saved.templates ?? []) store.templates.set(name, template);
}

async function saveSesStore(file: string): Promise<void> {
  const store = sesStore.getStoreReadonly();
  const text = JSON.stringify({ emails: store.emails, templates: [...store.templates] });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

// ---- S3 events -------------------------------------------------------------------------------

function toAwsRecord(raw: S3rverRawRecord, sequence: bigint): S3EventRecord {
  const { name: bucket } = raw.s3.bucket;
  const { key, size, eTag } = raw.s3.object;
  // s3rver reports CompleteMultipartUpload as ObjectCreated:Post; a multipart ETag ends in -N
  const eventName =
    raw.eventName === 'ObjectCreated:Post' && eTag !== undefined && /-\d+$/.test(eTag)
      ? 'ObjectCreated:CompleteMultipartUpload'
      : raw.eventName;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: raw.eventTime,
    eventName,
    userIdentity: { principalId: 'AWS:LOCALAWSUSER' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomHex(16),
      'x-amz-id-2': randomHex(32),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local-aws-notification',
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: 'LOCALAWSOWNER' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: encodeEventKey(key),
        size: size ?? 0,
        eTag: (eTag ?? '').replace(/"/g, ''),
        // hex, strictly increasing within this process, like S3's per-key sequencer
        sequencer: (BigInt(Date.now()) * 1_000_000n + (sequence % 1_000_000n)).toString(16).toUpperCase().padStart(18, '0'),
      },
    },
  };
}

// ---- helpers ---------------------------------------------------------------------------------

/** close(), and if clients still hold connections after a grace period, drop them. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 16).toString(16);
  return out.toUpperCase();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
