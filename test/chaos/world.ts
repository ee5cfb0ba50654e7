/**
 * The world the reliability scenarios run in: the local stack (the real handlers on dynalite,
 * s3rver and the SES emulator) with S3 events delivered by hand, as Lambda would (including its
 * retries), fault injection on the handlers' SDK clients, and helpers to read what the system
 * left behind: a partner's plan items, reports, e-mails and logs.
 *
 * Partners are the unit of isolation: every scenario runs under its own partner ids, and a
 * "clean run" is the same file uploaded at the same time under another partner, so two plans
 * compare item by item once the partner's own id is taken out.
 */
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { type SentEmail, sentEmailsInProcess } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { type PartnerSettingsInput, parseSettings } from '../../shared/domain/partner-settings.js';
import { decodeEventKey } from '../../shared/storage/bucket-layout.js';
import type { UploadOutcome } from '../../shared/use-cases/plan-upload.js';
import { csvOf, type RowSpec } from '../support/plan-csv.js';
import { type Chaos, installChaos, rng } from './faults.js';

type Repository = typeof import('../../shared/storage/dynamodb/table-client.js');
type Store = typeof import('../../shared/storage/dynamodb/dynamodb-plan-store.js')['planStore'];
type Item = Record<string, unknown>;

export interface World {
  stack: LocalStack;
  s3: S3Client;
  chaos: Chaos;
  /** The table's raw items, to check what the system left behind. */
  repo: Repository;
  store: Store;
  /** The scheduled runs' fan-out: one job per partner on the work queue. */
  fanOut: typeof import('../../functions/schedule-fan-out/handler.js');
  /** The latest S3 event seen for each (decoded) key. */
  events: Map<string, S3Event>;
  stop(): Promise<void>;
}

export async function startWorld(dataDir?: string): Promise<World> {
  const stack = await startLocalStack({ dataDir });
  stack.deliverUploads = false; // scenarios deliver events themselves, as Lambda would
  const events = new Map<string, S3Event>();
  stack.aws.events.on('s3Event', (event) => events.set(decodeEventKey(event.Records[0]!.s3.object.key)!, event));
  const s3 = new S3Client(stack.aws.clientConfig('s3'));
  const world: World = {
    stack,
    s3,
    chaos: await installChaos(),
    repo: await import('../../shared/storage/dynamodb/table-client.js'),
    store: (await import('../../shared/storage/dynamodb/dynamodb-plan-store.js')).planStore,
    fanOut: await import('../../functions/schedule-fan-out/handler.js'),
    events,
    async stop() {
      s3.destroy();
      await stack.stop();
    },
  };
  return world;
}

// --- time ------------------------------------------------------------------------------------

export const at = (iso: string, hour: number, minute = 0) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000 + minute * 60_000);
export const plusMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);
export const isoOf = (date: Date) => date.toISOString().slice(0, 10);

// --- partners and uploads ---------------------------------------------------------------------

export const emailOf = (partnerId: string) => `ops@${partnerId}.example`;

export async function addPartner(w: World, partnerId: string, extra: PartnerSettingsInput = {}): Promise<void> {
  // One name for all: digests of different partners then differ only by the partner id.
  const settings = parseSettings({ partner_id: partnerId, name: 'Reliability Partner', email: emailOf(partnerId), ...extra });
  await w.store.savePartnerSettings({ ...settings, partner_id: partnerId });
}

/** Puts an object and returns its S3 event, timed `when` (not delivered: see invoke/lambda). */
export async function putObject(w: World, key: string, body: string | Buffer, when: Date): Promise<S3Event> {
  w.events.delete(key);
  await w.s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key, Body: Buffer.from(body) }));
  for (let i = 0; i < 200 && !w.events.has(key); i++) await new Promise((r) => setTimeout(r, 5));
  const event = w.events.get(key);
  if (!event) throw new Error(`No S3 event for ${key}`);
  return withTime(event, when);
}

export async function deleteObject(w: World, key: string): Promise<void> {
  await w.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
}

