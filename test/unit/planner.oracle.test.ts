/**
 * The planner against an exhaustive oracle on small instances. What moves on one day (a unit) is a
 * subscription with its add-ons, or in co-term mode a customer's subscriptions. The oracle tries
 * every assignment of each unit to a business day of its window [earliest, latest] (or to no day
 * of it), under the daily capacity (a day takes a unit when it has room for all its rows, or is
 * empty), and keeps the best by the plan's objective: (1) the fewest subscriptions outside their
 * window, then (2) the least total overlap, end_date − move_on summed over every subscription
 * moved within its window. A unit's window runs from its customer's earliest day to the latest day
 * of its earliest-ending subscription. The planner must reach both exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, calendarFor } from '../../shared/domain/calendar.js';
import { type Day, dayToIso, isoToDay } from '../../shared/domain/dates.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const FIRST_TODAY = isoToDay('2026-11-01');
const LAST_TODAY = isoToDay('2027-12-31');
const COUNTRIES = ['US', 'GB', 'DE', 'IT', 'JP', 'BR'] as const;

interface Sub {
  customer: number;
  end: Day;
  /** Index of its base subscription (an earlier subscription of the same customer), or -1. */
  base: number;
  seats: number;
  price: number;
}

interface Instance {
  country: string;
  today: Day;
  capacity: number;
  lead: number;
  buffer: number;
  coTerm: boolean;
  /** Per customer: '' (not sent), 'sent' or 'accepted'. */
  invitations: string[];
  subs: Sub[];
}

/**
 * Up to 8 subscriptions of up to 3 customers in one of several countries, all ending within ~30
 * days of the earliest move day; some are add-ons of an earlier subscription of their customer.
 */
const instanceArb: fc.Arbitrary<Instance> = fc
  .record({
    country: fc.constantFrom(...COUNTRIES),
    today: fc.integer({ min: FIRST_TODAY, max: LAST_TODAY }),
    capacity: fc.integer({ min: 1, max: 4 }),
    lead: fc.integer({ min: 0, max: 30 }),
    buffer: fc.integer({ min: 0, max: 10 }),
    coTerm: fc.constantFrom(false, false, true),
    invitations: fc.array(fc.constantFrom('', 'sent', 'accepted'), { minLength: 3, maxLength: 3 }),
    subs: fc.array(
      fc.record({
        customer: fc.integer({ min: 0, max: 2 }),
        offset: fc.integer({ min: 0, max: 30 }),
        addOnOf: fc.integer({ min: -3, max: 7 }),
        seats: fc.integer({ min: 1, max: 300 }),
        price: fc.constantFrom(0, 4.5, 12, 20, 36.1),
      }),
      { minLength: 1, maxLength: 8, size: 'max' },
    ),
  })
  .map((r) => ({
    country: r.country,
    today: r.today,
    capacity: r.capacity,
    lead: r.lead,
    buffer: r.buffer,
    coTerm: r.coTerm,
    invitations: r.invitations,
    subs: r.subs.map((s, i) => {
      // An add-on of an earlier subscription of the same customer that is not itself an add-on.
      const base = s.addOnOf >= 0 && s.addOnOf < i && r.subs[s.addOnOf]!.customer === s.customer ? s.addOnOf : -1;
      return { customer: s.customer, end: r.today + r.lead + s.offset, base, seats: s.seats, price: s.price };
    }),
  }))
  .map((inst) => ({ ...inst, subs: inst.subs.map((s) => (s.base !== -1 && inst.subs[s.base]!.base !== -1 ? { ...s, base: -1 } : s)) }));

// --- the oracle ---------------------------------------------------------------------------

interface Unit {
  /** Its subscriptions (indexes into the instance's). */
  members: number[];
  rows: number;
  /** Sum of its subscriptions' end dates. */
  endSum: number;
  /** Business days of [earliest, latest], latest first; empty when the window is empty. */
  days: Day[];
}

function latestOf(calendar: BusinessCalendar, end: Day, buffer: number): Day {
  let latest = end;
  if (buffer === 0) {
    while (!calendar.isBusinessDay(latest)) latest--;
    return latest;
  }
  for (let left = buffer; left > 0; ) {
    latest--;
    if (calendar.isBusinessDay(latest)) left--;
  }
  return latest;
}

