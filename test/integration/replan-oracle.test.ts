/**
 * The stored plan is what `cspmove plan` gives, as of any day: for random portfolios, random
 * status changes on random days and a random day to look, the plan in the local DynamoDB (upload,
 * status events, then the daily re-plan of that day) equals the plan of a file carrying the same
 * inputs and the states of that day, planned offline as of that day.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { type PartnerSettingsInput, parseSettings } from '../../shared/domain/partner-settings.js';
import { type PlanStore, useLocalStack } from '../support/local-stack.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const RUNS = 15;
const UPLOAD_DAY = isoToDay('2026-12-01');
const at = (day: number, hour: number) => new Date(day * 86_400_000 + hour * 3_600_000);

const local = useLocalStack('oracle');
let stack: LocalStack;
let s3: S3Client;
let store: PlanStore;
let replan: typeof import('../../shared/use-cases/replan.js')['replanPartner'];
let setStatus: typeof import('../../shared/use-cases/set-status.js')['setStatus'];

const scenarioArb = fc.record({
  settings: fc.record({
    daily_capacity: fc.integer({ min: 1, max: 4 }),
    invite_lead_days: fc.integer({ min: 0, max: 21 }),
    buffer_business_days: fc.integer({ min: 0, max: 5 }),
  }),
  customers: fc.integer({ min: 1, max: 4 }),
  subs: fc.array(
    fc.record({
      customer: fc.nat(),
      endOffset: fc.integer({ min: -20, max: 120 }),
      seats: fc.integer({ min: 1, max: 50 }),
      addOn: fc.boolean(),
    }),
    { minLength: 1, maxLength: 10 },
  ),
  /** The day looked at, days after the upload; each status change falls on or before it. */
  lookAfter: fc.integer({ min: 0, max: 45 }),
  /** Often none: then only the days passing can make the plan change. */
  invitations: fc.oneof(
    fc.constant<{ state: 'sent' | 'accepted'; at: number }[]>([]),
    fc.array(fc.record({ state: fc.constantFrom('sent' as const, 'accepted' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }), {
      maxLength: 4,
    }),
  ),
  provisioned: fc.oneof(
    fc.constant<{ sub: number; at: number }[]>([]),
    fc.array(fc.record({ sub: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 3 }),
  ),
});

beforeAll(async () => {
  ({ stack, s3, store } = local);
  replan = (await import('../../shared/use-cases/replan.js')).replanPartner;
  setStatus = (await import('../../shared/use-cases/set-status.js')).setStatus;
}, 60_000);

describe('the stored plan, as of any day', () => {
  it('equals the offline plan of the same inputs with the states of that day', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const partnerId = `p-oracle-${++run}`;
        const settings: PartnerSettingsInput = { ...s.settings, email: `ops@${partnerId}.example` };
        const specs: RowSpec[] = s.subs.map((sub, i) => {
          const customer = `cust-${(sub.customer % s.customers) + 1}`;
          // An add-on of the row before it, when that row is the same customer's base.
          const before = i > 0 ? s.subs[i - 1]! : undefined;
          const base = sub.addOn && before && before.customer % s.customers === sub.customer % s.customers && !before.addOn;
          return {
            customer,
            sub: `sub-${i + 1}`,
            end: dayToIso(UPLOAD_DAY + sub.endOffset),
            seats: sub.seats,
            ...(base ? { base: `sub-${i}` } : {}),
          };
        });
        const day = UPLOAD_DAY + s.lookAfter;
        const dayOf = (fraction: number) => UPLOAD_DAY + Math.floor(fraction * s.lookAfter);

        // 1. Uploaded on the first day.
        await store.savePartnerSettings({ ...parseSettings(settings), partner_id: partnerId });
        stack.clock.now = at(UPLOAD_DAY, 6);
        await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${partnerId}/portfolio.csv`, Body: csvOf(specs) }));
        await stack.settled();

        // 2. Status changes, each on its day, in the order they happen.
        const changes = [
          ...s.invitations.map((e, k) => ({
            kind: 'customer' as const,
            id: `cust-${(k % s.customers) + 1}`,
            state: e.state,
            on: dayOf(e.at),
          })),
          ...s.provisioned.map((e) => ({
            kind: 'subscription' as const,
            id: `sub-${(e.sub % specs.length) + 1}`,
            state: 'provisioned',
            on: dayOf(e.at),
          })),
        ].sort((a, b) => a.on - b.on);
        const state = new Map<string, string>();
        for (const c of changes) {
          const result = await setStatus({
            partnerId,
            subject: { kind: c.kind, id: c.id },
            state: c.state,
            source: 'cli',
            by: 'oracle',
            now: at(c.on, 12),
          });
          if (result.ok) state.set(c.id, result.state);
        }

        // 3. The daily run of the day looked at.
        await replan(partnerId, at(day, 7));
        const stored = await store.trackedPlan(partnerId);

        // The oracle: the same rows, with that day's states, planned offline as of that day.
        const offline = await planCsv(
          csvOf(
            specs.map((r) => ({
              ...r,
              invitation: state.get(r.customer!) ?? '',
              status: state.get(r.sub) === 'provisioned' ? 'provisioned' : '',
            })),
          ),
          { today: dayToIso(day), settings },
        );
        for (const row of offline.plan) {
          const sub = stored.subscriptions.find((x) => x.subscriptionId === row.subscription_id)!;
          expect(
            { moveOn: sub.moveOn, risk: sub.risk, provisioned: sub.provisioned },
            `${row.subscription_id} on ${dayToIso(day)}`,
          ).toEqual({
            moveOn: row.move_on || undefined,
            risk: row.risk,
            provisioned: row.status === 'provisioned',
          });
        }
        for (const customer of stored.customers) {
          const rows = offline.plan.filter((r) => r.customer_id === customer.customerId);
          expect(customer.invitationStatus, customer.customerId).toBe(rows[0]!.invitation_status);
          // A deadline that came unmet is kept (the customer stays overdue); any other is the plan's.
          if (customer.inviteBy === undefined || customer.inviteBy > dayToIso(day))
            expect(customer.inviteBy, customer.customerId).toBe(rows[0]!.invite_by || undefined);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