export function withTime(event: S3Event, when: Date): S3Event {
  return { Records: event.Records.map((r) => ({ ...r, eventTime: when.toISOString() })) };
}

/** An S3 event for `encodedKey` (as S3 would send it, URL-encoded), shaped like `like`. */
export function forgedEvent(like: S3Event, encodedKey: string, when: Date): S3Event {
  const [record] = like.Records;
  return {
    Records: [{ ...record!, eventTime: when.toISOString(), s3: { ...record!.s3, object: { ...record!.s3.object, key: encodedKey } } }],
  };
}

export interface Delivery {
  /** The function's result, or undefined when every attempt failed (the event went to the DLQ). */
  outcomes: UploadOutcome[] | undefined;
  attempts: number;
  errors: unknown[];
}

/**
 * Delivers an event as Lambda's asynchronous invocation does: up to 3 attempts under one request
 * id, 1 and then 2 minutes apart (on the stack's clock, which starts at `when`).
 */
export async function lambda(
  w: World,
  event: S3Event,
  when: Date,
  options: { requestId?: string; attempts?: number } = {},
): Promise<Delivery> {
  const requestId = options.requestId ?? randomUUID();
  const errors: unknown[] = [];
  w.stack.clock.now = when;
  const max = options.attempts ?? 3;
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      return { outcomes: await w.stack.invokeUpload(event, { requestId }), attempts: attempt, errors };
    } catch (error) {
      errors.push(error);
      w.stack.clock.now = plusMinutes(w.stack.clock.now, attempt === 1 ? 1 : 2);
    }
  }
  return { outcomes: undefined, attempts: max, errors };
}

/** One direct invocation at `when` (no retry). */
export async function invokeOnce(
  w: World,
  event: S3Event,
  when: Date,
  requestId: string = randomUUID(),
): Promise<{ outcomes?: UploadOutcome[]; error?: unknown }> {
  w.stack.clock.now = when;
  try {
    return { outcomes: await w.stack.invokeUpload(event, { requestId }) };
  } catch (error) {
    return { error };
  }
}

export const uploadKey = (partnerId: string, name = 'portfolio.csv') => `uploads/${partnerId}/${name}`;

/** Adds the partner, puts the file and delivers its event once, cleanly. */
export async function cleanUpload(w: World, partnerId: string, csv: string, when: Date): Promise<Delivery> {
  await addPartner(w, partnerId);
  const event = await putObject(w, uploadKey(partnerId), csv, when);
  return lambda(w, event, when);
}

// --- what the system left behind -----------------------------------------------------------------

export async function items(_w: World, partnerId: string, prefix = ''): Promise<Item[]> {
  const { allPartnerItems } = await import('../support/partner-items.js');
  return allPartnerItems(partnerId, prefix);
}

/**
 * A partner's plan (every SUB# and CUST# item) with what depends on the partner id itself taken
 * out, so two partners' plans compare: the partition key, the upload id (a hash of the key) and
 * the due index's partition (both are checked to be the item's shard instead).
 */
export async function planSnapshot(w: World, partnerId: string): Promise<{ items: string[]; uploadIds: string[]; shardsOk: boolean }> {
  const { keys, dueKeys } = await import('../../shared/storage/dynamodb/table-design.js');
  const list = [...(await items(w, partnerId, 'CUST#')), ...(await items(w, partnerId, 'SUB#'))];
  let shardsOk = true;
  const uploadIds = new Set<string>();
  const normalized = list.map((item) => {
    const { pk, uploadId, gsi1pk, gsi1sk, ...rest } = item;
    const sk = String(item.sk);
    if (pk !== keys.planPartition(partnerId, sk.slice(sk.indexOf('#') + 1))) shardsOk = false;
    if (gsi1pk !== undefined && gsi1pk !== dueKeys(String(pk), sk, 0).gsi1pk) shardsOk = false;
    uploadIds.add(String(uploadId));
    const due = gsi1sk;
    return JSON.stringify(sortKeys({ ...rest, due }));
  });
  return { items: normalized.sort(), uploadIds: [...uploadIds], shardsOk };
}

