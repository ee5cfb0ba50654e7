/** The days plan.csv shows for a move's lifecycle: when each state still held was reached. */
import { describe, expect, it } from 'vitest';
import { lifecycleDates } from '../../shared/domain/lifecycle-dates.js';
import type { StatusEvent } from '../../shared/domain/status-events.js';

const event = (
  kind: 'customer' | 'subscription',
  id: string,
  state: StatusEvent['state'],
  effective: string,
  correction = false,
): StatusEvent => ({
  subject: { kind, id },
  state,
  effective,
  recordedAt: `${effective}T12:00:00.000Z`,
  source: 'cli',
  by: 'ops',
  correction: correction || undefined,
});

describe('lifecycle dates', () => {
  it('gives the day each state was reached, in any order the events come', () => {
    const events = [
      event('customer', 'c-1', 'accepted', '2026-12-09'),
      event('customer', 'c-1', 'sent', '2026-12-02'),
      event('subscription', 's-1', 'provisioned', '2027-01-04'),
      event('subscription', 's-1', 'done', '2027-02-01'),
    ];
    for (const order of [events, [...events].reverse()]) {
      const dates = lifecycleDates(order);
      expect([dates.invitedOn('c-1'), dates.acceptedOn('c-1'), dates.provisionedOn('s-1')]).toEqual([
        '2026-12-02',
        '2026-12-09',
        '2027-01-04',
      ]);
    }
  });

  it('leaves empty what was never reached, and what a correction took back', () => {
    const dates = lifecycleDates([
      event('customer', 'c-1', 'accepted', '2026-12-09'),
      event('customer', 'c-1', 'sent', '2026-12-10', true),
      event('subscription', 's-1', 'provisioned', '2027-01-04'),
      event('subscription', 's-1', 'planned', '2027-01-05', true),
    ]);
    expect([dates.invitedOn('c-1'), dates.acceptedOn('c-1'), dates.provisionedOn('s-1')]).toEqual(['2026-12-10', '', '']);
    expect(dates.invitedOn('c-unknown')).toBe('');
  });
});
