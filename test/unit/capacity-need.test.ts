/**
 * The capacity the moves need: the least daily_capacity with which no subscription that can be on
 * time is at_risk (shared/domain/planner/capacity-need.ts). Specified on small portfolios whose
 * answer can be counted by hand, then against the real planner run at every capacity on random
 * portfolios (the oracle).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Day, dayToIso, isoToDay, NO_DAY } from '../../shared/domain/dates.js';
import type { PartnerSettingsInput } from '../../shared/domain/partner-settings.js';
import { type CapacityNeed, capacityNeed } from '../../shared/domain/planner/capacity-need.js';
import { CustomerWindows } from '../../shared/domain/planner/customer-windows.js';
import { plan } from '../../shared/domain/planner/plan.js';
import { Units } from '../../shared/domain/planner/units.js';
import type { Portfolio } from '../../shared/domain/portfolio/portfolio.js';
import { AT_RISK } from '../../shared/domain/risk.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const TODAY = '2026-11-30'; // a Monday

async function needOf(rows: RowSpec[], settings: PartnerSettingsInput, today = TODAY) {
  const { run } = await planCsv(csvOf(rows), { today, settings });
  const need = capacityNeed(run.portfolio, { today: run.plan.today, settings: run.settings }, run.plan);
  /** Rows at_risk when the real planner has `capacity` moves a day. */
  const atRiskWith = (capacity: number) => atRiskRows(run.portfolio, run.plan.today, { ...run.settings, daily_capacity: capacity });
  return { need, atRiskWith, run };
}

function atRiskRows(p: Portfolio, today: Day, settings: Parameters<typeof plan>[1]['settings']): Set<number> {
  const risk = plan(p, { today, settings }).risk;
  const rows = new Set<number>();
  for (let i = 0; i < p.size; i++) if (risk[i] === AT_RISK) rows.add(i);
  return rows;
}

/** n accepted single subscriptions of one customer, all ending on `end`. */
function singles(n: number, end: string, extra: Partial<RowSpec> = {}): RowSpec[] {
  return Array.from({ length: n }, (_, k) => ({ sub: `s${k + 1}`, end, invitation: 'accepted', ...extra }));
}

