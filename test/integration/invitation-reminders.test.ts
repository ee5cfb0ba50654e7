/**
 * Invitation reminders by state on the local stack: a re-plan that moves a customer's invite_by a
 * day earlier right before its reminder day (docs/reliability.md, the chaos run's known gap) does
 * not skip the reminder; after a digest SES refused, the next one keeps the fault-free run's
 * reminder days; and an upload made after a reminder went out does not send it again.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { listSentEmails } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';
import { csvOf, type RowSpec } from '../support/plan-csv.js';

const local = useLocalStack('invite');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let statuses: typeof import('../../shared/use-cases/set-status.js');
let mailClient: typeof import('../../shared/mail/ses-sender.js')['mailClient'];

const at = (iso: string, hour: number) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);

beforeAll(async () => {
  ({ stack, s3, store } = local);
  statuses = await import('../../shared/use-cases/set-status.js');
  mailClient = (await import('../../shared/mail/ses-sender.js')).mailClient;
});

/**
 * Two customers competing for one move day at a capacity of 2 a day: cust-a's one subscription,
 * and cust-b's subscription with its add-on (a unit of two, which the planner places first).
 * Both end on Wednesday 2027-03-17, so their latest move day is 2027-03-10. And cust-c, accepted,
 * whose expiry reminder 7 days before 2027-02-16 makes the digest of 2027-02-09 go out.
 */
const ROWS: RowSpec[] = [
  { customer: 'cust-c', sub: 'sub-c', end: '2027-02-16', invitation: 'accepted' },
  { customer: 'cust-a', sub: 'sub-a', end: '2027-03-17' },
  { customer: 'cust-b', sub: 'sub-b', end: '2027-03-17' },
  { customer: 'cust-b', sub: 'sub-b-addon', end: '2027-03-17', base: 'sub-b', offer: 'Exchange Online Archiving' },
];

async function setUp(partnerId: string, when: Date) {
  const settings = parseSettings({ email: `ops@${partnerId}.example`, daily_capacity: 2 });
  await store.savePartnerSettings({ ...settings, partner_id: partnerId });
  await upload(partnerId, 'portfolio.csv', when);
}

