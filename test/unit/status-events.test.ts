/** The lifecycle as events (shared/domain/status-events.ts): the state is derived, whatever the order or repetition. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { changeProblem, currentState, type StatusEvent } from '../../shared/domain/status-events.js';

const subject = { kind: 'subscription' as const, id: 's1' };

const eventArb: fc.Arbitrary<StatusEvent> = fc.record({
  subject: fc.constant(subject),
  state: fc.constantFrom('planned', 'provisioned', 'done', 'excluded'),
  effective: fc.constantFrom('2027-01-04', '2027-01-05', '2027-01-06'),
  recordedAt: fc.constantFrom('2027-01-06T08:00:00.000Z', '2027-01-06T09:00:00.000Z'),
  source: fc.constantFrom('upload', 'cli', 'email_link', 'api'),
  by: fc.constantFrom('ops@partner.example', 'upload plan.csv'),
});

describe('status events', () => {
  it('give the same state in any order and with every event applied twice', () => {
    const arb = fc
      .array(eventArb, { minLength: 1, maxLength: 8 })
      .chain((events) =>
        fc.tuple(
          fc.constant(events),
          fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2, maxLength: events.length * 2 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([events, replayed]) => {
        expect(currentState(replayed)).toEqual(currentState(events));
      }),
      { seed: 3, numRuns: 500 },
    );
  });

  it('let the later effective day win, and on the same day the later record', () => {
    const base = { subject, source: 'cli' as const, by: 'ops@partner.example' };
    const provisioned = { ...base, state: 'provisioned' as const, effective: '2027-01-05', recordedAt: '2027-01-05T10:00:00.000Z' };
    const lateEntry = { ...base, state: 'planned' as const, effective: '2027-01-04', recordedAt: '2027-01-06T10:00:00.000Z' };
    expect(currentState([lateEntry, provisioned])?.state).toBe('provisioned');
    const sameDayLater = { ...lateEntry, state: 'done' as const, effective: '2027-01-05' };
    expect(currentState([sameDayLater, provisioned])?.state).toBe('done');
  });

  it('refuse an unknown state, a day after tomorrow, and a step backwards unless it is a correction', () => {
    const today = isoToDay('2027-01-06');
    expect(changeProblem(subject, 'planned', 'shipped', '2027-01-06', today, false)).toContain('"shipped" is not a subscription state');
    expect(changeProblem(subject, 'planned', 'provisioned', '2027-01-08', today, false)).toContain('in the future');
    expect(changeProblem(subject, 'planned', 'provisioned', '2027-01-07', today, false)).toBeUndefined();
    expect(changeProblem(subject, 'provisioned', 'planned', '2027-01-06', today, false)).toContain('is a correction (--force)');
    expect(changeProblem(subject, 'provisioned', 'planned', '2027-01-06', today, true)).toBeUndefined();
    const customer = { kind: 'customer' as const, id: 'c1' };
    expect(changeProblem(customer, 'not_sent', 'accepted', '2027-01-06', today, false)).toBeUndefined();
    expect(changeProblem(customer, 'accepted', 'sent', '2027-01-06', today, false)).toContain('correction');
  });
});
