/**
 * Recording a move's status on the local stack (real DynamoDB API on dynalite): the event is kept
 * once, the tracked record and its reminders follow, and bad changes are refused with nothing
 * written.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';
import { csvOf } from '../support/plan-csv.js';

const local = useLocalStack('status');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let statuses: typeof import('../../shared/use-cases/set-status.js');

const at = (iso: string, hour: number) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);
const PARTNER = 'p-status';

beforeAll(async () => {
  ({ stack, s3, store } = local);
  statuses = await import('../../shared/use-cases/set-status.js');
  await store.savePartnerSettings({ ...parseSettings({ email: `ops@${PARTNER}.example` }), partner_id: PARTNER });
  stack.clock.now = at('2026-12-01', 6);
  const rows = [
    { customer: 'c-1', sub: 's-1', end: '2027-03-31' },
    { customer: 'c-1', sub: 's-2', end: '2027-04-30' },
  ];
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${PARTNER}/plan.csv`, Body: csvOf(rows) }));
  await stack.settled();
});

const customer = { kind: 'customer' as const, id: 'c-1' };
const subscription = { kind: 'subscription' as const, id: 's-1' };
const change = (state: string, extra: Partial<Parameters<typeof statuses.setStatus>[0]> = {}) =>
  statuses.setStatus({
    partnerId: PARTNER,
    subject: customer,
    state,
    source: 'cli',
    by: 'ops@p-status.example',
    now: at('2026-12-03', 9),
    ...extra,
  });

describe('setting a status', () => {
  it('records an accepted invitation once, updates the customer and ends its invitation reminders', async () => {
    const before = await store.trackedRecord(PARTNER, customer);
    expect(before).toMatchObject({ kind: 'customer', customer: { invitationStatus: 'not_sent' } });

    const first = await change('accepted', { on: '2026-12-02' });
    expect(first).toMatchObject({ ok: true, state: 'accepted', recorded: true });
    const again = await change('accepted', { on: '2026-12-02' });
    expect(again).toMatchObject({ ok: true, state: 'accepted', recorded: false });
    const laterClick = await change('accepted', { now: at('2026-12-03', 10) });
    expect(laterClick).toMatchObject({ ok: true, state: 'accepted', recorded: false });

    const after = await store.trackedRecord(PARTNER, customer);
    expect(after).toMatchObject({ kind: 'customer', customer: { invitationStatus: 'accepted' } });
    const history = await statuses.statusHistory(PARTNER, customer);
    expect(history.ok && history.history.map((e) => [e.state, e.effective, e.source])).toEqual([['accepted', '2026-12-02', 'cli']]);
    // No invitation reminder is due for it any more, on any day.
    const due = [];
    for await (const r of store.remindersDue(PARTNER, '2027-12-31')) if (r.kind === 'customer') due.push(r);
    expect(due).toEqual([]);
  });

  it("lists the accepted customer's move under Moves today on its day, not as blocked", async () => {
    const { runDailyReminders } = await import('../../shared/use-cases/daily-reminders.js');
    const record = await store.trackedRecord(PARTNER, subscription);
    const moveOn = record?.kind === 'subscription' ? record.subscription.moveOn! : '';
    expect(record).toMatchObject({ subscription: { invitationAccepted: false } }); // as planned, before the acceptance
    await runDailyReminders(at(moveOn, 7));
    const { listSentEmails } = await import('../../local/aws/local-aws.js');
    const digest = (await listSentEmails(stack.aws)).find((m) => m.subject.startsWith(`CSP moves for ${moveOn}`));
    expect(digest?.subject).toContain('1 move today');
    expect(digest?.text).toContain('Moves today (1)');
    expect(digest?.text).not.toContain('Moves blocked');
  });

  it('marks a subscription provisioned, and refuses to step back without a correction', async () => {
    const provisioned = await change('provisioned', { subject: subscription });
    expect(provisioned).toMatchObject({ ok: true, state: 'provisioned' });
    expect(await store.trackedRecord(PARTNER, subscription)).toMatchObject({ subscription: { state: 'provisioned', provisioned: true } });

    const back = await change('planned', { subject: subscription, now: at('2026-12-04', 9) });
    expect(back).toEqual({ ok: false, problem: 'subscription s-1 is provisioned: going back to planned is a correction (--force).' });
    expect(await store.trackedRecord(PARTNER, subscription)).toMatchObject({ subscription: { state: 'provisioned' } });

    const corrected = await change('planned', { subject: subscription, now: at('2026-12-04', 9), correction: true, reason: 'wrong row' });
    expect(corrected).toMatchObject({ ok: true, state: 'planned' });
    expect(await store.trackedRecord(PARTNER, subscription)).toMatchObject({ subscription: { state: 'planned', provisioned: false } });
  });

  it('keeps one event however often the same one is recorded (a retried request)', async () => {
    const event = {
      subject: { kind: 'customer' as const, id: 'c-1' },
      state: 'sent' as const,
      effective: '2026-12-01',
      recordedAt: '2026-12-01T10:00:00.000Z',
      source: 'api' as const,
      by: 'ops@p-status.example',
    };
    expect(await store.recordStatusEvent(PARTNER, event)).toBe(true);
    expect(await store.recordStatusEvent(PARTNER, event)).toBe(false);
    expect((await store.statusEvents(PARTNER, event.subject)).filter((e) => e.state === 'sent')).toEqual([event]);
  });

  it('refuses unknown ids and partners, unknown states and days in the future, writing nothing', async () => {
    expect(await change('accepted', { subject: { kind: 'customer', id: 'nobody' } })).toEqual({
      ok: false,
      problem: `Partner ${PARTNER}'s plan has no customer "nobody".`,
      notFound: true,
    });
    expect(await change('accepted', { partnerId: 'p-unknown' })).toMatchObject({ ok: false, notFound: true });
    expect(await change('shipped', { subject: subscription })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('"shipped" is not'),
    });
    expect(await change('done', { subject: subscription, on: '2026-12-09' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('in the future'),
    });
    const history = await statuses.statusHistory(PARTNER, subscription);
    expect(history.ok && history.history.map((e) => e.state)).toEqual(['provisioned', 'planned']);
  });
});