async function upload(partnerId: string, name: string, when: Date) {
  stack.clock.now = when;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/${name}`, Body: csvOf(ROWS) }));
  await stack.settled();
}

/** Records the subscriptions' state, then the re-plan the change asks for (the queue runs it within minutes). */
async function setSubscriptions(partnerId: string, ids: string[], state: string, when: Date) {
  for (const id of ids) {
    const result = await statuses.setStatus({
      partnerId,
      subject: { kind: 'subscription', id },
      state,
      source: 'cli',
      by: 'ops',
      now: when,
    });
    expect(result.ok, `${id} ${state}`).toBe(true);
  }
  const { replanPartner } = await import('../../shared/use-cases/replan.js');
  expect(await replanPartner(partnerId, new Date(when.getTime() + 60_000))).toMatchObject({ planned: true });
}

async function inviteBy(partnerId: string, customerId: string): Promise<string | undefined> {
  const record = await store.trackedRecord(partnerId, { kind: 'customer', id: customerId });
  return record?.kind === 'customer' ? record.customer.inviteBy : undefined;
}

/** Runs the scheduled functions each day from `from` to `to`, calling `after` once a day's have run. */
async function runDays(from: string, to: string, after?: (day: string) => Promise<void>) {
  for (let day = isoToDay(from); day <= isoToDay(to); day++) {
    await stack.runSchedules(at(dayToIso(day), 7));
    await after?.(dayToIso(day));
  }
}

/** Runs one day's scheduled functions while SES refuses every e-mail to the partner: its digest job fails every attempt. */
async function runDayRefused(partnerId: string, day: string) {
  const name = `refuse-${partnerId}`;
  mailClient().middlewareStack.add(
    (next) => async (args) => {
      const raw = (args as { input: { Content?: { Raw?: { Data?: Uint8Array } } } }).input.Content?.Raw?.Data;
      if (raw && Buffer.from(raw).toString('utf8').includes(`ops@${partnerId}.example`)) throw new Error('SES refused the message');
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await expect(stack.runSchedules(at(day, 7))).rejects.toThrow(/failed every attempt/);
  } finally {
    mailClient().middlewareStack.remove(name);
  }
}

/** The days the partner's daily digest listed the customer under "Invitations to send". */
async function invitedOn(partnerId: string, customerId: string): Promise<string[]> {
  const mails = (await listSentEmails(stack.aws)).filter((m) => m.to.includes(`ops@${partnerId}.example`));
  const days: string[] = [];
  for (const mail of mails) {
    const day = /CSP moves for (\d{4}-\d{2}-\d{2})/.exec(mail.subject)?.[1];
    const text = mail.text ?? '';
    const start = text.indexOf('Invitations to send (');
    if (!day || start === -1) continue;
    const rest = text.slice(start + 1);
    const end = rest.search(/\n(Moves today|Moves blocked: invitation not accepted|Expiry reminders) \(|\n─{20,}\nSent by/);
    if (new RegExp(`[ (]${customerId}[),· ]`).test(end === -1 ? rest : rest.slice(0, end))) days.push(day);
  }
  return days.sort();
}

describe('invitation reminders by state', () => {
  it('a customer whose invite_by a re-plan moves a day earlier, right before its reminder day, still gets that reminder, once', async () => {
    const P = 'p-shift';
    // cust-b is out of the plan at first: cust-a moves on 2027-03-10, invite_by 2027-02-17, so its
    // first reminder is due on 2027-02-10.
    await setUp(P, at('2027-02-01', 6));
    await setSubscriptions(P, ['sub-b', 'sub-b-addon'], 'excluded', at('2027-02-01', 6.5));
    expect(await inviteBy(P, 'cust-a')).toBe('2027-02-17');
    await runDays('2027-02-01', '2027-02-08');

    // On 2027-02-09, after that day's digest (it went out), cust-b comes back: the re-plan gives 2027-03-10 to
    // its unit of two and moves cust-a a day earlier, invite_by 2027-02-16, whose reminder day by
    // the schedule (2027-02-09) has already had its digest.
    await runDays('2027-02-09', '2027-02-09');
    expect((await listSentEmails(stack.aws)).some((m) => m.subject.startsWith('CSP moves for 2027-02-09'))).toBe(true);
    await setSubscriptions(P, ['sub-b', 'sub-b-addon'], 'planned', at('2027-02-09', 12));
    expect(await inviteBy(P, 'cust-a')).toBe('2027-02-16');
    await runDays('2027-02-10', '2027-02-24');

    // Reminded the next day, then every week (overdue after 2027-02-16): none skipped, none twice.
    expect(await invitedOn(P, 'cust-a')).toEqual(['2027-02-10', '2027-02-17', '2027-02-24']);
  }, 120_000);

  it('after a refused digest, a reminder the refused one would have carried keeps its day; one it would not have, counts from the day it went out', async () => {
    // cust-a is first due on 2027-02-10 (invite_by 2027-02-17), as in the test above.
    const P = 'p-refused-due';
    await setUp(P, at('2027-02-01', 6));
    await setSubscriptions(P, ['sub-b', 'sub-b-addon'], 'excluded', at('2027-02-01', 6.5));
    await runDays('2027-02-08', '2027-02-09');
    // SES refuses the digest of 2027-02-10, which carried cust-a's first reminder: the digest of
    // 2027-02-11 carries it, counted as of 2027-02-10, so the weekly rhythm is the fault-free one.
    await runDayRefused(P, '2027-02-10');
    await runDays('2027-02-11', '2027-02-17');
    expect(await invitedOn(P, 'cust-a')).toEqual(['2027-02-11', '2027-02-17']);

    const Q = 'p-refused-shift';
    await setUp(Q, at('2027-02-01', 6));
    await setSubscriptions(Q, ['sub-b', 'sub-b-addon'], 'excluded', at('2027-02-01', 6.5));
    await runDays('2027-02-08', '2027-02-08');
    // SES refuses the digest of 2027-02-09 (cust-c's expiry reminder), when cust-a was not yet due.
    // Then a re-plan moves cust-a's invite_by a day earlier, 2027-02-16: by that state it is due
    // since 2027-02-09, a day the refused digest did not remind it. The digest of 2027-02-10
    // covers 2027-02-09 and 2027-02-10, reminds it, and counts it from 2027-02-10, the day it went
    // out: the fault-free run's days (the first test), not a week from 2027-02-09.
    await runDayRefused(Q, '2027-02-09');
    await setSubscriptions(Q, ['sub-b', 'sub-b-addon'], 'planned', at('2027-02-09', 12));
    expect(await inviteBy(Q, 'cust-a')).toBe('2027-02-16');
    await runDays('2027-02-10', '2027-02-17');
    expect(await invitedOn(Q, 'cust-a')).toEqual(['2027-02-10', '2027-02-17']);
  }, 120_000);

  it('an upload after a reminder went out carries when it was sent: no second reminder that week', async () => {
    const P = 'p-reupload';
    await setUp(P, at('2027-02-01', 6));
    // The day cust-a gets its first reminder, the same rows are uploaded again after the digest,
    // and once more the next morning before it: neither starts a new round of reminders.
    let uploads = 0;
    await runDays('2027-02-01', '2027-02-24', async (day) => {
      if (uploads > 0 || !(await invitedOn(P, 'cust-a')).includes(day)) return;
      uploads++;
      await upload(P, 'again.csv', at(day, 12));
      await upload(P, 'again-2.csv', at(dayToIso(isoToDay(day) + 1), 5));
    });
    expect(uploads).toBe(1);
    const a = await invitedOn(P, 'cust-a');
    const b = await invitedOn(P, 'cust-b');
    for (const days of [a, b]) {
      expect(days.length).toBeGreaterThan(1);
      for (let i = 1; i < days.length; i++) expect(isoToDay(days[i]!) - isoToDay(days[i - 1]!), days.join(' ')).toBe(7);
    }
    const record = await store.trackedRecord(P, { kind: 'customer', id: 'cust-a' });
    expect(record).toMatchObject({ kind: 'customer', customer: { remindedOn: a.at(-1) } });
  }, 120_000);
});
