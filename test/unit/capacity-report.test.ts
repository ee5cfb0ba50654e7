/**
 * What the CLI summary, report.html and the report e-mail say of the daily capacity: what the
 * moves need against the partner's setting (shared/report/capacity-words.ts) and the busiest week.
 */
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../local/summary.js';
import { renderReportMail } from '../../shared/mail/templates.js';
import { busiestWeekSentence, capacitySentence } from '../../shared/report/capacity-words.js';
import type { ReportModel } from '../../shared/report/model.js';
import { csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

type Need = NonNullable<ReportModel['capacityNeed']>;
const need = (n: Partial<Need>): Need => ({ needed: 14, canBeOnTime: 100, atRisk: 0, atRiskWithoutWindow: 0, ...n });
const say = (dailyCapacity: number, n: Partial<Need>) => capacitySentence({ dailyCapacity, capacityNeed: need(n) });

describe('the capacity sentence', () => {
  it('when the setting is short: what is needed, what is at risk with the setting, and the first end date', () => {
    expect(say(10, { needed: 14, atRisk: 23, firstAtRiskEnd: '2027-03-04' })).toBe(
      'You need 14 moves a business day to move every subscription on time; with your 10, 23 subscriptions are at risk, ' +
        'the first ending on 2027-03-04.',
    );
    expect(say(1, { needed: 2, atRisk: 1, firstAtRiskEnd: '2027-03-04' })).toBe(
      'You need 2 moves a business day to move every subscription on time; with your 1, 1 subscription is at risk, ' +
        'the first ending on 2027-03-04.',
    );
  });

  it('when the setting is enough: says so, and how few would do', () => {
    expect(say(20, { needed: 14 })).toBe('Your 20 moves a business day are enough; 14 would do.');
    expect(say(1_500, { needed: 1_234 })).toBe('Your 1,500 moves a business day are enough; 1,234 would do.');
    expect(say(20, { needed: 20 })).toBe('Your 20 moves a business day are just enough: with 19, some subscriptions would be at risk.');
    expect(say(1, { needed: 1 })).toBe('Your 1 move a business day is enough.');
  });

  it('counts apart what is at risk for other reasons than capacity, and promises only what capacity can do', () => {
    expect(say(10, { needed: 14, atRisk: 23, firstAtRiskEnd: '2027-03-04', atRiskWithoutWindow: 5 })).toBe(
      'You need 14 moves a business day to move on time every subscription that still can be; with your 10, ' +
        '23 subscriptions are at risk, the first ending on 2027-03-04. ' +
        '5 more subscriptions are at risk for other reasons (too little lead time, or moving with one that has ended).',
    );
    expect(say(20, { needed: 3, atRiskWithoutWindow: 1 })).toBe(
      'Your 20 moves a business day are enough; 3 would do. ' +
        '1 subscription is at risk for other reasons (too little lead time, or moving with one that has ended).',
    );
  });

  it('when nothing can still move in its window, says capacity would not help', () => {
    expect(say(20, { needed: 1, canBeOnTime: 0 })).toBe(
      'No subscription can still move within its window, so more moves a day would not help.',
    );
  });

  it('says nothing when the capacity was not searched', () => {
    expect(capacitySentence({ dailyCapacity: 20 })).toBeUndefined();
  });

  it('names the busiest week and its moves', () => {
    expect(busiestWeekSentence({ busiestWeek: { weekStart: '2027-02-22', moves: 1_096 } })).toBe(
      'Busiest week: week of 2027-02-22, 1,096 moves.',
    );
    expect(busiestWeekSentence({})).toBeUndefined();
  });
});

describe('the capacity in the summary, the report and the e-mail', () => {
  // Accepted customers, buffer 0, as of Mon 2026-11-30: seven subscriptions due Fri 2026-12-04
  // (five business days) and three due Mon 2026-12-07 moving the week after.
  const rows: RowSpec[] = [
    ...Array.from({ length: 7 }, (_, k): RowSpec => ({ customer: `c${k}`, sub: `s${k}`, end: '2026-12-04', invitation: 'accepted' })),
    ...Array.from({ length: 3 }, (_, k): RowSpec => ({ customer: `d${k}`, sub: `t${k}`, end: '2026-12-07', invitation: 'accepted' })),
  ];
  const planWith = (daily_capacity: number) =>
    planCsv(csvOf(rows), { today: '2026-11-30', settings: { daily_capacity, buffer_business_days: 0 }, capacitySearch: true });

  it('carries the need into the report model, next to the setting and the busiest week', async () => {
    const { model } = await planWith(1);
    expect(model.capacityNeed).toEqual({ needed: 2, canBeOnTime: 10, atRisk: 4, firstAtRiskEnd: '2026-12-04', atRiskWithoutWindow: 0 });
    expect(model.busiestWeek).toEqual({ weekStart: '2026-11-30', moves: 5 });
    expect(model.settings).toContainEqual(['daily_capacity', '1 (needed: 2)']);
  });

  it('prints it in the CLI summary', async () => {
    const { model } = await planWith(1);
    const summary = formatSummary(model, 'out', { plan: 'plan.csv', errors: 'errors.csv', report: 'report.html' }).split('\n');
    expect(summary).toContain(
      'You need 2 moves a business day to move every subscription on time; with your 1, 4 subscriptions are at risk, the first ending on 2026-12-04.',
    );
    expect(summary).toContain('Busiest week: week of 2026-11-30, 5 moves.');
  });

  it('shows it in report.html: in the summary, marked when short, and the busiest week above the chart', async () => {
    const short = await planWith(1);
    expect(short.reportHtml).toContain(
      '<p class="capacity-need capacity-short">You need 2 moves a business day to move every subscription on time; with your 1, ' +
        '4 subscriptions are at risk, the first ending on 2026-12-04.</p>',
    );
    expect(short.reportHtml).toContain('<p class="busiest">Busiest week: week of 2026-11-30, 5 moves.</p>');
    const enough = await planWith(5);
    expect(enough.reportHtml).toContain('<p class="capacity-need">Your 5 moves a business day are enough; 2 would do.</p>');
  });

  it('says it in the report e-mail, html and text, called out when short', async () => {
    const { model } = await planWith(1);
    const mail = renderReportMail({ report: model });
    const sentence =
      'You need 2 moves a business day to move every subscription on time; with your 1, 4 subscriptions are at risk, the first ending on 2026-12-04.';
    expect(mail.text).toContain(`${sentence}\nBusiest week: week of 2026-11-30, 5 moves.`);
    expect(mail.html).toMatch(/border-left:4px solid [^"]+">You need 2 moves a business day/);
    const enough = renderReportMail({ report: (await planWith(5)).model });
    expect(enough.html).toContain('>Your 5 moves a business day are enough; 2 would do.<br>Busiest week: week of 2026-11-30, 7 moves.</p>');
  });

  it('says nothing of the need when it was not searched, only the busiest week', async () => {
    const { model, reportHtml } = await planCsv(csvOf(rows), {
      today: '2026-11-30',
      settings: { daily_capacity: 1, buffer_business_days: 0 },
    });
    expect(model.capacityNeed).toBeUndefined();
    expect(reportHtml).not.toContain('<p class="capacity-need');
    expect(renderReportMail({ report: model }).text).toContain('Busiest week: week of 2026-11-30, 5 moves.');
  });
});
