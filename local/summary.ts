/** The few lines `cspmove plan` prints: what happened and what to do first. */
import { count, plural } from '../shared/domain/words.js';
import { moneyFormatter } from '../shared/mail/layout.js';
import { busiestWeekSentence, capacitySentence } from '../shared/report/capacity-words.js';
import type { ReportModel } from '../shared/report/model.js';

export function formatSummary(model: ReportModel, outDir: string, files: { plan: string; errors: string; report: string }): string {
  const c = model.counts;
  const money = moneyFormatter(model.partner.currency);
  const byKind = { error: 0, ineligible: 0, warning: 0 };
  for (const e of model.errors) byKind[e.severity] += e.count;
  const lines = [
    `Planned ${count(c.planned)} of ${plural(c.dataRows, 'row', 'rows')} for ${plural(c.customers, 'customer', 'customers')} ` +
      `(${count(c.rejected)} rejected), as of ${model.today}.`,
    `Dates read as ${model.dateFormat.used}: ${model.dateFormat.reason}.`,
    `Risk: ${Object.entries(c.byRisk)
      .map(([risk, n]) => `${risk} ${count(n)}`)
      .join(' · ')}`,
    ...[capacitySentence(model), busiestWeekSentence(model)].filter((s): s is string => s !== undefined),
    model.invitationsDue.length > 0
      ? `Invitations due in the next 14 days: ${count(model.invitationsDue.length)} ` +
        `(first: ${model.invitationsDue[0]!.customerName} by ${model.invitationsDue[0]!.inviteBy}).`
      : 'Invitations due in the next 14 days: none.',
    `Overlap cost of the plan: ${money.text(model.money.overlapCents)}; ` +
      `cancelling everything today would waste ${money.text(model.money.cancelNowWasteCents)}.` +
      (model.money.unpricedRows > 0 ? ` (${plural(model.money.unpricedRows, 'row has', 'rows have')} no price.)` : ''),
    ...(model.coTerm
      ? [
          `Co-term: ${money.text(model.coTerm.coTermCents)} overlap vs ${money.text(model.coTerm.perSubscriptionCents)} ` +
            'moving each subscription on its own day.',
        ]
      : []),
    model.errors.length > 0
      ? `Problems: ${plural(byKind.error, 'error', 'errors')}, ${count(byKind.ineligible)} ineligible, ` +
        `${plural(byKind.warning, 'warning', 'warnings')} — see errors.csv.`
      : 'Problems: none.',
    `Wrote ${[files.plan, files.errors, files.report].map((f) => `${outDir}/${f}`).join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
