/**
 * An upload weighed against what was recorded since: the file says something new only when it is
 * ahead of the recorded state; when it is behind, the recorded state stands and the file is
 * planned with it.
 */
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import type { StatusEvent, StatusSubject } from '../../shared/domain/status-events.js';
import { currentStates } from '../../shared/domain/upload-statuses.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const event = (subject: StatusSubject, state: StatusEvent['state'], effective = '2026-11-20'): StatusEvent => ({
  subject,
  state,
  effective,
  recordedAt: `${effective}T10:00:00.000Z`,
  source: 'email_link',
  by: 'ops@partner.example',
});
const customer = (id: string): StatusSubject => ({ kind: 'customer', id });
const subscription = (id: string): StatusSubject => ({ kind: 'subscription', id });

const rows = (over: Partial<Record<'invitation' | 'status', string>> = {}): RowSpec[] => [
  { customer: 'c-1', sub: 's-1', end: '2027-03-31', ...over },
  { customer: 'c-2', sub: 's-2', end: '2027-04-30' },
];

async function planned(fileRows: RowSpec[], events: StatusEvent[]) {
  const { run, plan } = await planCsv(csvOf(fileRows), { events });
  return { statuses: run.statuses!, row: (sub: string) => plan.find((r) => r.subscription_id === sub)! };
}

describe('an upload against the recorded states', () => {
  it('a file without statuses says nothing new, and a customer recorded as accepted is planned as accepted', async () => {
    const { statuses, row } = await planned(rows(), [event(customer('c-1'), 'accepted')]);
    expect(statuses.news).toEqual([]);
    expect(row('s-1')).toMatchObject({ invitation_status: 'accepted', invite_by: '' });
    expect(row('s-2')).toMatchObject({ invitation_status: 'not_sent' });
    expect(row('s-2').invite_by).not.toBe('');
  });

  it('an invitation or a subscription the file has further along than the record is news', async () => {
    const { statuses } = await planned(rows({ invitation: 'accepted', status: 'provisioned' }), [event(customer('c-1'), 'sent')]);
    expect(statuses.news).toEqual([
      { subject: customer('c-1'), state: 'accepted' },
      { subject: subscription('s-1'), state: 'provisioned' },
    ]);
    expect(statuses.subscriptionStates.get('s-1')).toBe('provisioned');
  });

  it('"done" in the status column is the move finished', async () => {
    const { statuses } = await planned(rows({ status: 'Done' }), []);
    expect(statuses.news).toEqual([{ subject: subscription('s-1'), state: 'done' }]);
  });

  it('a file behind the record changes nothing: the recorded state is planned', async () => {
    const { statuses, row } = await planned(rows({ invitation: 'sent', status: 'Active' }), [
      event(customer('c-1'), 'accepted'),
      event(subscription('s-1'), 'provisioned'),
    ]);
    expect(statuses.news).toEqual([]);
    expect(row('s-1')).toMatchObject({ invitation_status: 'accepted', move_on: '' });
    expect(statuses.subscriptionStates.get('s-1')).toBe('provisioned');
  });

  it('a subscription recorded as excluded stays excluded; a statement equal to the record is not news', async () => {
    const { statuses } = await planned(rows({ invitation: 'accepted' }), [
      event(customer('c-1'), 'accepted'),
      event(subscription('s-1'), 'excluded'),
    ]);
    expect(statuses.news).toEqual([]);
    expect(statuses.subscriptionStates.get('s-1')).toBe('excluded');
  });

  it('an excluded subscription gets no move day and leaves its capacity: the move it held back goes earlier', async () => {
    // One move a day, both customers accepted, the same end date: s-1 takes the latest day, s-2 the one before.
    const file: RowSpec[] = [
      { customer: 'c-1', sub: 's-1', end: '2027-03-31', invitation: 'accepted', seats: 50, price: 20 },
      { customer: 'c-2', sub: 's-2', end: '2027-03-31', invitation: 'accepted', seats: 10, price: 20 },
    ];
    const settings = { daily_capacity: 1 };
    const both = await planCsv(csvOf(file), { events: [], settings });
    const moveOf = (plan: typeof both.plan, sub: string) => plan.find((r) => r.subscription_id === sub)!.move_on;
    expect(moveOf(both.plan, 's-1')).not.toBe(moveOf(both.plan, 's-2'));

    const { plan } = await planCsv(csvOf(file), { events: [event(subscription('s-1'), 'excluded')], settings });
    const excluded = plan.find((r) => r.subscription_id === 's-1')!;
    expect(excluded).toMatchObject({ move_on: '', risk: 'ok' });
    expect(excluded.action).toMatch(/^Excluded from the move/);
    // s-2 now has the day to itself: the latest one, which s-1 held.
    expect(moveOf(plan, 's-2')).toBe([moveOf(both.plan, 's-1'), moveOf(both.plan, 's-2')].sort().at(-1));
  });

  it('the latest recorded event gives the state, whatever order the events come in', () => {
    const later = event(customer('c-1'), 'accepted', '2026-11-25');
    const earlier = event(customer('c-1'), 'sent', '2026-11-21');
    expect(currentStates([later, earlier]).get('C#c-1')?.state).toBe('accepted');
    expect(currentStates([earlier, later]).get('C#c-1')?.state).toBe('accepted');
  });
});

