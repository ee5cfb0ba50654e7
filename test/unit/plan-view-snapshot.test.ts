/**
 * The plan view snapshot (shared/storage/plan-view/snapshot.ts): a planned file encoded and
 * decoded again, stored as is or gzipped, gives the rows plan.csv lists, non-ASCII text intact.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PlanQuerySchema } from '../../shared/console/contract.js';
import { PlanTable } from '../../shared/storage/plan-view/plan-table.js';
import { decodeSnapshot, encodeSnapshot, inflateSnapshot, isGzip } from '../../shared/storage/plan-view/snapshot.js';
import { csvOf, planCsv } from '../support/plan-csv.js';

const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const PLANNED_AT = new Date('2026-12-01T08:00:00Z');
const all = PlanQuerySchema.parse({ size: 200, sort: 'customer' });

describe('the plan view snapshot', () => {
  it('decodes to the rows of plan.csv, stored as is or gzipped', async () => {
    const { run, plan } = await planCsv(await readFile(SAMPLE));
    const raw = await encodeSnapshot('p-1', run, PLANNED_AT, { gzip: false });
    const gzipped = await encodeSnapshot('p-1', run, PLANNED_AT, { gzip: true });
    expect([isGzip(raw), isGzip(gzipped)]).toEqual([false, true]);
    expect(gzipped.length).toBeLessThan(raw.length);

    const fromRaw = new PlanTable(await decodeSnapshot(raw));
    const fromGzip = new PlanTable(await decodeSnapshot(gzipped));
    const streamed = new PlanTable(
      await decodeSnapshot(await inflateSnapshot(Readable.from([gzipped.subarray(0, 100), gzipped.subarray(100)]))),
    );
    const page = fromRaw.page(all);
    expect(page.total).toBe(plan.length);
    expect(fromGzip.page(all)).toEqual(page);
    expect(streamed.page(all)).toEqual(page);
    expect(new Set(page.rows.map((r) => r.subscriptionId))).toEqual(new Set(plan.map((r) => r.subscription_id)));
    expect(fromRaw).toMatchObject({ plannedAt: PLANNED_AT.toISOString(), today: '2026-12-01' });
  });

  it('keeps names and ids in any script, and the partner it was saved for', async () => {
    const { run } = await planCsv(
      csvOf([
        { customer: 'c-İ', name: 'İstanbul Ağ Çözümleri', sub: 'sub-ß-1', end: '2027-04-30', email: 'it@example.com' },
        { customer: 'c-2', name: 'Zürich 株式会社', sub: 'sub-2', end: '2027-05-31' },
      ]),
    );
    const data = await decodeSnapshot(await encodeSnapshot('p-2', run, PLANNED_AT, { gzip: false }));
    expect(data.partnerId).toBe('p-2');
    const view = new PlanTable(data);
    expect(view.page(all).rows.map((r) => [r.customerId, r.customerName, r.subscriptionId])).toEqual([
      ['c-İ', 'İstanbul Ağ Çözümleri', 'sub-ß-1'],
      ['c-2', 'Zürich 株式会社', 'sub-2'],
    ]);
    expect(view.page(PlanQuerySchema.parse({ q: 'i̇stanbul' })).total).toBe(1);
    expect(view.customer('c-İ')?.customer).toMatchObject({ customerName: 'İstanbul Ağ Çözümleri', contactEmail: 'it@example.com' });
  });

  it('refuses bytes that are not a whole snapshot', async () => {
    const { run } = await planCsv(await readFile(SAMPLE));
    const raw = await encodeSnapshot('p-1', run, PLANNED_AT, { gzip: false });
    await expect(decodeSnapshot(Buffer.from('not a snapshot'))).rejects.toThrow(/Not a plan view snapshot/);
    await expect(decodeSnapshot(raw.subarray(0, raw.length - 200))).rejects.toThrow();
  });
});