function sortKeys(o: Item): Item {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Items in `a` not in `b` and vice versa (normalized JSON), for a readable failure. */
export function planDiff(a: string[], b: string[]): { onlyIn: string[]; missing: string[] } {
  const setA = new Set(a);
  const setB = new Set(b);
  return { onlyIn: a.filter((x) => !setB.has(x)).slice(0, 5), missing: b.filter((x) => !setA.has(x)).slice(0, 5) };
}

export async function listKeys(w: World, prefix: string): Promise<{ key: string; eTag: string }[]> {
  const out: { key: string; eTag: string }[] = [];
  let token: string | undefined;
  do {
    const page = await w.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, eTag: o.ETag ?? '' });
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

export async function objectText(w: World, key: string): Promise<string> {
  const object = await w.s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
  return object.Body!.transformToString();
}

/** Every e-mail the SES emulator holds, by recipient. */
export async function mailbox(_w: World): Promise<Map<string, SentEmail[]>> {
  const byTo = new Map<string, SentEmail[]>();
  for (const mail of sentEmailsInProcess()) {
    for (const to of mail.to) byTo.set(to, [...(byTo.get(to) ?? []), mail]);
  }
  return byTo;
}

export const isReportMail = (m: SentEmail) => m.subject.startsWith('CSP move plan');
export const isDailyDigest = (m: SentEmail) => m.subject.startsWith('CSP moves for ');
export const isWeeklyDigest = (m: SentEmail) => m.subject.startsWith('CSP weekly digest');

// --- a generated portfolio -------------------------------------------------------------------------

/**
 * A deterministic portfolio of `rows` subscriptions as of `today`: customers with 1–4
 * subscriptions ending over the next 8 months, some add-ons, accepted invitations, provisioned
 * moves, auto-renewals, a few customers abroad (ineligible) — so that every kind of reminder
 * falls due in the first weeks. Ids are `cust-NNNNN` and `sub-NNNNN-K`.
 */
export function portfolioCsv(rows: number, seed: number, today: string): string {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const offers = ['Office 365 E3', 'Microsoft 365 Business Premium', 'Office 365 E1', 'Microsoft 365 E5', 'Exchange Online (Plan 1)'];
  const specs: RowSpec[] = [];
  const base = isoToDay(today);
  for (let c = 1; specs.length < rows; c++) {
    const customer = `cust-${String(c).padStart(5, '0')}`;
    const accepted = r() < 0.2;
    const abroad = r() < 0.04;
    const subs = 1 + Math.floor(r() * 4);
    for (let k = 1; k <= subs && specs.length < rows; k++) {
      const sub = `sub-${String(c).padStart(5, '0')}-${k}`;
      const end = dayToIso(base + 3 + Math.floor(r() * 240));
      const spec: RowSpec = {
        customer,
        name: `Kunde ${c} GmbH`,
        email: `admin@kunde${c}.example`,
        country: abroad ? 'DE' : '',
        sub,
        offer: pick(offers),
        seats: 1 + Math.floor(r() * 300),
        program: r() < 0.3 ? 'Enterprise' : 'Open',
        end,
        autoRenew: r() < 0.3 ? 'yes' : '',
        price: (5 + Math.floor(r() * 5000) / 100).toFixed(2),
        status: r() < 0.05 ? 'provisioned' : '',
        invitation: accepted ? 'accepted' : '',
      };
      specs.push(spec);
      if (r() < 0.12 && specs.length < rows) {
        specs.push({ ...spec, sub: `${sub}-addon`, offer: 'Exchange Online Archiving', seats: spec.seats, base: sub, status: '' });
      }
    }
  }
  return csvOf(specs);
}

// --- digests ----------------------------------------------------------------------------------

/**
 * A digest as text, with the partner's own id and address taken out. An action link's token is
 * signed over the partner id, so it is shown by its claims.
 */
export function normalizedDigest(mail: SentEmail, partnerId: string): string {
  const text = `${mail.subject}\n${mail.text ?? ''}`.replace(
    /\?t=[\w-]+\.([\w-]+)\.[\w-]+/g,
    (_, payload: string) => `?claims=${Buffer.from(payload, 'base64url').toString('utf8')}`,
  );
  return text.split(emailOf(partnerId)).join('<partner e-mail>').split(partnerId).join('<partner>');
}

/** A partner's daily and weekly digests by day (several on one day show up as a list). */
export function digestsByDay(mails: SentEmail[], partnerId: string): Map<string, string[]> {
  const byDay = new Map<string, string[]>();
  for (const mail of mails) {
    const day = /(?:CSP moves for|week of) (\d{4}-\d{2}-\d{2})/.exec(mail.subject)?.[1];
    if (!day || !(isDailyDigest(mail) || isWeeklyDigest(mail))) continue;
    const key = `${day} ${isDailyDigest(mail) ? 'daily' : 'weekly'}`;
    byDay.set(key, [...(byDay.get(key) ?? []), normalizedDigest(mail, partnerId)]);
  }
  return byDay;
}

/**
 * The reminders a daily digest carries, one string per reminder: an invitation by its customer
 * (its "by"/"OVERDUE" wording depends on the day it went out, so it is left off), a move and an
 * expiry reminder by their whole line.
 */
export function remindersOf(mail: SentEmail): string[] {
  const text = mail.text ?? '';
  const out: string[] = [];
  let sectionName = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(Invitations to send|Moves today|Expiry reminders) \(/.exec(line);
    if (heading) {
      sectionName = heading[1]!;
      continue;
    }
    if (!line.startsWith('• ')) continue;
    if (sectionName === 'Invitations to send') {
      out.push(`invitation ${/\((cust-\d+)[,)]/.exec(line)?.[1] ?? line}`);
    } else if (sectionName === 'Moves today') {
      out.push(`move ${line}`);
    } else if (sectionName === 'Expiry reminders') {
      // The move day it names is the plan's on the day the digest goes out (the daily re-plan):
      // a digest sent a day late by a fault names that day's, and is still the same reminder.
      out.push(`expiry ${line.replace(/ in CSP on \d{4}-\d{2}-\d{2}\./, ' in CSP on its move day.')} ${lines[i + 1]?.trim() ?? ''}`);
    }
  }
  return out;
}

/**
 * A reminder's identity, whatever the words of the day it went out: a customer's invitation, a
 * subscription's move, a subscription's expiry reminder.
 */
function reminderKey(line: string): string {
  const [kind] = line.split(' ', 1);
  if (kind === 'invitation') return line;
  return `${kind} ${/\bsub-[\w-]+/.exec(line)?.[0] ?? line}`;
}

/**
 * The faulty partner's daily digests against the clean run's. A digest covers the days since the
 * partner's previous one, so a digest that follows a failed day carries what the failed one
 * would have said — the same reminder once, where the clean run had said it on two days (a move
 * not yet made is listed each day it is due; an expiry reminder may name a risk that changed).
 * So, for each faulty digest: the reminders the clean run sent over the days it covers, each
 * once, must be exactly those it carries. `lost` is what it left out, `doubled` what it carried
 * that none of those clean digests did; clean digests after the last faulty one count as lost.
 *
 * One exception, `replanned`: a move the clean run listed on a failed day of the window, that the
 * clean run's own digest of the day the faulty one went out does not list. A move not provisioned
 * on its day is planned again the next morning for a day from then on (both runs plan alike), so
 * by that day it is no longer a move of the days the digest covers: it is listed on its new day
 * in both runs (compared in that day's window), or never again in either — a move that keeps
 * losing the day's capacity once its end date has passed. A move the clean run lists on the
 * faulty digest's own day is due in both, and missing it is `lost`.
 */
export function compareDigestWindows(
  clean: SentEmail[],
  faulty: SentEmail[],
): { lost: string[]; doubled: string[]; replanned: string[]; compared: number; neverSent: string[]; moreOften: string[] } {
  const dayOf = (m: SentEmail) => /CSP moves for (\d{4}-\d{2}-\d{2})/.exec(m.subject)![1]!;
  const keys = (mails: SentEmail[]) => [...new Set(mails.flatMap(remindersOf).map(reminderKey))];
  const lost: string[] = [];
  const doubled: string[] = [];
  const replanned: string[] = [];
  let compared = 0;
  let from = '';
  const digests = [...faulty].sort((a, b) => dayOf(a).localeCompare(dayOf(b)));
  for (const digest of digests) {
    const to = dayOf(digest);
    const expected = keys(clean.filter((m) => dayOf(m) > from && dayOf(m) <= to));
    const dueThatDay = keys(clean.filter((m) => dayOf(m) === to));
    const got = keys([digest]);
    for (const key of expected.filter((x) => !got.includes(x)))
      (key.startsWith('move ') && !dueThatDay.includes(key) ? replanned : lost).push(`${to}: ${key}`);
    doubled.push(...got.filter((x) => !expected.includes(x)).map((x) => `${to}: ${x}`));
    compared += expected.length;
    from = to;
  }
  lost.push(...keys(clean.filter((m) => dayOf(m) > from)).map((x) => `after ${from}: ${x}`));
  return { lost, doubled, replanned, compared, ...overTheMonth(clean, faulty) };
}

/**
 * The same over the whole run, by reminder: each reminder the clean run sent was sent (`neverSent`
 * lists those that were not), and none more often than the clean run sent it (`moreOften`).
 */
function overTheMonth(clean: SentEmail[], faulty: SentEmail[]): { neverSent: string[]; moreOften: string[] } {
  const counts = (mails: SentEmail[]) => {
    const n = new Map<string, number>();
    for (const m of mails) for (const key of new Set(remindersOf(m).map(reminderKey))) n.set(key, (n.get(key) ?? 0) + 1);
    return n;
  };
  const expected = counts(clean);
  const got = counts(faulty);
  return {
    neverSent: [...expected.keys()].filter((key) => !got.has(key)),
    moreOften: [...got]
      .filter(([key, n]) => n > (expected.get(key) ?? 0))
      .map(([key, n]) => `${key} ×${n} (clean ×${expected.get(key) ?? 0})`),
  };
}

/** Multiset difference: what `a` holds more often than `b`. */
export function extra(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

// --- scheduled runs ------------------------------------------------------------------------------

export interface ScheduledStats {
  /** partner jobs run (each partner's daily and weekly job) */
  invocations: number;
  /** attempts that failed and were retried (Scheduler's retries of the fan-out, the queue's of a job) */
  lambdaRetries: number;
  /** fan-outs and jobs that failed every attempt (they went to the dead-letter queue) */
  deadLettered: number;
}

/**
 * Runs the daily and the weekly schedule at `when` as Scheduler → fan-out → queue → partner-work
 * would, retries included.
 */
export async function runScheduled(w: World, when: Date, stats: ScheduledStats): Promise<void> {
  w.stack.clock.now = when;
  for (const job of ['daily-digest', 'weekly-digest'] as const) {
    let ok = false;
    for (let attempt = 1; attempt <= 3 && !ok; attempt++) {
      try {
        await w.fanOut.handler({ time: when.toISOString(), job });
        ok = true;
      } catch {
        if (attempt < 3) stats.lambdaRetries++;
      }
    }
    if (!ok) stats.deadLettered++;
  }
  const work = await w.stack.drainWork();
  stats.invocations += work.jobs;
  stats.lambdaRetries += work.retries;
  stats.deadLettered += work.deadLettered;
}

// --- logs ------------------------------------------------------------------------------------------

/**
 * Runs `fn` with the application's logger at `level`, capturing what it writes (Powertools
 * writes JSON lines to stdout/stderr through its own Console) instead of printing it.
 */
export async function captureLogs<T>(level: 'DEBUG' | 'INFO' | 'WARN', fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const { logger } = await import('../../shared/log.js');
  const previous = logger.getLevelName();
  const lines: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const grab = ((chunk: unknown, ...rest: unknown[]) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    const callback = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  logger.setLogLevel(level);
  try {
    const result = await fn();
    return { result, lines };
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    logger.setLogLevel(previous);
  }
}

/** Anything shaped like an e-mail address. */
export const ADDRESS = /[A-Za-z0-9._%+'=-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
