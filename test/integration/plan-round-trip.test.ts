/**
 * plan.csv round trip on the local stack, with the sample file: uploading the plan.csv a plan
 * wrote gives the same plan and records nothing; a file that knows less than what was recorded
 * (the original export) keeps the recorded states; edited statuses become `upload` events.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { PLAN_COLUMNS } from '../../shared/domain/plan-rows.js';
import { reportKey } from '../../shared/storage/bucket-layout.js';
import { type CsvRow, parseCsv } from '../support/plan-csv.js';

const PARTNER = 'p-round-trip';
const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const at = (iso: string, hour: number) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);

let dataDir: string;
let stack: LocalStack;
let s3: S3Client;
let store: typeof import('../../shared/storage/dynamodb/dynamodb-plan-store.js')['planStore'];
let statuses: typeof import('../../shared/use-cases/set-status.js');

/** Uploads `body` as uploads/{partner}/{name} and returns the plan.csv the upload wrote. */
async function upload(name: string, body: string | Buffer): Promise<{ text: string; rows: CsvRow[] }> {
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${PARTNER}/${name}`, Body: body }));
  await stack.settled();
  const uploads = [];
  for await (const u of store.uploads(PARTNER)) uploads.push(u);
  const record = uploads.find((u) => u.fileName === name)!;
  expect(record.status).toBe('planned');
  const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: reportKey(PARTNER, record.uploadId, 'plan.csv') }));
  const text = await object.Body!.transformToString();
  return { text, rows: parseCsv(text) };
}

const eventsOf = (kind: 'customer' | 'subscription', id: string) => store.statusEvents(PARTNER, { kind, id });

/** plan.csv with some cells changed, written as a partner's spreadsheet would save it. */
function edited(rows: CsvRow[], change: (row: CsvRow) => Partial<CsvRow>): string {
  return Papa.unparse(
    rows.map((r) => ({ ...r, ...change(r) })),
    { columns: [...PLAN_COLUMNS] },
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cspmove-round-trip-'));
  stack = await startLocalStack({ dataDir });
  s3 = new S3Client(stack.aws.clientConfig('s3'));
  store = (await import('../../shared/storage/dynamodb/dynamodb-plan-store.js')).planStore;
  statuses = await import('../../shared/use-cases/set-status.js');
  await store.savePartnerSettings({ ...parseSettings({ email: 'ops@round-trip.example' }), partner_id: PARTNER });
  stack.clock.now = at('2026-12-01', 6);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('plan.csv uploaded again', () => {
  let first: { text: string; rows: CsvRow[] };

  it('unedited, gives the same plan and records nothing', async () => {
    first = await upload('customers.csv', await readFile(SAMPLE));
    const again = await upload('plan.csv', first.text);
    expect(again.rows).toEqual(first.rows);
    expect(first.rows.some((r) => r.unit_price_monthly !== '' && r.base_subscription_id !== '')).toBe(true);
    expect(await store.partnerStatusEvents(PARTNER)).toEqual([]);
  });

  it('an older file (the original export) leaves what was recorded since as it is', async () => {
    const customerId = first.rows[0]!.customer_id!;
    const recorded = await statuses.setStatus({
      partnerId: PARTNER,
      subject: { kind: 'customer', id: customerId },
      state: 'accepted',
      source: 'email_link',
      by: 'ops@round-trip.example',
      now: at('2026-12-01', 9),
    });
    expect(recorded).toMatchObject({ ok: true, recorded: true });

    const original = await upload('customers-again.csv', await readFile(SAMPLE));
    // plan.csv says when: the day the link recorded it.
    for (const row of original.rows.filter((r) => r.customer_id === customerId))
      expect(row).toMatchObject({ invitation_status: 'accepted', invite_by: '', invited_on: '', accepted_on: '2026-12-01' });
    const record = await store.trackedRecord(PARTNER, { kind: 'customer', id: customerId });
    expect(record).toMatchObject({ kind: 'customer', customer: { invitationStatus: 'accepted' } });
    expect(await eventsOf('customer', customerId)).toHaveLength(1);
  });

  it('edited statuses become upload events, and the plan and reminders follow them', async () => {
    const latest = await upload('plan-latest.csv', (await upload('plan-latest-source.csv', await readFile(SAMPLE))).text);
    const waiting = latest.rows.find((r) => r.invitation_status === 'not_sent')!;
    const moving = latest.rows.find((r) => r.customer_id !== waiting.customer_id && r.move_on !== '')!;

    stack.clock.now = at('2026-12-02', 6);
    const after = await upload(
      'plan-edited.csv',
      edited(latest.rows, (r) => ({
        ...(r.customer_id === waiting.customer_id ? { invitation_status: 'accepted' } : {}),
        ...(r.subscription_id === moving.subscription_id ? { status: 'provisioned' } : {}),
      })),
    );
    expect(await eventsOf('customer', waiting.customer_id!)).toMatchObject([
      { state: 'accepted', source: 'upload', by: 'upload plan-edited.csv', effective: '2026-12-02' },
    ]);
    expect(await eventsOf('subscription', moving.subscription_id!)).toMatchObject([{ state: 'provisioned', source: 'upload' }]);
    expect(after.rows.find((r) => r.subscription_id === moving.subscription_id)).toMatchObject({
      move_on: '',
      provisioned_on: '2026-12-02',
    });
    for (const row of after.rows.filter((r) => r.customer_id === waiting.customer_id)) expect(row.accepted_on).toBe('2026-12-02');
    for (const row of after.rows.filter((r) => r.customer_id === waiting.customer_id)) expect(row.invite_by).toBe('');
    expect(await store.trackedRecord(PARTNER, { kind: 'subscription', id: moving.subscription_id! })).toMatchObject({
      subscription: { state: 'provisioned', provisioned: true },
    });

    // The same file again: nothing new to record.
    await upload(
      'plan-edited-again.csv',
      edited(after.rows, () => ({})),
    );
    expect(await eventsOf('customer', waiting.customer_id!)).toHaveLength(1);
  });

  it('edited statuses with their days take effect on those days', async () => {
    const latest = await upload('plan-dated-source.csv', await readFile(SAMPLE));
    const recorded = new Set((await store.partnerStatusEvents(PARTNER)).map((e) => e.subject.id));
    const waiting = latest.rows.find((r) => r.invitation_status === 'not_sent' && !recorded.has(r.customer_id!))!;
    const moving = latest.rows.find((r) => r.move_on !== '' && !recorded.has(r.subscription_id!) && r.customer_id !== waiting.customer_id)!;

    stack.clock.now = at('2026-12-03', 6);
    const after = await upload(
      'plan-dated.csv',
      edited(latest.rows, (r) => ({
        ...(r.customer_id === waiting.customer_id
          ? { invitation_status: 'accepted', invited_on: '2026-11-24', accepted_on: '2026-11-30' }
          : {}),
        ...(r.subscription_id === moving.subscription_id ? { status: 'provisioned', provisioned_on: '2026-12-02' } : {}),
      })),
    );
    const byDay = (events: { effective: string }[]) => events.sort((a, b) => a.effective.localeCompare(b.effective));
    expect(byDay(await eventsOf('customer', waiting.customer_id!))).toMatchObject([
      { state: 'sent', source: 'upload', by: 'upload plan-dated.csv', effective: '2026-11-24' },
      { state: 'accepted', source: 'upload', by: 'upload plan-dated.csv', effective: '2026-11-30' },
    ]);
    expect(await eventsOf('subscription', moving.subscription_id!)).toMatchObject([{ state: 'provisioned', effective: '2026-12-02' }]);
    for (const row of after.rows.filter((r) => r.customer_id === waiting.customer_id))
      expect(row).toMatchObject({ invited_on: '2026-11-24', accepted_on: '2026-11-30' });
    expect(after.rows.find((r) => r.subscription_id === moving.subscription_id)).toMatchObject({
      move_on: '',
      provisioned_on: '2026-12-02',
    });
  });
});
