/**
 * The plan view's engine (shared/storage/plan-view/plan-table.ts) against the naive way: for
 * random rows and random queries, every page equals filtering, sorting and slicing the array of
 * rows; a customer's view equals its rows in move order; this week's counts equal counting row
 * by row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAN_SORTS, type PlanQuery, PlanQuerySchema, type PlanRow } from '../../shared/console/contract.js';
import { dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { INVITATION_STATUSES } from '../../shared/domain/lifecycle.js';
import { RISKS } from '../../shared/domain/risk.js';
import { SUBSCRIPTION_STATES } from '../../shared/domain/status-events.js';
import { PlanTable } from '../../shared/storage/plan-view/plan-table.js';
import { type CustomerExtras, oracleGlance, oraclePage, planDataOf } from '../support/plan-view-oracle.js';

const RUNS = 300;
const BASE = isoToDay('2026-12-01');
/** Days in a few weeks, so that ties are common. */
const day = fc.integer({ min: -10, max: 40 }).map((d) => dayToIso(BASE + d));
/** Text where lower-casing changes lengths (İ), sorts by case ("a" vs "B") and holds the needles below. */
const word = fc.constantFrom('acme', 'Acme', 'ACME', 'İstanbul', 'İİİ', 'blue', 'Blue Yonder', 'ß', 'É', 'x', 'Fabrikam, Inc.', 'e3', '');
const text = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));

const customerArb = fc.record({
  customerId: fc.constantFrom('c-1', 'C-2', 'c-3', 'acme-4', 'c-5', 'c-6'),
  customerName: text,
  country: fc.constantFrom('US', 'GB', 'DE'),
  invitation: fc.constantFrom(...INVITATION_STATUSES),
  inviteBy: fc.option(day, { nil: undefined }),
});
const subscriptionArb = fc.record({
  offer: fc.constantFrom('Office 365 E3', 'Microsoft 365 E5', 'Exchange Online (Plan 1)'),
  targetOffer: fc.constantFrom('Office 365 E3', 'Microsoft 365 E3', 'Teams Essentials'),
  seats: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 60_000, max: 300_000 })),
  endDate: day,
  moveOn: fc.option(day, { nil: undefined }),
  risk: fc.constantFrom(...RISKS),
  state: fc.constantFrom(...SUBSCRIPTION_STATES),
});

/** Rows of up to six customers, each customer's fields the same on all its rows; subscription ids unique. */
const rowsArb = fc
  .array(fc.tuple(customerArb, fc.array(subscriptionArb, { minLength: 1, maxLength: 8 })), { minLength: 0, maxLength: 6 })
  .map((customers) => {
    const seen = new Set<string>();
    const rows: PlanRow[] = [];
    let n = 0;
    for (const [customer, subscriptions] of customers) {
      if (seen.has(customer.customerId)) continue;
      seen.add(customer.customerId);
      for (const s of subscriptions) rows.push({ ...customer, ...s, subscriptionId: `${n % 3 === 0 ? 'S' : 's'}-${(n++ * 7919) % 97}-e3` });
    }
    return rows;
  });

