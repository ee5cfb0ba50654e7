/**
 * The console's plan view on the local stack: an upload writes the snapshot the console reads,
 * and it holds every plan.csv row; a load in a warm container revalidates with the ETag it holds
 * (S3 answers 304 and the decoded view is kept); a re-plan after a status change replaces it; a
 * rejected upload or a re-plan that plans nothing leaves it as it is.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { PlanQuerySchema, type PlanRow } from '../../shared/console/contract.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planViewKey } from '../../shared/storage/bucket-layout.js';
import type { PlanViews } from '../../shared/storage/plan-view.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';
import { type CsvRow, parseCsv } from '../support/plan-csv.js';
import { oracleGlance, oraclePage } from '../support/plan-view-oracle.js';

const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const at = (iso: string, hour = 6) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);
const all = (query: Record<string, unknown> = {}) => PlanQuerySchema.parse({ size: 200, ...query });

const local = useLocalStack('plan-view');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let views: PlanViews;
let viewsClient: typeof import('../../shared/storage/plan-view/s3-plan-views.js')['planViewsClient'];
let replan: typeof import('../../shared/use-cases/replan.js')['replanPartner'];
let setStatus: typeof import('../../shared/use-cases/set-status.js')['setStatus'];

beforeAll(async () => {
  ({ stack, s3, store } = local);
  ({ planViews: views, planViewsClient: viewsClient } = await import('../../shared/storage/plan-view/s3-plan-views.js'));
  replan = (await import('../../shared/use-cases/replan.js')).replanPartner;
  setStatus = (await import('../../shared/use-cases/set-status.js')).setStatus;
}, 60_000);

async function upload(partnerId: string, body: Buffer, now: Date): Promise<void> {
  stack.clock.now = now;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/customers.csv`, Body: body }));
  await stack.settled();
}

async function addPartner(partnerId: string): Promise<void> {
  await store.savePartnerSettings({ ...parseSettings({ email: `ops@${partnerId}.example` }), partner_id: partnerId });
}

/** The partner's plan.csv as the upload wrote it, as the console's rows (the state aside: plan.csv has none). */
async function planCsvRows(partnerId: string): Promise<Omit<PlanRow, 'state'>[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: `reports/${partnerId}/` }));
  const key = listed.Contents!.find((o) => o.Key!.endsWith('plan.csv'))!.Key!;
  const text = await (await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }))).Body!.transformToString();
  return parseCsv(text).map((r: CsvRow) => ({
    subscriptionId: r.subscription_id!,
    customerId: r.customer_id!,
    customerName: r.customer_name!,
    country: r.country!,
    offer: r.offer!,
    targetOffer: r.target_offer!,
    seats: Number(r.seats),
    endDate: r.end_date!,
    moveOn: r.move_on || undefined,
    inviteBy: r.invite_by || undefined,
    risk: r.risk as PlanRow['risk'],
    invitation: r.invitation_status as PlanRow['invitation'],
  }));
}

async function snapshotETag(partnerId: string): Promise<string | undefined> {
  return (await s3.send(new HeadObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: planViewKey(partnerId) }))).ETag;
}

