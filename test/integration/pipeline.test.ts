/**
 * The serverless pipeline on the embedded AWS (dynalite, s3rver, SES emulator) through the real
 * SDK: upload → plan in DynamoDB → reports in S3 → e-mails; then months of scheduled runs.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentEmails, type SentEmail } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { calendarFor } from '../../shared/domain/calendar.js';
import { PLANNER_INPUT_COLUMNS } from '../../shared/domain/columns.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { graceDays, parseLifecycle } from '../../shared/domain/lifecycle.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { nextDigestDay } from '../../shared/domain/reminders.js';
import { readCustomer, readSubscription } from '../../shared/storage/dynamodb/item-codec.js';
import { type CsvRow, csvOf, parseCsv, planCsv, type RowSpec } from '../support/plan-csv.js';

let stack: LocalStack;
let s3: S3Client;
let dataDir: string;
let repo: typeof import('../../shared/storage/dynamodb/table-client.js');
let uploadHandler: typeof import('../../functions/plan-upload/handler.js');
const captured: S3Event[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cspmove-it-'));
  stack = await startLocalStack({ dataDir });
  stack.aws.events.on('s3Event', (event) => captured.push(event));
  s3 = new S3Client(stack.aws.clientConfig('s3'));
  repo = await import('../../shared/storage/dynamodb/table-client.js');
  uploadHandler = await import('../../functions/plan-upload/handler.js');
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const at = (iso: string, hour: number) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);

async function addPartner(partnerId: string, extra: Record<string, unknown> = {}) {
  const settings = parseSettings({ partner_id: partnerId, name: `Partner ${partnerId}`, email: `ops@${partnerId}.example`, ...extra });
  await (await import('../../shared/storage/dynamodb/dynamodb-plan-store.js')).planStore.savePartnerSettings({
    ...settings,
    partner_id: partnerId,
  });
  return settings;
}

async function upload(partnerId: string, name: string, body: string | Buffer, when: Date) {
  stack.clock.now = when;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/${name}`, Body: body }));
  await stack.settled();
}

async function mailsTo(address: string): Promise<SentEmail[]> {
  return (await listSentEmails(stack.aws)).filter((m) => m.to.includes(address));
}

async function items(partnerId: string, prefix: string) {
  const { allPartnerItems } = await import('../support/partner-items.js');
  return allPartnerItems(partnerId, prefix);
}

async function text(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
  return object.Body!.transformToString();
}

describe('an upload', () => {
  const sample = readFileSync('examples/customers.csv', 'utf8');

  it('is planned into DynamoDB, written to S3 and e-mailed, matching the offline plan', async () => {
    await addPartner('p-int');
    await upload('p-int', 'customers.csv', sample, at('2026-12-01', 6));
    const offline = await planCsv(sample, { today: '2026-12-01', settings: { partner_id: 'p-int' } });

    // What the scheduled runs read of each planned row is stored, and nothing else: the whole
    // row (action sentence, costs, …) stays in plan.csv.
    const subs = await items('p-int', 'SUB#');
    expect(subs).toHaveLength(offline.plan.length);
    for (const row of offline.plan) {
      const item = subs.find((s) => s.sk === `SUB#${row.subscription_id}`)!;
      expect(readSubscription(item), row.subscription_id).toEqual({
        subscriptionId: row.subscription_id,
        customerId: row.customer_id,
        customerName: row.customer_name,
        offer: row.offer,
        targetOffer: row.target_offer,
        seats: Number(row.seats),
        endDate: row.end_date,
        moveOn: row.move_on || undefined,
        risk: row.risk,
        autoRenew: row.auto_renew === 'yes',
        provisioned: parseLifecycle(row.status) === 'provisioned',
        state: parseLifecycle(row.status) === 'provisioned' ? 'provisioned' : 'planned',
        invitationAccepted: row.invitation_status === 'accepted',
        missing: false,
      });
      expect(
        Object.keys(item)
          .filter((k) => !k.startsWith('gsi1'))
          .sort(),
        row.subscription_id,
      ).toEqual(['input', 'pk', 'plan', 'sk', 'uploadId']);
      // Every planner input of the row, as plan.csv lists it: the plan can be computed again without the file.
      // (plan.csv shows the partner's country where the file gave none; the input keeps what the file gave.)
      const [rowNumber, ...cells] = JSON.parse(item.input as string) as [number, ...string[]];
      expect(rowNumber).toBe(Number(row.row));
      PLANNER_INPUT_COLUMNS.forEach((c, k) => {
        if (c === 'country') expect(['', row.country]).toContain(cells[k]);
        else expect(cells[k], `${row.subscription_id} ${c}`).toBe(c === 'target_offer' && row.target_offer === row.offer ? '' : row[c]);
      });
    }
    // One customer item per customer, with its invitation state and what the digests show.
    const customers = await items('p-int', 'CUST#');
    const customerIds = [...new Set(offline.plan.map((r) => r.customer_id!))];
    expect(customers).toHaveLength(customerIds.length);
    for (const id of customerIds) {
      const rows = offline.plan.filter((r) => r.customer_id === id);
      const moves = rows
        .map((r) => r.move_on!)
        .filter(Boolean)
        .sort();
      const moving = rows.filter((r) => r.move_on);
      const item = customers.find((c) => c.sk === `CUST#${id}`)!;
      expect(readCustomer(item), id).toEqual({
        customerId: id,
        customerName: rows[0]!.customer_name,
        contactEmail: rows[0]!.contact_email || undefined,
        invitationStatus: rows[0]!.invitation_status,
        inviteBy: rows[0]!.invite_by || undefined,
        firstMove: moves[0],
        lastEndDate: rows
          .map((r) => r.end_date!)
          .sort()
          .at(-1),
        subscriptions: rows.length,
        firstEndDate: moving.map((r) => r.end_date!).sort()[0],
        firstAccessEnd: moving.map((r) => dayToIso(isoToDay(r.end_date!) + graceDays(r.licensing_program))).sort()[0],
      });
      expect(
        Object.keys(item)
          .filter((k) => !k.startsWith('gsi1'))
          .sort(),
        id,
      ).toEqual(['pk', 'plan', 'sk', 'uploadId']);
    }

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: 'reports/p-int/' }));
    const names = (listed.Contents ?? []).map((o) => o.Key!.split('/').pop()).sort();
    expect(names).toEqual(['errors.csv', 'plan.csv', 'report.html']);
    const prefix = listed.Contents![0]!.Key!.replace(/[^/]+$/, '');
    expect(await text(`${prefix}plan.csv`)).toBe(offline.planCsv);
    expect(await text(`${prefix}errors.csv`)).toBe(offline.errorsCsv);
    expect(await text(`${prefix}report.html`)).toMatch(/^<!doctype html>/i);

    const mails = await mailsTo('ops@p-int.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^CSP move plan: 60 subscriptions planned, 0 rejected/);
    expect(mails[0]!.to).toEqual(['ops@p-int.example']);
    expect(mails[0]!.attachments.map((a) => a.filename).sort()).toEqual(['errors.csv', 'plan.csv']);
    // The attachments are the reports as written (kept while writing, not read back from S3).
    const attached = Object.fromEntries(mails[0]!.attachments.map((a) => [a.filename, a.size]));
    expect(attached).toEqual({ 'plan.csv': Buffer.byteLength(offline.planCsv), 'errors.csv': Buffer.byteLength(offline.errorsCsv) });
  });

  it('delivered twice (also concurrently) is planned once and e-mailed once', async () => {
    await addPartner('p-dup');
    await upload('p-dup', 'customers.csv', sample, at('2026-12-01', 6));
    const event = captured.find((e) => e.Records[0]!.s3.object.key.startsWith('uploads/p-dup/'))!;
    const timed: S3Event = { Records: event.Records.map((r) => ({ ...r, eventTime: at('2026-12-01', 6).toISOString() })) };
    const outcomes = await Promise.all([uploadHandler.handler(timed), uploadHandler.handler(timed)]);
    expect(outcomes.flat().map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await items('p-dup', 'UPLOAD#')).toHaveLength(1);
    expect(await mailsTo('ops@p-dup.example')).toHaveLength(1);
    expect(await items('p-dup', 'SUB#')).toHaveLength(60);
  });

  it('from an unknown partner plans nothing and leaves an error report', async () => {
    await upload('p-nobody', 'customers.csv', sample, at('2026-12-01', 6));
    expect(await items('p-nobody', '')).toEqual([]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: 'reports/p-nobody/' }));
    const errors = listed.Contents!.find((o) => o.Key!.endsWith('errors.csv'))!;
    expect(await text(errors.Key!)).toContain('unknown_partner');
  });

  it('that is not a CSV is rejected with an error report and a failure e-mail, no plan', async () => {
    await addPartner('p-bad');
    await upload('p-bad', 'workbook.csv', Buffer.from('PK\x03\x04 not really a csv', 'latin1'), at('2026-12-01', 6));
    expect(await items('p-bad', 'SUB#')).toEqual([]);
    const [record] = await items('p-bad', 'UPLOAD#');
    expect(record).toMatchObject({ status: 'rejected', code: 'not_csv' });
    const mails = await mailsTo('ops@p-bad.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/could not be planned/);
  });

  it('a newer full upload flags subscriptions it no longer lists, without deleting them (a first upload reads none back)', async () => {
    await addPartner('p-full');
    const rows: RowSpec[] = [
      { customer: 'c1', sub: 'keep', end: '2027-04-30' },
      { customer: 'c1', sub: 'dropped', end: '2027-04-30' },
    ];
    // Subscription items read back (the missing-subscription pass): none on the partner's first
    // upload, where nothing can be missing; the second reads them.
    const reads: string[] = [];
    repo.tableClient().middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { KeyConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };
        if (
          String(input.ExpressionAttributeValues?.[':pk']).startsWith('P#p-full#') &&
          input.ExpressionAttributeValues?.[':prefix'] === 'SUB#'
        )
          reads.push(String(input.KeyConditionExpression));
        return next(args);
      },
      { step: 'initialize', name: 'countSubscriptionReads' },
    );
    try {
      await upload('p-full', 'first.csv', csvOf(rows), at('2026-12-01', 6));
      expect(reads).toEqual([]);
      await upload('p-full', 'second.csv', csvOf(rows.slice(0, 1)), at('2026-12-02', 6));
      expect(reads.length).toBeGreaterThan(0);
    } finally {
      repo.tableClient().middlewareStack.remove('countSubscriptionReads');
    }
    const subs = await items('p-full', 'SUB#');
    const keep = subs.find((s) => s.sk === 'SUB#keep')!;
    const dropped = subs.find((s) => s.sk === 'SUB#dropped')!;
    expect(readSubscription(keep).missing).toBe(false);
    expect(keep.missing).toBeUndefined();
    expect(keep.gsi1pk).toBeDefined();
    expect(dropped).toMatchObject({ missing: true, missingSince: at('2026-12-02', 6).toISOString() });
    expect(readSubscription(dropped).missing).toBe(true);
    expect(dropped.gsi1pk).toBeUndefined();
  });
});

// --- reminders ------------------------------------------------------------------------------

/** What one day's digest listed, read from its plain-text twin. */
function digestContent(mail: SentEmail, ids: { customers: string[]; subscriptions: string[] }) {
  const text = mail.text ?? '';
  const section = (title: string) => {
    const start = text.indexOf(`${title} (`);
    if (start === -1) return '';
    const rest = text.slice(start + title.length);
    const end = rest.search(
      /\n(Invitations to send|Moves today|Moves blocked: invitation not accepted|Expiry reminders) \(|\n─{20,}\nSent by/,
    );
    return end === -1 ? rest : rest.slice(0, end);
  };
  const found = (s: string, list: string[]) => list.filter((id) => new RegExp(`[ (]${id}[),· ]`).test(s)).sort();
  return {
    invitations: found(section('Invitations to send'), ids.customers),
    moves: found(section('Moves today'), ids.subscriptions),
    blocked: found(section('Moves blocked: invitation not accepted'), ids.subscriptions),
    expiries: found(section('Expiry reminders'), ids.subscriptions),
  };
}

/** Per day: invitations to send, moves to make, moves blocked (customer not accepted), expiry reminders. */
type DayEvents = { invitations: string[]; moves: string[]; blocked: string[]; expiries: string[] };

/**
 * The reminders the rules schedule, computed independently from plan.csv: each in the first digest
 * on or after its day (`digestDay`: the next business day, or the day itself with a digest every day).
 */
function expectedReminders(
  plan: CsvRow[],
  from: number,
  days: number,
  digestDay: (day: number) => number,
  cadence = [60, 30, 14, 7, 1],
  every = 7,
): Map<string, DayEvents> {
  const byDay = new Map<string, DayEvents>();
  const add = (due: number, kind: keyof DayEvents, id: string) => {
    const day = digestDay(due);
    if (day < from || day >= from + days) return;
    const key = dayToIso(day);
    const entry = byDay.get(key) ?? { invitations: [], moves: [], blocked: [], expiries: [] };
    if (!entry[kind].includes(id)) entry[kind].push(id);
    entry[kind].sort();
    byDay.set(key, entry);
  };
  const customers = new Map<string, { inviteBy?: string; lastEnd: number; accepted: boolean }>();
  for (const row of plan) {
    const end = isoToDay(row.end_date!);
    const c = customers.get(row.customer_id!) ?? {
      inviteBy: row.invite_by || undefined,
      lastEnd: end,
      accepted: row.invitation_status === 'accepted',
    };
    c.lastEnd = Math.max(c.lastEnd, end);
    customers.set(row.customer_id!, c);
    if (row.risk === 'ineligible') continue;
    for (const t of cadence) add(end - t, 'expiries', row.subscription_id!);
    // Only an accepted customer's moves can be made; the others are blocked on their day.
    const kind = row.invitation_status === 'accepted' ? 'moves' : 'blocked';
    if (row.move_on && row.status !== 'provisioned') add(isoToDay(row.move_on), kind, row.subscription_id!);
  }
  for (const [id, c] of customers) {
    if (c.accepted || !c.inviteBy) continue;
    // From invite_by − 7 (or the first day, for a customer whose window had begun), then every
    // `every` days since the digest that carried the last one.
    const inviteBy = isoToDay(c.inviteBy);
    for (let day = Math.max(inviteBy - 7, from); day <= Math.max(c.lastEnd, inviteBy); day = digestDay(day) + every)
      add(day, 'invitations', id);
  }
  return byDay;
}

/**
 * 120 days of daily runs over every partner the file stored, each planned again on the days it
 * goes stale: under a minute alone, several on a loaded 2-core machine. A guard against a hang.
 */
const SIMULATION_TIMEOUT_MS = 300_000;

describe('scheduled reminders over 120 simulated days', () => {
  const rows: RowSpec[] = [
    { customer: 'cust-accepted', sub: 'sub-acc-1', end: '2027-02-15', invitation: 'accepted', autoRenew: 'true' },
    { customer: 'cust-accepted', sub: 'sub-acc-2', end: '2027-03-01', invitation: 'accepted' },
    { customer: 'cust-urgent', sub: 'sub-urgent', end: '2027-01-08' },
    { customer: 'cust-soon', sub: 'sub-soon', end: '2027-01-29' },
    { customer: 'cust-soon', sub: 'sub-soon-addon', end: '2027-01-29', base: 'sub-soon', offer: 'Exchange Online Archiving' },
    { customer: 'cust-later', sub: 'sub-later', end: '2027-03-31', autoRenew: 'yes' },
    { customer: 'cust-abroad', sub: 'sub-abroad', end: '2027-02-01', country: 'DE' },
    { customer: 'cust-done', sub: 'sub-done', end: '2027-02-20', status: 'provisioned', invitation: 'accepted' },
  ];
  const ids = { customers: [...new Set(rows.map((r) => r.customer!))], subscriptions: rows.map((r) => r.sub) };
  const START = '2026-12-01';
  const DAYS = 120;

  /**
   * Runs the schedules day by day. The partner does its part: each move its digest lists for today
   * is recorded as provisioned that day (else the daily re-plan rightly lists it again tomorrow).
   */
  async function simulate(partnerId: string, onDay?: (day: string) => Promise<void>) {
    const { setStatus } = await import('../../shared/use-cases/set-status.js');
    for (let d = 0; d < DAYS; d++) {
      const day = dayToIso(isoToDay(START) + d);
      await onDay?.(day);
      await stack.runSchedules(at(day, 7));
      const digest = (await mailsTo(`ops@${partnerId}.example`)).find((m) => m.subject.startsWith(`CSP moves for ${day}`));
      for (const id of digest ? digestContent(digest, ids).moves : []) {
        const done = await setStatus({
          partnerId,
          subject: { kind: 'subscription', id },
          state: 'provisioned',
          source: 'cli',
          by: 'ops',
          now: at(day, 12),
        });
        expect(done.ok, `${day} ${id}`).toBe(true);
      }
    }
    const daily = (await mailsTo(`ops@${partnerId}.example`)).filter((m) => m.subject.startsWith('CSP moves for'));
    return new Map(daily.map((m) => [/CSP moves for (\d{4}-\d{2}-\d{2})/.exec(m.subject)![1]!, digestContent(m, ids)]));
  }

  it(
    'sends exactly the reminders the rules schedule, each in the first business-day digest on or after its day, none twice',
    async () => {
      const settings = await addPartner('p-sim');
      const csv = csvOf(rows);
      await upload('p-sim', 'portfolio.csv', csv, at(START, 6));
      const offline = await planCsv(csv, { today: START });
      const sent = await simulate('p-sim');
      const expected = expectedReminders(offline.plan, isoToDay(START), DAYS, (day) => nextDigestDay(settings, day));
      // No daily digest on a weekend or a US public holiday (Christmas, New Year's Day, MLK Day…).
      const business = calendarFor('US');
      expect([...sent.keys()].filter((day) => !business.isBusinessDay(isoToDay(day)))).toEqual([]);

      // Invitations, moves and expiry reminders: exactly the rules' schedule, each on its day.
      const scheduled = (byDay: Map<string, DayEvents>) =>
        new Map(
          [...byDay]
            .map(([day, { blocked: _, ...rest }]) => [day, rest] as const)
            .filter(([, rest]) => Object.values(rest).some((list) => list.length > 0)),
        );
      expect([...scheduled(sent).keys()].sort()).toEqual([...scheduled(expected).keys()].sort());
      for (const [day, events] of scheduled(expected)) expect(scheduled(sent).get(day), day).toEqual(events);
      // Moves of customers yet to accept are planned again each day no earlier than the invitation
      // lead time allows (the daily re-plan), so they are not on the upload's days; a move listed as
      // blocked is always one of theirs.
      const notAccepted = new Set(rows.filter((r) => r.invitation !== 'accepted').map((r) => r.sub));
      for (const [day, events] of sent)
        expect(
          events.blocked.every((id) => notAccepted.has(id)),
          day,
        ).toBe(true);
      // One digest a day at most; the weekly digest comes on Mondays only.
      const all = await mailsTo('ops@p-sim.example');
      const subjects = all.map((m) => m.subject);
      expect(new Set(subjects).size).toBe(subjects.length);
      const weekly = all.filter((m) => /weekly digest/i.test(m.subject));
      expect(weekly).toHaveLength(Math.floor(DAYS / 7) + (DAYS % 7 > 5 ? 1 : 0));
    },
    SIMULATION_TIMEOUT_MS,
  );

  it(
    'stops invitation reminders for a customer once a re-uploaded plan says accepted',
    async () => {
      await addPartner('p-accept');
      const csv = csvOf(rows);
      await upload('p-accept', 'portfolio.csv', csv, at(START, 6));
      const ACCEPTED_ON = '2026-12-20';
      const sent = await simulate('p-accept', async (day) => {
        if (day !== ACCEPTED_ON) return;
        const prefix = (
          await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: 'reports/p-accept/' }))
        ).Contents![0]!.Key!.replace(/[^/]+$/, '');
        const plan = parseCsv(await text(`${prefix}plan.csv`));
        const edited = plan.map((r) => (r.customer_id === 'cust-urgent' ? { ...r, invitation_status: 'accepted' } : r));
        const { unparse } = (await import('papaparse')).default;
        await upload('p-accept', 'plan.csv', unparse(edited), at(day, 6));
      });
      const invitedUrgent = [...sent.entries()].filter(([, e]) => e.invitations.includes('cust-urgent')).map(([day]) => day);
      const invitedSoon = [...sent.entries()].filter(([, e]) => e.invitations.includes('cust-soon')).map(([day]) => day);
      // sub-urgent ends 2027-01-08: moves 2026-12-31 (5 business days before, New Year's Day
      // excluded), so invite_by is 2026-12-10 and reminders run weekly from 2026-12-03 — until
      // the acceptance on 2026-12-20, never after. The other customers' reminders go on.
      expect(invitedUrgent).toEqual(['2026-12-03', '2026-12-10', '2026-12-17']);
      expect(invitedSoon.some((day) => day > ACCEPTED_ON)).toBe(true);
      const customer = readCustomer((await items('p-accept', 'CUST#cust-urgent'))[0]!);
      expect(customer).toMatchObject({ invitationStatus: 'accepted' });
      expect(customer.inviteBy).toBeUndefined();
    },
    SIMULATION_TIMEOUT_MS,
  );

  it(
    'with notify_customers, e-mails each customer contact one invitation with the reseller link',
    async () => {
      const link =
        'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=11111111-2222-3333-4444-555555555555#/BillingAccounts/partner-invitation';
      await addPartner('p-notify', { notify_customers: true, reseller_link: link });
      const withContacts = rows.map((r) => ({ ...r, email: `admin@${r.customer}.example` }));
      await upload('p-notify', 'portfolio.csv', csvOf(withContacts), at(START, 6));
      await simulate('p-notify');
      const all = await listSentEmails(stack.aws);
      // Customers with an invitation to accept (not accepted, not ineligible only) get exactly one.
      for (const customer of ['cust-urgent', 'cust-soon', 'cust-later']) {
        const mails = all.filter((m) => m.to.includes(`admin@${customer}.example`));
        expect(mails, customer).toHaveLength(1);
        expect(mails[0]!.html).toContain(link.replace(/&/g, '&amp;'));
        // Replies reach the partner, whose address the footer shows.
        expect(mails[0]!.replyTo, customer).toEqual(['ops@p-notify.example']);
        expect(mails[0]!.text).toContain('at ops@p-notify.example, or reply to this e-mail');
      }
      for (const customer of ['cust-accepted', 'cust-abroad', 'cust-done']) {
        expect(
          all.filter((m) => m.to.includes(`admin@${customer}.example`)),
          customer,
        ).toHaveLength(0);
      }
    },
    SIMULATION_TIMEOUT_MS,
  );
});