describe('capacity need, by hand', () => {
  // Accepted today (Mon 2026-11-30), buffer 0, ending Fri 2026-12-04: a window of five business days.
  const settings = (daily_capacity: number): PartnerSettingsInput => ({ daily_capacity, buffer_business_days: 0 });

  it('when the setting is already enough, says the least that would do', async () => {
    // Seven moves in five days: two a day at most.
    const { need } = await needOf(singles(7, '2026-12-04'), settings(20));
    expect(need).toMatchObject({ setting: 20, needed: 2, canBeOnTime: 7, atRisk: 0, atRiskWithoutWindow: 0, firstAtRiskEnd: NO_DAY });
  });

  it('when the setting is short, counts the subscriptions at risk that the needed capacity moves on time, and the first end date', async () => {
    const rows = [...singles(7, '2026-12-04'), { sub: 'early', end: '2026-12-01', invitation: 'accepted' }];
    const { need, atRiskWith } = await needOf(rows, settings(1));
    // Eight moves in five days (one of them by Tuesday): two a day.
    expect(need).toMatchObject({ setting: 1, needed: 2, canBeOnTime: 8, atRisk: 3, atRiskWithoutWindow: 0 });
    expect(dayToIso(need.firstAtRiskEnd)).toBe('2026-12-04');
    expect(atRiskWith(1).size).toBe(3);
    expect(atRiskWith(2).size).toBe(0);
  });

  it('is the least: one move a day less leaves a subscription at risk', async () => {
    const { need, atRiskWith } = await needOf(singles(23, '2026-12-04'), settings(3));
    expect(need.needed).toBe(5); // ⌈23 / 5⌉
    expect(atRiskWith(need.needed).size).toBe(0);
    expect(atRiskWith(need.needed - 1).size).toBeGreaterThan(0);
  });

  it('counts a base with its add-ons as moves on one day, which takes a day alone when it is larger than a day', async () => {
    // A base with two add-ons (three moves on one day) and a single, all due Monday: one day.
    const rows: RowSpec[] = [
      { sub: 'base', end: '2026-11-30', invitation: 'accepted' },
      { sub: 'addon-1', end: '2026-11-30', invitation: 'accepted', base: 'base', offer: 'Visio Plan 2' },
      { sub: 'addon-2', end: '2026-11-30', invitation: 'accepted', base: 'base', offer: 'Project Plan 3' },
      { customer: 'c2', sub: 'single', end: '2026-11-30', invitation: 'accepted' },
    ];
    const { need, atRiskWith } = await needOf(rows, settings(2));
    expect(need).toMatchObject({ needed: 4, atRisk: 1 });
    expect(atRiskWith(3).size).toBe(1);
    expect(atRiskWith(4).size).toBe(0);
  });

  it('leaves out what it cannot put in a window: expired, lapsed, ineligible, and earliest day past the deadline', async () => {
    const rows: RowSpec[] = [
      ...singles(2, '2026-12-04'),
      { customer: 'gone', sub: 'expired', end: '2026-11-20' },
      { customer: 'gone', sub: 'lapsed', end: '2026-06-01' },
      { customer: 'abroad', sub: 'other-country', end: '2026-12-04', country: 'DE' },
      // Not invited yet: its earliest day is 21 days out, after its end date.
      { customer: 'late', sub: 'too-late-1', end: '2026-12-10' },
      { customer: 'late', sub: 'too-late-2', end: '2026-12-11' },
    ];
    const { need, run } = await needOf(rows, settings(1));
    expect(run.plan.risk.filter((r) => r === AT_RISK)).toHaveLength(2);
    expect(need).toMatchObject({ needed: 1, canBeOnTime: 2, atRisk: 0, atRiskWithoutWindow: 2, placements: 0 });
  });

  it('when nothing can be on time, needs no more than one move a day', async () => {
    const rows: RowSpec[] = [
      { customer: 'late', sub: 'too-late-1', end: '2026-12-10' },
      { customer: 'late', sub: 'too-late-2', end: '2026-12-10' },
      { customer: 'gone', sub: 'expired', end: '2026-11-20' },
    ];
    const { need } = await needOf(rows, settings(1));
    expect(need).toMatchObject({ needed: 1, canBeOnTime: 0, atRisk: 0, atRiskWithoutWindow: 2 });
  });

  it('when every subscription is at risk, all of them fixable, needs enough for the whole pile', async () => {
    // Not invited, lead 0: earliest today; ten subscriptions due today, one move a day: nine at risk.
    const rows = singles(10, '2026-11-30', { invitation: '' });
    const { need, atRiskWith } = await needOf(rows, { daily_capacity: 1, buffer_business_days: 0, invite_lead_days: 0 });
    expect(need).toMatchObject({ needed: 10, atRisk: 9, atRiskWithoutWindow: 0 });
    expect(atRiskWith(9).size).toBe(1);
  });

  it('runs one placement to confirm its bound, and none when the bound is the setting', async () => {
    expect((await needOf(singles(10, '2026-12-04'), settings(1))).need.placements).toBe(1);
    expect((await needOf(singles(10, '2026-12-04'), settings(2))).need.placements).toBe(0);
  });

  it('when the bound does not pack into days, tries more with the real planner', async () => {
    // Three bases with an add-on each (two moves on one day), due by Tuesday: six moves in two days
    // give a bound of three a day, but two pairs never fit in three; four do.
    const rows = ['a', 'b', 'c'].flatMap((c): RowSpec[] => [
      { customer: c, sub: `${c}-base`, end: '2026-12-01', invitation: 'accepted' },
      { customer: c, sub: `${c}-addon`, end: '2026-12-01', invitation: 'accepted', base: `${c}-base`, offer: 'Visio Plan 2' },
    ]);
    const { need, atRiskWith } = await needOf(rows, settings(1));
    expect(need).toMatchObject({ needed: 4, placements: 2 });
    expect(atRiskWith(3).size).toBe(2);
  });

  it('counts a co-term customer as one day of all its moves', async () => {
    // Two customers of three subscriptions each, all due Monday, co-term: 3 + 3 on one day.
    const rows = [...singles(3, '2026-11-30'), ...singles(3, '2026-11-30').map((r) => ({ ...r, customer: 'c2', sub: `c2-${r.sub}` }))];
    const { need, atRiskWith } = await needOf(rows, { ...settings(2), co_term: true });
    expect(need).toMatchObject({ needed: 6, atRisk: 3 });
    expect(atRiskWith(5).size).toBe(3);
  });
});

