/** The planner's units (shared/domain/planner/units.ts): what moves on one day, in columns that widen when a file needs it. */
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { CustomerWindows } from '../../shared/domain/planner/customer-windows.js';
import { Units } from '../../shared/domain/planner/units.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const TODAY = isoToDay('2026-12-01');

async function unitsOf(rows: RowSpec[], coTerm = false): Promise<Units> {
  const settings = parseSettings({ co_term: coTerm });
  const { run } = await planCsv(csvOf(rows), { settings: { co_term: coTerm } });
  return new Units(run.portfolio, new CustomerWindows(run.portfolio, TODAY, settings), TODAY, coTerm);
}

describe('units: what moves on one day', () => {
  const rows: RowSpec[] = [
    { sub: 'base', customer: 'c1', end: '2027-03-31' },
    { sub: 'addon', customer: 'c1', end: '2027-02-26', base: 'base' },
    { sub: 'other', customer: 'c1', end: '2027-06-30' },
    { sub: 'alone', customer: 'c2', end: '2027-06-30' },
  ];

  it('is a subscription with its add-ons, which bring their earlier deadline', async () => {
    const units = await unitsOf(rows);
    expect(units.count).toBe(3);
    expect(Array.from(units.ofRow)).toEqual([0, 0, 1, 2]);
    expect(units.weight[0]).toBe(2);
    expect(units.end[0]).toBe(isoToDay('2027-02-26'));
    expect(units.latest[0]).toBeLessThan(units.latest[1]!);
  });

  it("is a customer's subscriptions in co-term mode", async () => {
    const units = await unitsOf(rows, true);
    expect(units.count).toBe(2);
    expect(Array.from(units.ofRow)).toEqual([0, 0, 0, 1]);
    expect(Array.from(units.weight)).toEqual([3, 1]);
  });
});

describe('units: columns that widen', () => {
  it('counts a unit of more than 65,535 rows in full', async () => {
    const big = Array.from({ length: 65_540 }, (_, i) => ({ sub: `s${i}`, customer: 'big', end: '2027-06-30' }));
    const units = await unitsOf([...big, { sub: 'small', customer: 'small', end: '2027-06-30' }], true);
    expect(Array.from(units.weight)).toEqual([65_540, 1]);
  });

  it('keeps the move days already set when one lands more than 65,535 days after today', async () => {
    const units = await unitsOf([
      { sub: 's1', customer: 'c1', end: '2027-06-30' },
      { sub: 's2', customer: 'c2', end: '2027-06-30' },
    ]);
    units.setDay(0, TODAY + 30);
    units.setDay(1, TODAY + 70_000);
    expect([units.dayOf(0), units.dayOf(1)]).toEqual([TODAY + 30, TODAY + 70_000]);
  });
});
