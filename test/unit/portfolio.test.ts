import { describe, expect, it } from 'vitest';
import { csvOf, planCsv } from '../support/plan-csv.js';

describe('portfolio columns', () => {
  it('keep every offer, program and status, however many distinct values a file has', async () => {
    // Small-id columns start at 8 bits and widen at 128 and at 32,768 distinct strings.
    const n = 33_000;
    const rows = Array.from({ length: n }, (_, i) => ({
      sub: `s${i}`,
      customer: `c${i}`,
      end: '2027-06-30',
      offer: `Offer ${i}`,
      program: `Program ${i % 300}`,
      status: i % 2 ? 'Active' : 'Suspended',
      price: 10 + (i % 500),
    }));
    const { plan } = await planCsv(csvOf(rows), { settings: { daily_capacity: 50_000 } });
    expect(plan).toHaveLength(n);
    for (const i of [0, 127, 128, 300, 32_766, 32_767, 32_768, n - 1]) {
      expect(plan[i]).toMatchObject({
        subscription_id: `s${i}`,
        offer: `Offer ${i}`,
        target_offer: `Offer ${i}`,
        licensing_program: `Program ${i % 300}`,
        status: i % 2 ? 'Active' : 'Suspended',
      });
      expect(Number(plan[i]!.overlap_cost) > 0).toBe(true);
    }
  });

  it('keep seat counts above 65,535, up to the largest allowed', async () => {
    const seats = [12, 65_535, 65_536, 1_000_000, 3];
    const { plan } = await planCsv(csvOf(seats.map((n, i) => ({ sub: `s${i}`, customer: `c${i}`, end: '2027-06-30', seats: n }))));
    expect(plan.map((r) => Number(r.seats))).toEqual(seats);
  });

  it('read seats with thousands separators as the file writes them; say why 1.200 is not 1200 in a comma-delimited file', async () => {
    const header = 'customer_id,customer_name,subscription_id,offer,seats,end_date';
    const semicolons = await planCsv(`${header.replaceAll(',', ';')}\nc1;Contoso;s1;Office 365 E3;1.200;2027-06-30\n`);
    expect(semicolons.plan[0]).toMatchObject({ seats: '1200' });
    const commas = await planCsv(
      `${header}\nc1,Contoso,s1,Office 365 E3,"1,200",2027-06-30\nc2,Fabrikam,s2,Office 365 E3,1.200,2027-06-30\n`,
    );
    expect(commas.plan.map((r) => [r.subscription_id, r.seats])).toEqual([['s1', '1200']]);
    expect(commas.errors).toMatchObject([{ row: '3', column: 'seats', code: 'not_integer' }]);
    expect(commas.errors[0]!.message).toContain('this file writes decimals with "." (it is not delimited by ";"), so it reads as 1.2');
    expect(commas.errors[0]!.message).toContain('For 1200 seats, write 1200.');
  });

  it('take an impossible date with a first field above 12 as a sign of day-first, and reject that row', async () => {
    // A US partner: without the sign, 03/04/2027 would be read month-first (March 4).
    const { plan, errors, run } = await planCsv(
      csvOf([
        { sub: 'impossible', customer: 'c1', end: '31/02/2027' },
        { sub: 'ambiguous', customer: 'c2', end: '03/04/2027' },
      ]),
      { dateFormat: 'auto', settings: { country: 'US' } },
    );
    expect(run.portfolio.stats.dateFormat.used).toBe('dmy');
    expect(plan.map((r) => [r.subscription_id, r.end_date])).toEqual([['ambiguous', '2027-04-03']]);
    expect(errors.filter((e) => e.code === 'invalid_date')).toMatchObject([{ row: '2', column: 'end_date', value: '31/02/2027' }]);
  });

  it('decide a file of mixed day-first and month-first dates by the majority and reject the rest', async () => {
    const { plan, errors } = await planCsv(
      csvOf([
        { sub: 'ambiguous', customer: 'c1', end: '03/04/2027' },
        { sub: 'day-first-1', customer: 'c2', end: '25/04/2027' },
        { sub: 'day-first-2', customer: 'c3', end: '26/05/2027' },
        { sub: 'month-first', customer: 'c4', end: '04/27/2027' },
      ]),
      { dateFormat: 'auto' },
    );
    expect(plan.map((r) => [r.subscription_id, r.end_date])).toEqual([
      ['ambiguous', '2027-04-03'],
      ['day-first-1', '2027-04-25'],
      ['day-first-2', '2027-05-26'],
    ]);
    expect(errors.filter((e) => e.code === 'invalid_date')).toMatchObject([{ row: '5', column: 'end_date', value: '04/27/2027' }]);
  });
});
