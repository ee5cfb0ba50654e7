import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { type CsvRow, csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const TODAY = '2026-12-01'; // a Tuesday

async function planned(rows: RowSpec[], settings: Record<string, unknown> = {}, today = TODAY): Promise<Record<string, CsvRow>> {
  const result = await planCsv(csvOf(rows), { today, settings });
  return Object.fromEntries(result.plan.map((r) => [r.subscription_id!, r]));
}

describe('move day: as late as possible, never later than the buffer allows', () => {
  it('moves 5 business days before the end date by default', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08' }]);
    expect(p.s1).toMatchObject({ move_on: '2027-02-01', risk: 'ok', overlap_days: '7', days_to_expiry: '69' });
  });

  it("counts the customer's public holidays as non-business days", async () => {
    // US: Presidents' Day 2027-02-15 → five business days before 2027-02-19 is 2027-02-11.
    const us = await planned([{ sub: 's1', end: '2027-02-19' }]);
    expect(us.s1!.move_on).toBe('2027-02-11');
    // Italy: Festa della Repubblica 2027-06-02 (Wed) → 5 business days before 2027-06-07 is 2027-05-28.
    const it_ = await planned([{ sub: 's1', end: '2027-06-07', country: 'IT' }], { country: 'IT' });
    expect(it_.s1!.move_on).toBe('2027-05-28');
  });

  it('honours buffer_business_days', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08' }], { buffer_business_days: 10 });
    expect(p.s1!.move_on).toBe('2027-01-25');
  });
});

describe('public holidays in every year a plan can reach', () => {
  it('counts Good Friday and Easter Monday in 2050', async () => {
    // Five business days before Fri 2050-04-15: Thu 14, Wed 13, Tue 12, then Easter Monday (11)
    // and Good Friday (8) are off: Thu 7, Wed 6.
    const p = await planned([{ sub: 's1', end: '2050-04-15', country: 'GB', invitation: 'accepted' }], { country: 'GB' }, '2050-03-01');
    expect(p.s1).toMatchObject({ move_on: '2050-04-06', risk: 'ok' });
  });

  it('counts Christmas in 2046', async () => {
    // Five business days before Mon 2046-12-31: Fri 28, Thu 27, Wed 26, then Christmas (Tue 25) is off: Mon 24, Fri 21.
    const p = await planned([{ sub: 's1', end: '2046-12-31', invitation: 'accepted' }], {}, '2046-12-01');
    expect(p.s1).toMatchObject({ move_on: '2046-12-21', risk: 'ok' });
  });

  it("counts Christmas 2100's observed Friday, the last year an input may hold", async () => {
    // Christmas 2100 is a Saturday: Friday 2100-12-24 is off. Five business days before Fri 2100-12-31: 30, 29, 28, 27, 23.
    const p = await planned([{ sub: 's1', end: '2100-12-31', invitation: 'accepted' }], {}, '2100-12-01');
    expect(p.s1).toMatchObject({ move_on: '2100-12-23', risk: 'ok' });
  });
});

describe('capacity: at most daily_capacity moves a business day', () => {
  it('spreads moves that share an end date over earlier business days', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ sub: `s${i}`, customer: `c${i}`, end: '2027-02-08' }));
    const p = await planned(rows, { daily_capacity: 2 });
    const days = Object.values(p)
      .map((r) => r.move_on)
      .sort();
    expect(days).toEqual(['2027-01-28', '2027-01-29', '2027-01-29', '2027-02-01', '2027-02-01']);
    expect(Object.values(p).every((r) => r.risk === 'ok')).toBe(true);
  });

  it('gives the late days to the moves that cannot go earlier', async () => {
    // Both must move by 2026-12-21 and capacity is 1. s-late cannot move before that day
    // (invitation lead), s-free could move any day: s-free yields the day, though listed first.
    const p = await planned(
      [
        { sub: 's-free', customer: 'c1', end: '2026-12-29', invitation: 'accepted' },
        { sub: 's-late', customer: 'c2', end: '2026-12-29' },
      ],
      { daily_capacity: 1, invite_lead_days: 20 },
    );
    expect(p['s-late']).toMatchObject({ move_on: '2026-12-21', risk: 'ok' });
    expect(p['s-free']).toMatchObject({ move_on: '2026-12-18', risk: 'ok' });
  });

  it('puts what does not fit at risk, on the first day with room', async () => {
    // Three moves, all due by 2026-12-23 (Christmas is a holiday), none before 2026-12-21: room for 3 at capacity 1.
    const rows = Array.from({ length: 4 }, (_, i) => ({ sub: `s${i}`, customer: `c${i}`, end: '2026-12-31' }));
    const p = await planned(rows, { daily_capacity: 1, invite_lead_days: 20 });
    const ok = Object.values(p)
      .filter((r) => r.risk === 'ok')
      .map((r) => r.move_on)
      .sort();
    const atRisk = Object.values(p)
      .filter((r) => r.risk === 'at_risk')
      .map((r) => r.move_on);
    expect(ok).toEqual(['2026-12-21', '2026-12-22', '2026-12-23']);
    expect(atRisk).toEqual(['2026-12-24']);
  });
});

