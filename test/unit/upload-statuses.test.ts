/**
 * An upload weighed against what was recorded since: the file says something new only when it is
 * ahead of the recorded state; when it is behind, the recorded state stands and the file is
 * planned with it.
 */
import { describe, expect, it } from 'vitest';
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