describe('the days a re-uploaded plan.csv gives for its states', () => {
  const HEADER =
    'customer_id,customer_name,subscription_id,offer,seats,end_date,invitation_status,invited_on,accepted_on,status,provisioned_on';
  const file = (...lines: string[]) => [HEADER, ...lines].join('\n');
  const day = (iso: string) => isoToDay(iso);

  it('a new state takes effect on the day the file gives; an acceptance never recorded as sent brings its sending too', async () => {
    const { run } = await planCsv(
      file(
        'c-1,Contoso,s-1,Office 365 E3,5,2027-03-31,accepted,2026-11-20,2026-11-28,provisioned,2026-11-30',
        'c-2,Fabrikam,s-2,Office 365 E3,5,2027-04-30,sent,2026-11-25,,,',
      ),
      { events: [] },
    );
    expect(run.statuses!.news).toEqual([
      { subject: customer('c-1'), state: 'sent', on: day('2026-11-20') },
      { subject: customer('c-1'), state: 'accepted', on: day('2026-11-28') },
      { subject: customer('c-2'), state: 'sent', on: day('2026-11-25') },
      { subject: subscription('s-1'), state: 'provisioned', on: day('2026-11-30') },
    ]);
    expect(run.lifecycle!.acceptedOn('c-1')).toBe('2026-11-28');
    expect(run.lifecycle!.invitedOn('c-1')).toBe('2026-11-20');
    expect(run.lifecycle!.provisionedOn('s-1')).toBe('2026-11-30');
  });

  it("a day before the recorded state it follows is raised to that state's day, so the new state is the one the events end in", async () => {
    const { run } = await planCsv(file('c-1,Contoso,s-1,Office 365 E3,5,2027-03-31,accepted,2026-11-20,2026-11-19,,'), {
      events: [event(customer('c-1'), 'sent', '2026-11-22')],
    });
    expect(run.statuses!.news).toEqual([{ subject: customer('c-1'), state: 'accepted', on: day('2026-11-22') }]);
  });

  it('a day after tomorrow, or an acceptance before the invitation, is a warning naming the day the change takes', async () => {
    const { run, errors } = await planCsv(
      file(
        'c-1,Contoso,s-1,Office 365 E3,5,2027-03-31,accepted,2026-11-20,2026-11-10,provisioned,2026-12-03',
        'c-2,Fabrikam,s-2,Office 365 E3,5,2027-04-30,sent,2026-12-02,,,',
      ),
      { events: [], today: '2026-12-01' },
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      ['2', 'accepted_on', 'unusable_status_date'],
      ['2', 'provisioned_on', 'unusable_status_date'],
    ]);
    expect(errors[0]!.message).toContain('is before invited_on 2026-11-20: the acceptance takes that day');
    expect(errors[1]!.message).toContain('"2026-12-03" is after tomorrow: the change takes the upload day');
    expect(run.statuses!.news).toEqual([
      { subject: customer('c-1'), state: 'sent', on: day('2026-11-20') },
      { subject: customer('c-1'), state: 'accepted', on: day('2026-11-20') },
      // Tomorrow is allowed: the partner's today may be ahead of the upload's.
      { subject: customer('c-2'), state: 'sent', on: day('2026-12-02') },
      { subject: subscription('s-1'), state: 'provisioned' },
    ]);
  });

  it("days are read in the file's date format, and a day no reading allows rejects the row as any bad date does", async () => {
    const { run, errors, plan } = await planCsv(
      file(
        'c-1,Contoso,s-1,Office 365 E3,5,31/03/2027,accepted,20/11/2026,28/11/2026,provisioned,30/11/2026',
        'c-2,Fabrikam,s-2,Office 365 E3,5,30/04/2027,,,,provisioned,31/02/2026',
      ),
      { events: [] },
    );
    expect(run.statuses!.news).toContainEqual({ subject: customer('c-1'), state: 'accepted', on: day('2026-11-28') });
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([['3', 'provisioned_on', 'invalid_date']]);
    expect(plan.map((r) => r.subscription_id)).toEqual(['s-1']);
  });

  it('two rows of one customer with different days: the first is used, the other is a customer_conflict', async () => {
    const { run, errors } = await planCsv(
      file(
        'c-1,Contoso,s-1,Office 365 E3,5,2027-03-31,sent,2026-11-20,,,',
        'c-1,Contoso,s-2,Office 365 E3,5,2027-04-30,sent,2026-11-21,,,',
      ),
      { events: [] },
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([['3', 'invited_on', 'customer_conflict']]);
    expect(run.statuses!.news).toEqual([{ subject: customer('c-1'), state: 'sent', on: day('2026-11-20') }]);
  });
});