describe('the days a plan spans', () => {
  it('starts from 2000-01-01 to 2100-12-31, the dates an input may hold', async () => {
    const rows = [{ sub: 's1', end: '2100-06-30' }];
    await expect(planned(rows, {}, '2101-01-01')).rejects.toThrow(/2000-01-01 to 2100-12-31, not 2101-01-01/);
    await expect(planned(rows, {}, '1999-12-31')).rejects.toThrow(RangeError);
    expect((await planned(rows, {}, '2100-01-04')).s1).toMatchObject({ move_on: '2100-06-23', risk: 'ok' });
  });

  it('places moves more than 180 years ahead when the daily capacity leaves no earlier day', async () => {
    // 47,000 moves due at once, one a business day: the last lands 65,536+ days after today.
    const rows = Array.from({ length: 47_000 }, (_, i) => ({ sub: `s${i}`, customer: `c${i}`, end: '2026-12-31', invitation: 'accepted' }));
    const days = Object.values(await planned(rows, { daily_capacity: 1 })).map((r) => r.move_on!);
    expect(new Set(days).size).toBe(days.length);
    expect(isoToDay([...days].sort().at(-1)!) - isoToDay(TODAY)).toBeGreaterThan(65_536);
  });

  it('counts a co-term customer of more than 65,535 subscriptions in full against the day', async () => {
    // 65,540 + 10 moves do not fit a day of 65,545: the small customer moves on another day.
    const rows = [
      ...Array.from({ length: 65_540 }, (_, i) => ({ sub: `big${i}`, customer: 'big', end: '2027-06-30' })),
      ...Array.from({ length: 10 }, (_, i) => ({ sub: `small${i}`, customer: 'small', end: '2027-06-30' })),
    ];
    const plan = Object.values(await planned(rows, { co_term: true, daily_capacity: 65_545 }));
    const dayOf = (customer: string) => new Set(plan.filter((r) => r.customer_id === customer).map((r) => r.move_on));
    expect(dayOf('big')).toEqual(new Set(['2027-06-23']));
    expect(dayOf('small')).toEqual(new Set(['2027-06-22']));
  });
});

describe('risk classes', () => {
  it('ok: planned with full lead time', async () => {
    expect((await planned([{ sub: 's1', end: '2027-06-30' }])).s1!.risk).toBe('ok');
  });

  it('at_risk: the end date comes before the invitation lead time allows a move', async () => {
    const p = await planned([{ sub: 's1', end: '2026-12-18' }]);
    // earliest = today + 21 days = 2026-12-22, after the end date: as early as possible.
    expect(p.s1).toMatchObject({ risk: 'at_risk', move_on: '2026-12-22', invite_by: TODAY });
    expect(p.s1!.action).toMatch(/^At risk: not enough lead time before 2026-12-18; send the reseller relationship request now;/);
  });

  it('at_risk is not raised when the invitation is already accepted and there is time', async () => {
    const p = await planned([{ sub: 's1', end: '2026-12-18', invitation: 'accepted' }]);
    expect(p.s1).toMatchObject({ risk: 'ok', move_on: '2026-12-11', invite_by: '', invitation_status: 'accepted' });
  });

  it('expired_grace: end date passed, still in the 30-day grace', async () => {
    const p = await planned([{ sub: 's1', end: '2026-11-15', program: 'Open' }]);
    expect(p.s1).toMatchObject({ risk: 'expired_grace', days_to_expiry: '-16', overlap_days: '0' });
    expect(p.s1!.action).toContain('users keep access until 2026-12-15');
  });

  it('volume-licensing Enterprise has 90 days of grace', async () => {
    const p = await planned([
      { sub: 'vl', end: '2026-09-15', program: 'Volume Licensing Enterprise' },
      { sub: 'open', end: '2026-09-15', program: 'Open' },
    ]);
    expect(p.vl!.risk).toBe('expired_grace');
    expect(p.open!.risk).toBe('lapsed');
  });

  it('lapsed: past grace, still planned as early as possible', async () => {
    const p = await planned([{ sub: 's1', end: '2026-08-31' }]);
    expect(p.s1).toMatchObject({ risk: 'lapsed', move_on: '2026-12-22' });
    expect(p.s1!.action).toMatch(/^Lapsed: access ended on 2026-09-30/);
  });

  it('ineligible: another country, a discontinued offer without target, a deleted subscription', async () => {
    const p = await planned([
      { sub: 'de', customer: 'c-de', end: '2027-06-30', country: 'DE' },
      { sub: 'e4', end: '2027-06-30', offer: 'Office 365 E4' },
      { sub: 'gone', end: '2027-06-30', status: 'Deleted' },
    ]);
    for (const sub of ['de', 'e4', 'gone']) expect(p[sub]).toMatchObject({ risk: 'ineligible', move_on: '', overlap_days: '' });
    expect(p.de!.action).toContain('Germany');
    expect(p.e4!.action).toContain('target_offer');
    expect(p.gone!.action).toContain('deleted');
  });

  it('a discontinued offer with an equivalent target is planned, with license reassignment', async () => {
    const p = await planned([{ sub: 'e4', end: '2027-06-30', offer: 'Office 365 E4', target: 'Office 365 E5' }]);
    expect(p.e4).toMatchObject({ risk: 'ok', target_offer: 'Office 365 E5', license_reassignment: 'yes' });
  });
});

