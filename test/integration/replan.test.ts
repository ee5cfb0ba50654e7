/**
 * The daily re-plan on the local stack: the stored plan, planned again from its stored inputs and
 * the states recorded since, as of the partner's today. Nothing changed keeps every date; a move
 * day that has passed unprovisioned gets a day from today on; an accepted customer plans from
 * today; an overdue invitation stays overdue.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import type { TrackedSubscription } from '../../shared/domain/tracked-plan.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';

const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const at = (iso: string, hour = 6) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);

const local = useLocalStack('replan');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let replan: typeof import('../../shared/use-cases/replan.js')['replanPartner'];
let setStatus: typeof import('../../shared/use-cases/set-status.js')['setStatus'];

async function uploadSample(partnerId: string): Promise<void> {
  await store.savePartnerSettings({ ...parseSettings({ email: `ops@${partnerId}.example` }), partner_id: partnerId });
  stack.clock.now = at('2026-12-01');
  await s3.send(
    new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/customers.csv`, Body: await readFile(SAMPLE) }),
  );
  await stack.settled();
}

const plan = (partnerId: string) => store.trackedPlan(partnerId);
const byId = <T>(list: T[], id: (t: T) => string) => new Map(list.map((t) => [id(t), t]));

beforeAll(async () => {
  ({ stack, s3, store } = local);
  replan = (await import('../../shared/use-cases/replan.js')).replanPartner;
  setStatus = (await import('../../shared/use-cases/set-status.js')).setStatus;
}, 60_000);

describe('planning a partner again from what is stored', () => {
  it('plans nothing again while the plan is up to date: no status changed, and no move is before its earliest day', async () => {
    await uploadSample('p-fresh');
    expect(await replan('p-fresh', at('2026-12-01', 9))).toMatchObject({ planned: false, written: 0 });
    // The sample's first moves are on 2026-12-22, the earliest day (today + the 21 days' invitation
    // lead) for customers yet to accept: from the next day, planning again would move them.
    expect(await replan('p-fresh', at('2026-12-02', 9))).toMatchObject({ planned: true });
    expect(await replan('p-fresh', at('2026-12-02', 10))).toMatchObject({ planned: false });
  });

  it('planned again with no change of inputs, statuses or feasibility, keeps every item and date', async () => {
    await uploadSample('p-stable');
    const before = await plan('p-stable');
    // A status change is what makes the daily run plan a partner again: one that changed nothing.
    await store.recordStatusChanged('p-stable', at('2026-12-01', 8), at('2026-12-01', 8));
    const result = await replan('p-stable', at('2026-12-01', 9));
    expect(result).toMatchObject({ planned: true, written: 0, withoutInputs: 0 });
    expect(result.items).toBe(before.subscriptions.length + before.customers.length);
    expect(await plan('p-stable')).toEqual(before);
  });

  it('gives every unprovisioned move whose day has passed a day from today on, and leaves the others', async () => {
    await uploadSample('p-late');
    const before = byId((await plan('p-late')).subscriptions, (s) => s.subscriptionId);
    const today = '2027-01-04';
    const result = await replan('p-late', at(today));
    expect(result.written).toBeGreaterThan(0);
    const after = (await plan('p-late')).subscriptions;
    const passed = (s: TrackedSubscription | undefined) => s?.moveOn !== undefined && s.moveOn < today;
    expect(after.filter((s) => !s.provisioned && passed(s)).map((s) => s.subscriptionId)).toEqual([]);
    // Moves planned from today on before were not pushed by the passed ones ahead of them.
    const moved = after.filter((s) => passed(before.get(s.subscriptionId)));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((s) => s.moveOn === undefined || s.moveOn >= today)).toBe(true);
  });

  it('plans an accepted customer from today, and keeps an overdue invitation overdue', async () => {
    await uploadSample('p-accept');
    const customers = (await plan('p-accept')).customers;
    const notSent = customers
      .filter((c) => c.invitationStatus === 'not_sent' && c.inviteBy !== undefined)
      .sort((a, b) => a.inviteBy!.localeCompare(b.inviteBy!));
    const waiting = notSent[0]!;
    const accepting = notSent.at(-1)!;
    await setStatus({
      partnerId: 'p-accept',
      subject: { kind: 'customer', id: accepting.customerId },
      state: 'accepted',
      source: 'cli',
      by: 'ops@p-accept.example',
      now: at('2026-12-10', 9),
    });
    await replan('p-accept', at('2026-12-20'));
    const after = byId((await plan('p-accept')).customers, (c) => c.customerId);
    expect(after.get(accepting.customerId)).toMatchObject({ invitationStatus: 'accepted', inviteBy: undefined });
    // Its deadline passed unmet: it stays, so the digests still call it overdue.
    expect(waiting.inviteBy! < '2026-12-20').toBe(true);
    expect(after.get(waiting.customerId)).toMatchObject({ invitationStatus: 'not_sent', inviteBy: waiting.inviteBy });
  });
});
