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

  it('gives the first free days, among moves that cannot be on time, to those whose access ends soonest', async () => {
    // Capacity 1 from 2026-12-01. `expired` ended 2026-11-20: users keep access until 12-20.
    // `soon` ends 12-03, before its lead time allows a move: its access ends first, so it goes first.
    const p = await planned(
      [
        { sub: 'expired', customer: 'c1', end: '2026-11-20', invitation: 'accepted' },
        { sub: 'soon', customer: 'c2', end: '2026-12-03', invitation: 'accepted' },
      ],
      { daily_capacity: 1, buffer_business_days: 5 },
    );
    expect(p.soon).toMatchObject({ move_on: '2026-12-01', risk: 'at_risk' });
    expect(p.expired).toMatchObject({ move_on: '2026-12-02', risk: 'expired_grace' });
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

  it('a Suspended subscription is planned as an active one, and its action says it is suspended first', async () => {
    const p = await planned([
      { sub: 's1', end: '2027-06-30', status: 'Suspended' },
      { sub: 's2', end: '2027-06-30' },
    ]);
    expect(p.s1).toMatchObject({ risk: 'ok', move_on: p.s2!.move_on });
    const active = p.s2!.action!;
    expect(p.s1!.action).toBe(
      `Suspended: find out why with the customer (often an unpaid invoice) before the move; ${active.charAt(0).toLowerCase()}${active.slice(1)}`,
    );
  });

  it('at_risk is not raised when the invitation is already accepted and there is time', async () => {
    const p = await planned([{ sub: 's1', end: '2026-12-18', invitation: 'accepted' }]);
    expect(p.s1).toMatchObject({ risk: 'ok', move_on: '2026-12-11', invite_by: '', invitation_status: 'accepted' });
  });

  it('expired_grace: end date passed, still in the 30-day grace on the move day', async () => {
    const p = await planned([{ sub: 's1', end: '2026-11-15', program: 'Open', invitation: 'accepted' }]);
    expect(p.s1).toMatchObject({ risk: 'expired_grace', days_to_expiry: '-16', overlap_days: '0' });
    expect(p.s1!.action).toContain('users keep access until 2026-12-15');
  });

  it('volume-licensing Enterprise has 90 days of grace', async () => {
    const p = await planned([
      { sub: 'vl', end: '2026-09-15', program: 'Volume Licensing Enterprise', invitation: 'accepted' },
      { sub: 'open', end: '2026-09-15', program: 'Open', invitation: 'accepted' },
    ]);
    expect(p.vl!.risk).toBe('expired_grace');
    expect(p.open!.risk).toBe('lapsed');
  });

  it('lapsed, not "move now", when grace ends before the earliest possible move', async () => {
    // Ended 2026-11-15 (Open: access until 2026-12-15); the invitation is not accepted, so the
    // earliest move is 2026-12-22, a week after access ends.
    const p = await planned([{ sub: 's1', end: '2026-11-15', program: 'Open' }]);
    expect(p.s1).toMatchObject({ risk: 'lapsed', move_on: '2026-12-22' });
    expect(p.s1!.action).toMatch(/^Access ends on 2026-12-15, before the earliest possible move on 2026-12-22: expect an interruption; /);
    expect(p.s1!.action).not.toContain('move now');
  });

  it('recognises the ways partners spell Volume Licensing Enterprise', async () => {
    const p = await planned([
      { sub: 'vl', end: '2026-10-01', program: 'VL Enterprise' },
      { sub: 'paren', end: '2026-10-01', program: 'Enterprise (VL)' },
      { sub: 'ea', end: '2026-10-01', program: 'Volume Licensing Enterprise Agreement' },
    ]);
    // 2026-10-01 + 90 days = 2026-12-30: in grace on 2026-12-01; the agreement's 30 days ended 2026-10-31.
    expect(p.vl).toMatchObject({ risk: 'expired_grace' });
    expect(p.vl!.action).toContain('users keep access until 2026-12-30');
    expect(p.paren!.risk).toBe('expired_grace');
    expect(p.ea!.risk).toBe('lapsed');
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

  it('an add-on chain whose root is provisioned moves together, on the day its earliest end allows', async () => {
    const p = await planned(
      [
        { sub: 'r', customer: 'c', end: '2027-04-30', status: 'provisioned' },
        { sub: 'x1', customer: 'c', end: '2027-05-31', base: 'r', offer: 'Visio Plan 2' },
        { sub: 'x2', customer: 'c', end: '2027-03-31', base: 'x1', offer: 'Project Plan 3' },
      ],
      {},
      '2027-01-04',
    );
    expect([p.x1!.move_on, p.x2!.move_on]).toEqual(['2027-03-24', '2027-03-24']);
    expect(p.x2!.action).toContain('with its base subscription x1 (row 3)');
    expect(p.x1!.action).not.toContain('with its base subscription');
  });

  it('rejects an add-on whose base belongs to another customer, naming both customers', async () => {
    const csv = [
      'customer_id,customer_name,subscription_id,offer,seats,end_date,base_subscription_id,invitation_status',
      'a,A,base,Office 365 E3,10,2027-01-20,,not_sent',
      'b,B,addon,Visio Plan 2,10,2027-03-31,base,accepted',
    ].join('\n');
    const { plan, errors } = await planCsv(csv, { today: '2027-01-04' });
    expect(plan.map((r) => r.subscription_id)).toEqual(['base']);
    expect(errors).toEqual([
      expect.objectContaining({ row: '3', column: 'base_subscription_id', value: 'base', code: 'base_of_other_customer' }),
    ]);
    expect(errors[0]!.message).toContain('belongs to customer "a" (row 2), not to this row\'s customer "b"');
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
    expect(model.coTerm!.coTermCents).toBeGreaterThan(model.coTerm!.perSubscriptionCents);
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

  it('are exact to the cent at the input limits, where whole cents pass 2^53', async () => {
    // 36,523 days × 1,000,000 seats × 100,000 a month × 12 / 365 = 12,007,561,643,835,616.44 cents.
    const p = await planned([{ sub: 's1', end: '2100-12-31', seats: 1_000_000, price: 100_000 }], {}, '2001-01-01');
    expect(p.s1!.cancel_now_waste).toBe('120075616438356.16');
    // As of 2027-01-04: 27,024 days, 8,884,602,739,726,027.40 cents (floating point made it …028).
    const q = await planned([{ sub: 's1', end: '2100-12-31', seats: 1_000_000, price: 100_000 }], {}, '2027-01-04');
    expect(q.s1!.cancel_now_waste).toBe('88846027397260.27');
  });

  it('round half a cent up from the exact amount, not from its floating-point neighbour', async () => {
    // One day × 73 seats × 0.01875 a month × 12 / 365 = 4.5 cents exactly (floating point: 4.4999…);
    // with 0.04375, 10.5 cents.
    const p = await planned([
      { sub: 'a', customer: 'a', end: '2026-12-02', seats: 73, price: 0.01875 },
      { sub: 'b', customer: 'b', end: '2026-12-02', seats: 73, price: 0.04375 },
    ]);
    expect(p.a!.cancel_now_waste).toBe('0.05');
    expect(p.b!.cancel_now_waste).toBe('0.11');
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

  it('a provisioned subscription whose end date has passed is done: ok, and the action says so', async () => {
    const p = await planned([
      { sub: 's1', end: '2026-10-01', status: 'provisioned' },
      { sub: 's2', end: '2026-10-01', status: 'provisioned', autoRenew: 'yes' },
    ]);
    expect(p.s1).toMatchObject({ risk: 'ok', move_on: '' });
    expect(p.s1!.action).toBe('Provisioned in CSP; the legacy subscription ended on 2026-10-01: nothing more to do.');
    expect(p.s2!.action).toContain('auto-renew on: check that it did not renew');
  });

  it('a subscription marked Expired or Disabled before its end date is warned about, and no action speaks of that date as past', async () => {
    const { plan, errors } = await planCsv(
      csvOf([
        { sub: 'exp', end: '2027-03-31', status: 'Expired' },
        { sub: 'dis', end: '2027-03-31', status: 'Disabled' },
      ]),
      { today: TODAY },
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      ['2', 'status', 'status_contradicts_end_date'],
      ['3', 'status', 'status_contradicts_end_date'],
    ]);
    expect(errors[0]!.message).toContain('its end date 2027-03-31 is still to come');
    const [exp, dis] = plan;
    expect(exp).toMatchObject({ risk: 'expired_grace', move_on: '2026-12-22' });
    expect(exp!.action).toMatch(/^Marked expired though its end date 2027-03-31 is still to come \(check which is right\); move now: /);
    expect(dis!.risk).toBe('lapsed');
    expect(dis!.action).toMatch(/^Marked disabled though its end date 2027-03-31 is still to come/);
    for (const row of plan) expect(row.action).not.toMatch(/Expired on 2027|access ended on 2027/);
  });
});

describe('country', () => {
  it('reads "United Kingdom" as GB: a British customer of a GB partner is planned on British holidays', async () => {
    const csv =
      'customer_id,customer_name,country,subscription_id,offer,seats,end_date\n' +
      'c1,Contoso UK,United Kingdom,s1,Office 365 E3,10,2027-03-31\n';
    const result = await planCsv(csv, { today: '2027-01-04', settings: { country: 'GB' } });
    expect(result.errors).toEqual([]);
    // Good Friday (2027-03-26) and Easter Monday (2027-03-29) are not business days.
    expect(result.plan[0]).toMatchObject({ country: 'GB', risk: 'ok', move_on: '2027-03-22' });
  });

  it('refuses a withdrawn code on a row, naming the current codes', async () => {
    const result = await planCsv(csvOf([{ sub: 's1', end: '2027-06-30', country: 'FX' }]), { settings: { country: 'FR' } });
    expect(result.plan).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        column: 'country',
        code: 'invalid_country',
        message:
          'Row 2, column country: "FX" is not a current ISO 3166-1 country code: "FX" was withdrawn from ISO 3166-1 (France, Metropolitan); the current code is FR.',
      }),
    ]);
  });
});