describe('add-ons and co-term', () => {
  it('moves add-ons on the same day as their base, even when listed first or ending later', async () => {
    const p = await planned([
      { sub: 'addon', end: '2027-09-30', base: 'base', offer: 'Exchange Online Archiving' },
      { sub: 'base', end: '2027-03-31' },
    ]);
    expect(p.addon!.move_on).toBe(p.base!.move_on);
    expect(p.base!.move_on).toBe('2027-03-24');
    expect(p.addon!.action).toContain('with its base subscription base (row 3)');
  });

  it('an add-on of an ineligible base is ineligible too', async () => {
    const p = await planned([
      { sub: 'base', end: '2027-03-31', offer: 'Office 365 E4' },
      { sub: 'addon', end: '2027-03-31', base: 'base' },
    ]);
    expect(p.addon!.risk).toBe('ineligible');
  });

  it('co-term moves every subscription of a customer on one day, before the first deadline', async () => {
    const rows = [
      { sub: 'a', end: '2027-03-31' },
      { sub: 'b', end: '2027-06-30' },
      { sub: 'other', customer: 'c2', end: '2027-06-30' },
    ];
    const p = await planned(rows, { co_term: true });
    expect(p.a!.move_on).toBe('2027-03-24');
    expect(p.b!.move_on).toBe('2027-03-24');
    expect(p.other!.move_on).toBe('2027-06-23');
    const { model } = await planCsv(csvOf(rows), { today: TODAY, settings: { co_term: true } });
    expect(model.coTerm!.coTermCost).toBeGreaterThan(model.coTerm!.perSubscriptionCost);
  });
});

describe('invitations', () => {
  it('invite_by is the earliest move of the customer minus the lead time', async () => {
    const p = await planned([
      { sub: 'a', end: '2027-03-31' },
      { sub: 'b', end: '2027-02-08' },
    ]);
    expect(p.a!.invite_by).toBe('2027-01-11');
    expect(p.b!.invite_by).toBe('2027-01-11');
  });

  it('is never before today, and empty once accepted', async () => {
    const p = await planned([
      { sub: 'soon', customer: 'c1', end: '2026-12-18' },
      { sub: 'done', customer: 'c2', end: '2027-03-31', invitation: 'accepted' },
    ]);
    expect(p.soon!.invite_by).toBe(TODAY);
    expect(p.done!.invite_by).toBe('');
  });

  it('an accepted invitation on any row counts for the whole customer', async () => {
    const p = await planned([
      { sub: 'a', end: '2026-12-18' },
      { sub: 'b', end: '2026-12-18', invitation: 'accepted' },
    ]);
    expect(p.a!.invitation_status).toBe('accepted');
    expect(p.a!.risk).toBe('ok');
  });
});

describe('costs', () => {
  it('overlap_cost and cancel_now_waste follow the price per seat per month', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08', seats: 25, price: 20 }]);
    // 7 days × 25 seats × 20 × 12 / 365 = 115.07; 69 days → 1134.25
    expect(p.s1).toMatchObject({ overlap_days: '7', overlap_cost: '115.07', cancel_now_waste: '1134.25' });
  });

  it('leaves costs empty without a price', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08', price: '' }]);
    expect(p.s1).toMatchObject({ overlap_cost: '', cancel_now_waste: '' });
  });
});

describe('action', () => {
  it('is one sentence with the steps in order, warning about auto-renew', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08', seats: 25, autoRenew: 'true' }]);
    expect(p.s1!.action).toBe(
      'Send the reseller relationship request by 2027-01-11; provision 25 seats of Office 365 E3 in CSP on 2027-02-01; ' +
        'let the legacy subscription expire on 2027-02-08 (do not cancel: no refund); turn off auto-renew first, or it renews for another full term.',
    );
  });

  it('says what to do when the offer changes', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08', target: 'Microsoft 365 E3' }]);
    expect(p.s1!.license_reassignment).toBe('yes');
    expect(p.s1!.action).toContain("reassign users' licenses from Office 365 E3 to Microsoft 365 E3");
  });

  it('a provisioned subscription (re-uploaded plan) is not moved again', async () => {
    const p = await planned([{ sub: 's1', end: '2027-02-08', status: 'provisioned', autoRenew: 'yes' }]);
    expect(p.s1).toMatchObject({ move_on: '', risk: 'ok', status: 'provisioned' });
    expect(p.s1!.action).toMatch(/^Provisioned in CSP: let the legacy subscription expire on 2027-02-08/);
  });
});