/** A filter left out three times in four, so that queries match rows and their order shows. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
const list = <T>(values: readonly T[]) => sometimes(fc.subarray([...values], { minLength: 1 }));
const range = sometimes(fc.tuple(fc.option(day, { nil: undefined }), fc.option(day, { nil: undefined }))).map((r) =>
  r && r[0] !== undefined && r[1] !== undefined && r[0] > r[1] ? [r[1], r[0]] : r,
);
const queryArb = fc
  .record({
    risk: list(RISKS),
    invitation: list(INVITATION_STATUSES),
    state: list(SUBSCRIPTION_STATES),
    invite: range,
    move: range,
    country: sometimes(fc.constantFrom('US', 'gb', 'FR')),
    q: sometimes(fc.constantFrom('acme', 'ACM', 'i̇st', 'İ', 'ss', 'ß', 'é', 'e3', 's-1', 'C-', 'plan 1', 'teams', '  blue ', 'zzz')),
    sort: fc.constantFrom(...PLAN_SORTS),
    order: fc.constantFrom('asc', 'desc'),
    page: fc.integer({ min: 1, max: 4 }),
    size: fc.integer({ min: 1, max: 12 }),
  })
  .map(
    ({ invite, move, ...q }): PlanQuery =>
      PlanQuerySchema.parse({
        ...q,
        invite_from: invite?.[0],
        invite_to: invite?.[1],
        move_from: move?.[0],
        move_to: move?.[1],
      }),
  );

function extrasOf(rows: readonly PlanRow[]): (customerId: string) => CustomerExtras {
  return (customerId) => {
    const own = rows.filter((r) => r.customerId === customerId);
    const moves = own.flatMap((r) => (r.moveOn ? [r.moveOn] : [])).sort();
    return {
      contactEmail: `${customerId}@example.com`,
      firstMove: moves[0],
      lastEndDate: own
        .map((r) => r.endDate)
        .sort()
        .at(-1)!,
    };
  };
}

describe('the plan view engine equals filtering, sorting and slicing the rows', () => {
  it('gives every page of every query as the naive way does, its total too', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(queryArb, { minLength: 1, maxLength: 6 }), (rows, queries) => {
        const table = new PlanTable(planDataOf(rows, extrasOf(rows)));
        // Several queries on one table: the orders and searches it keeps must not leak between them.
        for (const query of queries) expect(table.page(query)).toEqual(oraclePage(rows, query));
      }),
      { numRuns: RUNS },
    );
  });

  it("gives a customer's rows in move order, rows without a move last, and its own fields", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const extras = extrasOf(rows);
        const table = new PlanTable(planDataOf(rows, extras));
        for (const id of new Set(rows.map((r) => r.customerId))) {
          const own = oraclePage(
            rows.filter((r) => r.customerId === id),
            PlanQuerySchema.parse({ sort: 'move_on', size: 200 }),
          ).rows;
          const first = own[0]!;
          expect(table.customer(id)).toEqual({
            customer: {
              customerId: id,
              customerName: first.customerName,
              country: first.country,
              contactEmail: extras(id).contactEmail,
              invitation: first.invitation,
              inviteBy: first.inviteBy,
              firstMove: extras(id).firstMove,
              lastEndDate: extras(id).lastEndDate,
            },
            subscriptions: own,
          });
        }
        expect(table.customer('no-such-customer')).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it("counts this week's glance as counting row by row does, for any today", () => {
    fc.assert(
      fc.property(rowsArb, fc.array(day, { minLength: 1, maxLength: 4 }), (rows, days) => {
        const table = new PlanTable(planDataOf(rows, extrasOf(rows)));
        for (const today of days) expect(table.glance(today)).toEqual(oracleGlance(rows, today));
      }),
      { numRuns: RUNS },
    );
  });

  it('sorts a large plan by seats over 16 bits and by days, stably', () => {
    // Enough rows that a counting sort's buckets are shared and the radix sort takes two passes.
    const rows: PlanRow[] = Array.from({ length: 3000 }, (_, k) => ({
      subscriptionId: `sub-${String(k).padStart(5, '0')}`,
      customerId: `c-${k % 40}`,
      customerName: `Customer ${k % 40}`,
      country: 'US',
      offer: 'Office 365 E3',
      targetOffer: 'Office 365 E3',
      seats: (k * 7919) % 5 === 0 ? 70_000 + (k % 3) * 65_536 : k % 17,
      endDate: dayToIso(BASE + (k % 90)),
      moveOn: k % 11 === 0 ? undefined : dayToIso(BASE + ((k * 31) % 60)),
      inviteBy: dayToIso(BASE + (k % 40)),
      risk: RISKS[k % RISKS.length]!,
      invitation: INVITATION_STATUSES[(k % 40) % 3]!,
      state: 'planned',
    }));
    const table = new PlanTable(planDataOf(rows, extrasOf(rows)));
    for (const sort of PLAN_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const query = PlanQuerySchema.parse({ sort, order, page: 3, size: 200 });
        expect(table.page(query)).toEqual(oraclePage(rows, query));
      }
    }
  });
});