function unitsOf(inst: Instance): Unit[] {
  const calendar = calendarFor(inst.country);
  const groups = new Map<string, number[]>();
  inst.subs.forEach((s, i) => {
    const key = inst.coTerm ? `c${s.customer}` : `s${s.base === -1 ? i : s.base}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  return [...groups.values()].map((members) => {
    const customer = inst.subs[members[0]!]!.customer;
    let earliest = inst.today + (inst.invitations[customer] === 'accepted' ? 0 : inst.lead);
    while (!calendar.isBusinessDay(earliest)) earliest++;
    const latest = Math.min(...members.map((i) => latestOf(calendar, inst.subs[i]!.end, inst.buffer)));
    const days: Day[] = [];
    for (let d = latest; d >= earliest; d--) if (calendar.isBusinessDay(d)) days.push(d);
    return { members, rows: members.length, endSum: members.reduce((sum, i) => sum + inst.subs[i]!.end, 0), days };
  });
}

interface Best {
  atRisk: number;
  overlap: number;
}

/** Branch and bound over every capacity-respecting assignment of units to days; exact. */
function oracle(units: Unit[], capacity: number): Best {
  const us = [...units].sort((a, b) => a.days.length - b.days.length);
  const n = us.length;
  const minOverlapAfter = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const u = us[i]!;
    minOverlapAfter[i] = minOverlapAfter[i + 1]! + (u.days.length > 0 ? u.endSum - u.rows * u.days[0]! : 0);
  }
  const load = new Map<Day, number>();
  const best: Best = { atRisk: Infinity, overlap: Infinity };
  const visit = (i: number, atRisk: number, overlap: number): void => {
    if (atRisk > best.atRisk) return;
    if (atRisk === best.atRisk && overlap + minOverlapAfter[i]! >= best.overlap) return;
    if (i === n) {
      best.atRisk = atRisk;
      best.overlap = overlap;
      return;
    }
    const u = us[i]!;
    for (const day of u.days) {
      const used = load.get(day) ?? 0;
      if (used + u.rows > capacity && used !== 0) continue;
      load.set(day, used + u.rows);
      visit(i + 1, atRisk, overlap + u.endSum - u.rows * day);
      load.set(day, used);
    }
    visit(i + 1, atRisk + u.rows, overlap); // not moved within its window
  };
  visit(0, 0, 0);
  return best;
}

function specsOf(inst: Instance): RowSpec[] {
  return inst.subs.map((s, i) => ({
    customer: `cust-${s.customer + 1}`,
    country: inst.country,
    sub: `sub-${i + 1}`,
    end: dayToIso(s.end),
    seats: s.seats,
    price: s.price,
    invitation: inst.invitations[s.customer]!,
    base: s.base === -1 ? '' : `sub-${s.base + 1}`,
  }));
}

/** Plans the instance through CSV and solves it exactly. */
async function planAndSolve(inst: Instance) {
  const best = oracle(unitsOf(inst), inst.capacity);
  const { plan, errors } = await planCsv(csvOf(specsOf(inst)), {
    today: dayToIso(inst.today),
    settings: {
      country: inst.country,
      daily_capacity: inst.capacity,
      invite_lead_days: inst.lead,
      buffer_business_days: inst.buffer,
      co_term: inst.coTerm,
    },
  });
  expect(errors).toEqual([]);
  expect(plan).toHaveLength(inst.subs.length);
  // Per unit: moved within its window, or not (then its rows go to the first day with room).
  let atRisk = 0;
  let overlap = 0;
  for (const unit of unitsOf(inst)) {
    const days = new Set(unit.members.map((i) => plan[i]!.move_on));
    expect(days.size, 'a unit moves on one day').toBe(1);
    const day = isoToDay([...days][0]!);
    if (unit.days.includes(day)) overlap += unit.endSum - unit.rows * day;
    else atRisk += unit.rows;
  }
  const context = `${JSON.stringify({ ...inst, today: dayToIso(inst.today) })}; oracle ${JSON.stringify(best)}, planner at_risk=${atRisk} overlap=${overlap}; plan ${JSON.stringify(
    plan.map((r) => [r.subscription_id, r.end_date, r.move_on, r.risk]),
  )}`;
  return { best, atRisk, overlap, context };
}

describe('planner against an exhaustive oracle (≤ 8 subscriptions in add-on groups or co-term customers, capacity 1–4)', () => {
  it('has an exact oracle: latest days first, one move a day, the rest not moved in time', () => {
    // Three single subscriptions of an accepted customer ending the same Friday, capacity 1,
    // buffer 0: window 2026-12-01 (Tue) .. 2026-12-04 (Fri) → Fri, Thu, Wed, overlap 0 + 1 + 2.
    const end = isoToDay('2026-12-04');
    const inst: Instance = {
      country: 'US',
      today: isoToDay('2026-12-01'),
      capacity: 1,
      lead: 21,
      buffer: 0,
      coTerm: false,
      invitations: ['accepted'],
      subs: [0, 1, 2].map(() => ({ customer: 0, end, base: -1, seats: 1, price: 1 })),
    };
    expect(oracle(unitsOf(inst), 1)).toEqual({ atRisk: 0, overlap: 3 });
    // Five of them fit only four days.
    const five: Instance = { ...inst, subs: [0, 1, 2, 3, 4].map(() => ({ customer: 0, end, base: -1, seats: 1, price: 1 })) };
    expect(oracle(unitsOf(five), 1)).toEqual({ atRisk: 1, overlap: 6 });
    // As one co-term unit of five they take one (empty) day: the Friday.
    expect(oracle(unitsOf({ ...five, coTerm: true }), 1)).toEqual({ atRisk: 0, overlap: 0 });
  });

  it('moves as few subscriptions outside their window, and with as little overlap, as any schedule can', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (inst) => {
        const r = await planAndSolve(inst);
        expect(r.atRisk, r.context).toBe(r.best.atRisk);
        expect(r.overlap, r.context).toBe(r.best.overlap);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('example: with one slot left it moves the subscription that ends first on time, not one that would pay an extra overlap day', async () => {
    // Capacity 1, accepted, buffer 0, today Mon 2026-11-16. A and B end Tue 11-17 (window Mon–Tue),
    // C ends Mon 11-16 (window Mon). Two fit: A on Tue and C on Mon cost no overlap at all, while
    // A on Tue and B on Mon cost B one overlap day.
    const rows = [
      { sub: 'A', end: '2026-11-17' },
      { sub: 'B', end: '2026-11-17' },
      { sub: 'C', end: '2026-11-16' },
    ].map((r) => ({ ...r, invitation: 'accepted', seats: 10, price: 20 }));
    const { plan } = await planCsv(csvOf(rows), { today: '2026-11-16', settings: { daily_capacity: 1, buffer_business_days: 0 } });
    const ok = plan.filter((r) => r.risk === 'ok');
    expect(ok).toHaveLength(2);
    expect(ok.reduce((sum, r) => sum + Number(r.overlap_days), 0)).toBe(0);
  });

  it('example: a base with two add-ons takes the late day from a single subscription ending a day earlier', async () => {
    // Capacity 3, latest day 2027-02-22 for both. Three rows on 02-22 and one on 02-19 overlap
    // 3 × 6 + 8 = 26 subscription-days; the other way round, 3 × 9 + 5 = 32.
    const rows: RowSpec[] = [
      { customer: 'a', sub: 'a1', seats: 100, price: 20, end: '2027-02-28' },
      { customer: 'a', sub: 'a2', seats: 100, price: 20, end: '2027-02-28', base: 'a1', offer: 'Visio Plan 2' },
      { customer: 'a', sub: 'a3', seats: 100, price: 20, end: '2027-02-28', base: 'a1', offer: 'Project Plan 3' },
      { customer: 'b', sub: 'b1', seats: 1, price: 5, end: '2027-02-27', offer: 'Office 365 E1' },
    ];
    const { plan, model } = await planCsv(csvOf(rows), { today: '2027-01-04', settings: { daily_capacity: 3 } });
    expect(plan.map((r) => [r.subscription_id, r.move_on, r.overlap_days])).toEqual([
      ['a1', '2027-02-22', '6'],
      ['a2', '2027-02-22', '6'],
      ['a3', '2027-02-22', '6'],
      ['b1', '2027-02-19', '8'],
    ]);
    expect(model.money.overlapCents).toBe(118_488);
  });
});
