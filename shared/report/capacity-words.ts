/**
 * What the report, its e-mail and the CLI summary say of the daily capacity: what the moves need
 * against the partner's setting, and the busiest week at the setting. Plain text of numbers and
 * ISO dates; each renderer escapes it for its medium.
 */
import { count, plural } from '../domain/words.js';
import type { ReportModel } from './model.js';

/** "You need 14 moves a business day …" or "Your 20 … are enough; 14 would do."; none when it was not searched. */
export function capacitySentence(model: Pick<ReportModel, 'dailyCapacity' | 'capacityNeed'>): string | undefined {
  const need = model.capacityNeed;
  if (!need) return undefined;
  const setting = model.dailyCapacity;
  if (need.canBeOnTime === 0) return 'No subscription can still move within its window, so more moves a day would not help.';
  const more = need.atRisk > 0 ? 'more ' : '';
  const others =
    need.atRiskWithoutWindow > 0
      ? ` ${plural(need.atRiskWithoutWindow, `${more}subscription is`, `${more}subscriptions are`)} at risk for other reasons ` +
        '(too little lead time, or moving with one that has ended).'
      : '';
  if (need.atRisk > 0) {
    const every = need.atRiskWithoutWindow > 0 ? 'on time every subscription that still can be' : 'every subscription on time';
    return (
      `You need ${plural(need.needed, 'move', 'moves')} a business day to move ${every}; ` +
      `with your ${count(setting)}, ${plural(need.atRisk, 'subscription is', 'subscriptions are')} at risk, ` +
      `the first ending on ${need.firstAtRiskEnd}.${others}`
    );
  }
  const yours = `Your ${plural(setting, 'move a business day is', 'moves a business day are')}`;
  const verdict =
    need.needed < setting
      ? `${yours} enough; ${count(need.needed)} would do.`
      : setting > 1
        ? `${yours} just enough: with ${count(setting - 1)}, some subscriptions would be at risk.`
        : `${yours} enough.`;
  return verdict + others;
}

/** "Busiest week: week of 2027-02-22, 96 moves."; none when nothing moves. */
export function busiestWeekSentence(model: Pick<ReportModel, 'busiestWeek'>): string | undefined {
  const week = model.busiestWeek;
  return week ? `Busiest week: week of ${week.weekStart}, ${plural(week.moves, 'move', 'moves')}.` : undefined;
}
