/** The weekly digest's model (shared/use-cases/weekly-digest.ts): what it counts of a tracked plan. */
import '../../local/quiet-sdk-notice.js'; // first: the use case's module creates SDK clients
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import type { TrackedSubscription } from '../../shared/domain/tracked-plan.js';
import { buildWeeklyModel } from '../../shared/use-cases/weekly-digest.js';

const settings = parseSettings({ partner_id: 'p-1', daily_capacity: 10 });
const today = isoToDay('2027-01-04');

function sub(id: string, moveOn: string, fields: Partial<TrackedSubscription> = {}): TrackedSubscription {
  return {
    subscriptionId: id,
    customerName: 'Fabrikam',
    offer: 'Office 365 E3',
    targetOffer: 'Microsoft 365 E3',
    seats: 10,
    endDate: '2027-01-29',
    moveOn,
    risk: 'ok',
    autoRenew: false,
    provisioned: false,
    state: 'planned',
    invitationAccepted: true,
    missing: false,
    ...fields,
  };
}

describe('the weekly digest model', () => {
  it('counts an excluded subscription as excluded, outside the risks, the moves per week and the moves ahead', () => {
    const model = buildWeeklyModel(
      'p-1',
      settings,
      [sub('kept', '2027-01-06'), sub('dropped', '2027-01-07', { state: 'excluded', risk: 'at_risk' })],
      [],
      today,
    );
    expect(model.countsByStatus).toEqual({ planned: 1, excluded: 1 });
    expect(model.countsByRisk.at_risk).toBe(0);
    expect(model.countsByRisk.ok).toBe(1);
    expect(model.movesPerWeek).toEqual({ weeks: [{ weekStart: '2027-01-04', moves: 1, needAttention: 0 }] });
    expect(model.movesNext14Days.map((m) => m.subscriptionId)).toEqual(['kept']);
  });

  it('counts a finished move as done, not as provisioned or overdue', () => {
    const model = buildWeeklyModel('p-1', settings, [sub('old', '2026-12-01', { state: 'done', provisioned: true })], [], today);
    expect(model.countsByStatus).toEqual({ done: 1 });
  });

  it("has a bar for every week from the digest's Monday to the last move, empty ones too, and none for past moves", () => {
    const model = buildWeeklyModel(
      'p-1',
      settings,
      [sub('past', '2026-12-30'), sub('a', '2027-01-05'), sub('b', '2027-01-26', { risk: 'at_risk' }), sub('c', '2027-01-28')],
      [],
      today,
    );
    expect(model.movesPerWeek).toEqual({
      weeks: [
        { weekStart: '2027-01-04', moves: 1, needAttention: 0 },
        { weekStart: '2027-01-11', moves: 0, needAttention: 0 },
        { weekStart: '2027-01-18', moves: 0, needAttention: 0 },
        { weekStart: '2027-01-25', moves: 2, needAttention: 1 },
      ],
    });
  });
});