describe('the plan view on the local stack', () => {
  it('has no view of a partner before its first planning', async () => {
    await addPartner('p-none');
    expect(await views.load('p-none')).toBeUndefined();
  });

  it('holds every plan.csv row of an upload, with each row its state as stored, and counts the week as the rows do', async () => {
    await addPartner('p-view');
    await upload('p-view', await readFile(SAMPLE), at('2026-12-01'));
    const view = (await views.load('p-view'))!;
    expect(view).toBeDefined();
    expect(view.plannedAt).toBe(at('2026-12-01').toISOString());
    expect(view.today).toBe('2026-12-01');

    const expected = await planCsvRows('p-view');
    const { subscriptions } = await store.trackedPlan('p-view');
    const stateOf = new Map(subscriptions.map((s) => [s.subscriptionId, s.state]));
    const rows: PlanRow[] = expected.map((r) => ({ ...r, state: stateOf.get(r.subscriptionId)! }));
    expect(rows).toHaveLength(60);

    for (const query of [
      all(),
      all({ sort: 'invite_by', order: 'desc' }),
      all({ risk: 'lapsed,expired_grace', q: 'E1' }),
      all({ size: 7, page: 3, sort: 'seats' }),
    ]) {
      expect(view.page(query)).toEqual(oraclePage(rows, query));
    }
    expect(view.glance('2026-12-01')).toEqual(oracleGlance(rows, '2026-12-01'));

    const contoso = rows.find((r) => r.customerName === 'Contoso Ltd')!;
    const own = rows.filter((r) => r.customerId === contoso.customerId);
    const customer = view.customer(contoso.customerId)!;
    expect(customer.customer).toMatchObject({
      customerId: contoso.customerId,
      customerName: 'Contoso Ltd',
      contactEmail: 'it-admin@contoso.com',
      lastEndDate: own
        .map((r) => r.endDate)
        .sort()
        .at(-1),
      firstMove: own.flatMap((r) => (r.moveOn ? [r.moveOn] : [])).sort()[0],
    });
    expect(customer.subscriptions).toEqual(oraclePage(own, all()).rows);
  });

  it('keeps the decoded view while S3 answers the ETag it holds with 304', async () => {
    const answers: (number | undefined)[] = [];
    const sent: (string | undefined)[] = [];
    viewsClient().middlewareStack.add(
      (next) => async (args) => {
        sent.push((args.request as { headers: Record<string, string> }).headers['if-none-match']);
        try {
          const result = await next(args);
          answers.push((result.response as { statusCode?: number }).statusCode);
          return result;
        } catch (error) {
          answers.push((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode);
          throw error;
        }
      },
      { step: 'finalizeRequest', name: 'observeViewLoads' },
    );
    try {
      const first = await views.load('p-view');
      const again = await views.load('p-view');
      expect(again).toBe(first);
      expect(sent).toEqual([await snapshotETag('p-view'), await snapshotETag('p-view')]);
      expect(answers).toEqual([304, 304]);
    } finally {
      viewsClient().middlewareStack.remove('observeViewLoads');
    }
  });

  it('a rejected upload leaves the view as it is', async () => {
    const before = await snapshotETag('p-view');
    await upload('p-view', Buffer.from('PK\x03\x04 not really a csv', 'latin1'), at('2026-12-01', 7));
    expect(await snapshotETag('p-view')).toBe(before);
    expect((await views.load('p-view'))!.page(all()).total).toBe(60);
  });

  it('a re-plan after a status change replaces the view; one that plans nothing leaves it', async () => {
    const before = (await views.load('p-view'))!;
    const moving = before.page(all({ state: 'planned', risk: 'ok' })).rows[0]!;
    await setStatus({
      partnerId: 'p-view',
      subject: { kind: 'subscription', id: moving.subscriptionId },
      state: 'provisioned',
      source: 'cli',
      by: 'ops@p-view.example',
      now: at('2026-12-01', 8),
    });
    // The view is the planning's: the change shows once the plan is planned again.
    expect((await views.load('p-view'))!.page(all({ q: moving.subscriptionId })).rows[0]).toMatchObject({ state: 'planned' });

    expect(await replan('p-view', at('2026-12-01', 9))).toMatchObject({ planned: true });
    const after = (await views.load('p-view'))!;
    expect(after).not.toBe(before);
    expect(after.plannedAt).toBe(at('2026-12-01', 9).toISOString());
    const [moved] = after.page(all({ q: moving.subscriptionId })).rows;
    expect(moved).toMatchObject({ subscriptionId: moving.subscriptionId, seats: moving.seats, state: 'provisioned', risk: 'ok' });
    expect(moved!.moveOn).toBeUndefined();
    expect(after.page(all({ state: 'provisioned' })).total).toBe(before.page(all({ state: 'provisioned' })).total + 1);

    const etag = await snapshotETag('p-view');
    expect(await replan('p-view', at('2026-12-01', 10))).toMatchObject({ planned: false });
    expect(await snapshotETag('p-view')).toBe(etag);
    expect(await views.load('p-view')).toBe(after);
  });
});