// --- the oracle: the real planner at every capacity ----------------------------------------

const FIRST_TODAY = isoToDay('2026-11-02');

interface Instance {
  today: Day;
  lead: number;
  buffer: number;
  coTerm: boolean;
  capacity: number;
  invitations: string[];
  subs: { customer: number; offset: number; addOnOf: number }[];
}

/** Up to 14 subscriptions of up to 4 customers, some ended, some add-ons, ending within ~40 days. */
const instanceArb: fc.Arbitrary<Instance> = fc.record({
  today: fc.integer({ min: FIRST_TODAY, max: FIRST_TODAY + 400 }),
  lead: fc.integer({ min: 0, max: 25 }),
  buffer: fc.integer({ min: 0, max: 6 }),
  coTerm: fc.constantFrom(false, false, false, true),
  capacity: fc.integer({ min: 1, max: 5 }),
  invitations: fc.array(fc.constantFrom('', 'sent', 'accepted'), { minLength: 4, maxLength: 4 }),
  subs: fc.array(
    fc.record({
      customer: fc.integer({ min: 0, max: 3 }),
      offset: fc.integer({ min: -40, max: 40 }),
      addOnOf: fc.integer({ min: -4, max: 13 }),
    }),
    { minLength: 1, maxLength: 14 },
  ),
});

function rowsOf(inst: Instance): RowSpec[] {
  return inst.subs.map((s, i) => {
    const base = inst.subs[s.addOnOf];
    const isAddOn = s.addOnOf >= 0 && s.addOnOf < i && base!.customer === s.customer;
    return {
      customer: `c${s.customer}`,
      sub: `s${i}`,
      end: dayToIso(inst.today + inst.lead + s.offset),
      invitation: inst.invitations[s.customer]!,
      base: isAddOn ? `s${s.addOnOf}` : '',
      offer: isAddOn ? 'Visio Plan 2' : 'Office 365 E3',
    };
  });
}

describe('capacity need against the real planner at every capacity', () => {
  it('is the least capacity with which the planner moves every unit with a window within it', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (inst) => {
        const settings = {
          daily_capacity: inst.capacity,
          invite_lead_days: inst.lead,
          buffer_business_days: inst.buffer,
          co_term: inst.coTerm,
        };
        const { need, atRiskWith, run } = await needOf(rowsOf(inst), settings, dayToIso(inst.today));
        const p = run.portfolio;
        const units = new Units(p, new CustomerWindows(p, inst.today, run.settings), inst.today, inst.coTerm);
        const withWindow = (i: number) => units.ofRow[i] !== -1 && units.windowed(units.ofRow[i]!);
        const fixable = (capacity: number) => [...atRiskWith(capacity)].filter(withWindow).length;
        const withoutWindow = [...atRiskWith(inst.capacity)].filter((i) => !withWindow(i));
        let least = 1;
        while (fixable(least) > 0) least++;
        const context = JSON.stringify({ ...inst, today: dayToIso(inst.today), need: summary(need), least });
        expect(need.needed, context).toBe(least);
        expect(need.atRisk, context).toBe(fixable(inst.capacity));
        expect(need.atRiskWithoutWindow, context).toBe(withoutWindow.length);
      }),
      { seed: 11, numRuns: 250 },
    );
  });
});

function summary(need: CapacityNeed) {
  return { ...need, firstAtRiskEnd: need.firstAtRiskEnd === NO_DAY ? '' : dayToIso(need.firstAtRiskEnd) };
}
