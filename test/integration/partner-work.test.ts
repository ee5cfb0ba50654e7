/**
 * The scheduled runs fanned out per partner on the local stack: the fan-out queues one job per
 * partner on the work queue (the SQS emulator, through the real SDK), and the partner-work handler
 * runs each on its own; a partner that fails is tried again and dead-lettered without holding the
 * others back. Status changes ask for a re-plan through the same queue, coalesced: a burst of
 * changes is one job.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentEmails } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';

const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const at = (iso: string, hour = 7, minute = 0) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000 + minute * 60_000);
const emailOf = (partnerId: string) => `ops@${partnerId}.example`;

let sqs: SQSClient;
const local = useLocalStack('work');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let setStatus: typeof import('../../shared/use-cases/set-status.js')['setStatus'];
let mailClient: typeof import('../../shared/mail/ses-sender.js')['mailClient'];

async function uploadSample(partnerId: string): Promise<void> {
  await store.savePartnerSettings({ ...parseSettings({ email: emailOf(partnerId) }), partner_id: partnerId });
  stack.clock.now = at('2026-12-01', 6);
  await s3.send(
    new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/customers.csv`, Body: await readFile(SAMPLE) }),
  );
  await stack.settled();
}

const queued = async (url: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesDelayed);
};

const digestsTo = async (partnerId: string, date: string) =>
  (await listSentEmails(stack.aws)).filter((m) => m.to.includes(emailOf(partnerId)) && m.subject.startsWith(`CSP moves for ${date}`));

beforeAll(async () => {
  ({ stack, s3, store } = local);
  sqs = new SQSClient(stack.aws.clientConfig('sqs'));
  setStatus = (await import('../../shared/use-cases/set-status.js')).setStatus;
  mailClient = (await import('../../shared/mail/ses-sender.js')).mailClient;
  for (const partnerId of ['w-a', 'w-b', 'w-c']) await uploadSample(partnerId);
}, 120_000);

afterAll(() => sqs?.destroy());

describe('scheduled runs, one job per partner', () => {
  it('queues a daily and a weekly job for every partner, and each partner gets its own digest', async () => {
    const runs = await stack.runSchedules(at('2026-12-01'));
    expect(runs.daily.partners).toBe(3);
    expect(runs.weekly.partners).toBe(3);
    expect(runs.work).toEqual({ jobs: 6, retries: 0, deadLettered: 0 });
    for (const partnerId of ['w-a', 'w-b', 'w-c']) expect(await digestsTo(partnerId, '2026-12-01')).toHaveLength(1);
    expect(await queued(stack.workQueueUrl)).toBe(0);
  });

  it("a partner whose job keeps failing is tried 3 times and dead-lettered; the others' digests go out", async () => {
    // SES refuses every e-mail to one partner (a fault a real emulator cannot produce).
    mailClient().middlewareStack.add(
      (next) => async (args) => {
        const raw = (args as { input: { Content?: { Raw?: { Data?: Uint8Array } } } }).input.Content?.Raw?.Data;
        if (raw && Buffer.from(raw).toString('utf8').includes(emailOf('w-b'))) throw new Error('SES refused the message');
        return next(args);
      },
      { step: 'initialize', name: 'refuseOnePartner' },
    );
    try {
      // The sample's next invitation reminders are due a week after the upload.
      await expect(stack.runSchedules(at('2026-12-08'))).rejects.toThrow(/1 of 6 partner jobs failed every attempt/);
    } finally {
      mailClient().middlewareStack.remove('refuseOnePartner');
    }
    expect(await digestsTo('w-a', '2026-12-08')).toHaveLength(1);
    expect(await digestsTo('w-c', '2026-12-08')).toHaveLength(1);
    expect(await digestsTo('w-b', '2026-12-08')).toHaveLength(0);

    const { QueueUrl: deadLetters } = await sqs.send(new GetQueueUrlCommand({ QueueName: LOCAL_NAMES.deadLetterQueue }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([
      { job: 'daily-digest', partnerId: 'w-b', at: at('2026-12-08').toISOString() },
    ]);

    // The next day's digest carries what the failed one would have said.
    await stack.runSchedules(at('2026-12-09'));
    const [late] = await digestsTo('w-b', '2026-12-09');
    const [onTime] = await digestsTo('w-a', '2026-12-08');
    expect(late!.subject.replace('2026-12-09', 'DAY')).toBe(onTime!.subject.replace('2026-12-08', 'DAY'));
  });

  it('a message that is not a partner job is dead-lettered, and the jobs after it run', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.workQueueUrl, MessageBody: '{"job":"everything","partnerId":"w-a"}' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.workQueueUrl,
        MessageBody: JSON.stringify({ job: 'replan', partnerId: 'w-a', at: at('2026-12-09', 9).toISOString() }),
      }),
    );
    expect(await stack.drainWork()).toEqual({ jobs: 2, retries: 2, deadLettered: 1 });
  });
});

describe('a re-plan after status changes, coalesced', () => {
  it('a burst of changes queues one re-plan, which plans every change; a change after it begins asks again', async () => {
    await uploadSample('w-burst');
    const { customers } = await store.trackedPlan('w-burst');
    const now = at('2026-12-02', 10);
    expect(await queued(stack.workQueueUrl)).toBe(0);

    for (const [i, customer] of customers.slice(0, 6).entries()) {
      const changed = await setStatus({
        partnerId: 'w-burst',
        subject: { kind: 'customer', id: customer.customerId },
        state: 'accepted',
        source: 'email_link',
        by: emailOf('w-burst'),
        now: new Date(now.getTime() + i * 5_000),
      });
      expect(changed).toMatchObject({ ok: true, recorded: true });
    }
    expect(await queued(stack.workQueueUrl)).toBe(1);

    expect(await stack.drainWork()).toEqual({ jobs: 1, retries: 0, deadLettered: 0 });
    const state = await store.replanState('w-burst');
    expect(state!.plannedAt >= state!.changedAt!).toBe(true);
    // Every accepted customer is planned as accepted: its moves can be provisioned.
    const accepted = new Set(customers.slice(0, 6).map((c) => c.customerId));
    const { subscriptions } = await store.trackedPlan('w-burst');
    const theirs = subscriptions.filter((s) => s.customerId !== undefined && accepted.has(s.customerId));
    expect(theirs.length).toBeGreaterThan(0);
    for (const s of theirs) expect(s.invitationAccepted).toBe(true);

    await setStatus({
      partnerId: 'w-burst',
      subject: { kind: 'customer', id: customers[6]!.customerId },
      state: 'accepted',
      source: 'cli',
      by: emailOf('w-burst'),
      now: at('2026-12-02', 11),
    });
    expect(await queued(stack.workQueueUrl)).toBe(1);
    expect(await stack.drainWork()).toMatchObject({ jobs: 1, deadLettered: 0 });
  });
});
