/**
 * The e-mail a partner gets after an upload: what was planned, what needs attention, which
 * invitations to send first, what it costs, what went wrong, and where the files are.
 * And its sibling for an upload that could not be planned at all.
 */

import { FILE_CODES } from '../domain/codes.js';
import { type Cents, subtractCents } from '../domain/cost.js';
import { needingAttention } from '../domain/risk.js';
import { sentence } from '../domain/words.js';
import { busiestWeekSentence, capacitySentence } from '../report/capacity-words.js';
import { escapeHtml } from '../report/escape.js';
import type { ReportModel } from '../report/model.js';
import {
  andMore,
  badge,
  bullets,
  button,
  COLOR,
  callout,
  code,
  count,
  day,
  finishSubject,
  h,
  id,
  link,
  type MailContent,
  type Money,
  moneyFormatter,
  type Part,
  p,
  partnerFooter,
  plural,
  prose,
  RISK_INFO,
  RISK_ORDER,
  renderMail,
  safeUrl,
  section,
  small,
  t,
  table,
} from './layout.js';

export interface ReportMailModel {
  report: ReportModel;
  /** Links to the files in S3 (pre-signed) when available; the files are also attached. */
  links?: { plan?: string; errors?: string; report?: string } | undefined;
  /** The upload's page in the console, where a deployment has one: linked instead of the files. */
  uploadPage?: string | undefined;
}

export interface FailureMailModel {
  partnerName?: string;
  fileName: string;
  code: string;
  message: string;
  uploadedAt: string;
}

/** Invitations listed in the mail; the rest are in the report and plan.csv. */
export const MAIL_INVITATIONS = 10;
/** Problem codes listed in the mail; all of them are in the report and errors.csv. */
export const MAIL_PROBLEM_CODES = 8;

export function renderReportMail(m: ReportMailModel): MailContent {
  const r = m.report;
  const money = moneyFormatter(r.partner.currency);
  const planned = plural(r.counts.planned, 'subscription', 'subscriptions');
  const subject = finishSubject(`CSP move plan: ${planned} planned, ${count(r.counts.rejected)} rejected — ${t(r.fileName)}`);
  const attention = needingAttention(r.counts.byRisk);
  const preheader = [
    `${planned} planned for ${plural(r.counts.customers, 'customer', 'customers')}`,
    attention > 0 ? `${count(attention)} need attention` : 'none at risk',
    `${plural(r.invitationsDueCount, 'invitation', 'invitations')} due in 14 days`,
  ].join(' · ');

  const sections = [risksSection(r), invitationsSection(r), moneySection(r, money), problemsSection(r), filesSection(m)].filter(
    (s): s is Part => s !== undefined,
  );

  return renderMail({
    subject,
    preheader,
    heading: 'Your CSP move plan is ready',
    intro: summary(r),
    sections,
    footer: partnerFooter(r.partner.name, r.partner.id, r.generatedAt),
  });
}

function summary(r: ReportModel): Part {
  const c = r.counts;
  const lines: Part[] = [
    {
      html:
        `We read <strong>${h(r.fileName)}</strong> (${plural(c.dataRows, 'row', 'rows')}) as of ${day(r.today)} and planned ` +
        `<strong>${plural(c.planned, 'subscription', 'subscriptions')}</strong> for ${plural(c.customers, 'customer', 'customers')}; ` +
        `<strong>${count(c.rejected)}</strong> rejected.`,
      text:
        `We read ${t(r.fileName)} (${plural(c.dataRows, 'row', 'rows')}) as of ${t(r.today)} and planned ` +
        `${plural(c.planned, 'subscription', 'subscriptions')} for ${plural(c.customers, 'customer', 'customers')}; ` +
        `${count(c.rejected)} rejected.`,
    },
  ];
  if (c.blankRows > 0) {
    const s = `${plural(c.blankRows, 'blank row was', 'blank rows were')} skipped.`;
    lines.push({ html: s, text: s });
  }
  lines.push({
    html: `Dates were read as <strong>${h(r.dateFormat.used)}</strong>: ${prose(sentence(r.dateFormat.reason))}`,
    text: `Dates were read as ${t(r.dateFormat.used)}: ${t(sentence(r.dateFormat.reason))}`,
  });

  const byRisk = r.counts.byRisk;
  const urgent = [
    byRisk.expired_grace > 0 ? `${count(byRisk.expired_grace)} expired but still in grace (move now)` : '',
    byRisk.lapsed > 0 ? `${count(byRisk.lapsed)} lapsed (past grace)` : '',
    byRisk.at_risk > 0 ? `${count(byRisk.at_risk)} at risk (not enough lead time)` : '',
    byRisk.ineligible > 0 ? `${count(byRisk.ineligible)} ineligible (${ineligibleNote(r)})` : '',
  ].filter(Boolean);
  const total = needingAttention(byRisk);
  const attention = urgent.length
    ? {
        html: callout(
          `<strong>${plural(total, 'subscription needs', 'subscriptions need')} attention:</strong> ${prose(urgent.join(', '))}.`,
          COLOR.warnBg,
          RISK_INFO.at_risk.color,
        ),
        text: `! ${plural(total, 'subscription needs', 'subscriptions need')} attention: ${urgent.join(', ')}.`,
      }
    : undefined;

  const capacity = capacityPart(r);
  return {
    html: lines.map((l) => p(l.html)).join('\n') + (attention ? `\n${attention.html}` : '') + (capacity ? `\n${capacity.html}` : ''),
    text: lines.map((l) => l.text).join('\n') + (attention ? `\n\n${attention.text}` : '') + (capacity ? `\n\n${capacity.text}` : ''),
  };
}

/** The daily capacity the moves need against the partner's, and the busiest week at it. */
function capacityPart(r: ReportModel): Part | undefined {
  const sentences = [capacitySentence(r), busiestWeekSentence(r)].filter((s): s is string => s !== undefined);
  if (sentences.length === 0) return undefined;
  const html = sentences.map(escapeHtml).join('<br>');
  return {
    html: (r.capacityNeed?.atRisk ?? 0) > 0 ? callout(html, COLOR.warnBg, RISK_INFO.at_risk.color) : p(html),
    text: sentences.join('\n'),
  };
}

function ineligibleNote(r: ReportModel): string {
  const noTarget = r.errors.find((e) => e.code === 'discontinued_without_target')?.count ?? 0;
  return noTarget > 0
    ? `cannot be moved as they are; ${count(noTarget)} only ${noTarget === 1 ? 'needs' : 'need'} a target_offer`
    : 'cannot be moved as they are: plan.csv says why';
}

function risksSection(r: ReportModel): Part {
  const rows = RISK_ORDER.map((risk) => {
    const info = RISK_INFO[risk];
    return [
      `<span style="color:${info.color};font-weight:700">■</span> <strong>${info.label}</strong>`,
      count(r.counts.byRisk[risk] ?? 0),
      `<span style="color:${COLOR.muted}">${info.meaning}</span>`,
    ];
  });
  const width = Math.max(...RISK_ORDER.map((risk) => RISK_INFO[risk].label.length));
  const text = RISK_ORDER.map((risk) => {
    const info = RISK_INFO[risk];
    return `${info.label.padEnd(width)}  ${count(r.counts.byRisk[risk] ?? 0).padStart(7)}  ${info.meaning}`;
  }).join('\n');
  return section('Subscriptions by risk', {
    html: table([{ label: 'Risk' }, { label: 'Subscriptions', numeric: true }, { label: 'Meaning' }], rows),
    text,
  });
}

function invitationsSection(r: ReportModel): Part | undefined {
  const all = r.invitationsDue;
  const total = r.invitationsDueCount;
  if (total === 0) return undefined;
  const shown = all.slice(0, MAIL_INVITATIONS);
  const more = andMore(total, shown.length, total > all.length ? 'in plan.csv' : 'in the report and plan.csv');
  const intro = `Send the reseller relationship request to ${total === 1 ? 'this customer' : 'these customers'} by the date shown:`;
  const rows = shown.map((i) => [
    `${h(i.customerName)}<br><span style="color:${COLOR.muted};font-size:12px">${id(i.customerId)}</span>`,
    `<strong>${day(i.inviteBy)}</strong>`,
    count(i.subscriptions),
    day(i.firstMove),
  ]);
  const html =
    p(intro) +
    table([{ label: 'Customer' }, { label: 'Invite by' }, { label: 'Subscriptions', numeric: true }, { label: 'First move' }], rows) +
    (more ? small(`…${more}.`) : '');
  const text =
    `${intro}\n` +
    bullets(
      shown.map(
        (i) =>
          `by ${t(i.inviteBy)}: ${t(i.customerName)} (${t(i.customerId)}), ` +
          `${plural(i.subscriptions, 'subscription', 'subscriptions')}, first move ${t(i.firstMove)}`,
      ),
    ) +
    (more ? `\n…${more}.` : '');
  return section(`Invitations due in the next 14 days (${count(total)})`, { html, text });
}

function moneySection(r: ReportModel, money: Money): Part {
  const { overlapCents, cancelNowWasteCents, unpricedRows } = r.money;
  const lines: Part[] = [
    {
      html:
        `Overlap cost of the plan (paying for both subscriptions until the legacy one ends): ` +
        `<strong>${money.html(overlapCents)}</strong>.`,
      text: `Overlap cost of the plan (paying for both subscriptions until the legacy one ends): ${money.text(overlapCents)}.`,
    },
    {
      html:
        `Cancelling everything today instead would waste <strong>${money.html(cancelNowWasteCents)}</strong> ` +
        `(no refunds on cancelled subscriptions).`,
      text: `Cancelling everything today instead would waste ${money.text(cancelNowWasteCents)} (no refunds on cancelled subscriptions).`,
    },
  ];
  if (unpricedRows > 0) {
    const costs = unpricedRows === 1 ? 'its costs are' : 'their costs are';
    const s = `${plural(unpricedRows, 'row has', 'rows have')} no price, so ${costs} not included.`;
    lines.push({ html: s, text: s });
  }
  if (r.coTerm) {
    const { coTermCents, perSubscriptionCents } = r.coTerm;
    const diff = subtractCents(coTermCents, perSubscriptionCents);
    const verdict = (f: (c: Cents) => string) =>
      diff > 0 ? `${f(diff)} more` : diff < 0 ? `${f(subtractCents(0, diff))} less` : 'the same';
    lines.push({
      html:
        `Co-term (one move day per customer): <strong>${money.html(coTermCents)}</strong> in overlap, ` +
        `against ${money.html(perSubscriptionCents)} moving each subscription on its own best day: ${verdict(money.html)}.`,
      text:
        `Co-term (one move day per customer): ${money.text(coTermCents)} in overlap, ` +
        `against ${money.text(perSubscriptionCents)} moving each subscription on its own best day: ${verdict(money.text)}.`,
    });
  }
  return section('Money', { html: lines.map((l) => p(l.html)).join('\n'), text: lines.map((l) => l.text).join('\n') });
}

function problemsSection(r: ReportModel): Part | undefined {
  if (r.errors.length === 0) return undefined;
  const shown = r.errors.slice(0, MAIL_PROBLEM_CODES);
  const more = andMore(r.errors.length, shown.length, 'kinds of problem');
  const sev = { error: 'rejected', ineligible: 'ineligible', warning: 'warning' } as const;
  const sevColor = {
    error: [COLOR.danger, COLOR.dangerBg],
    ineligible: ['#424a53', '#eaeef2'],
    warning: [COLOR.warnText, COLOR.warnBg],
  } as const;
  const rows = shown.map((e) => {
    const [fg, bg] = sevColor[e.severity] ?? sevColor.warning;
    const example = e.examples[0];
    return [
      `${code(e.code)}<br>` + `${badge(sev[e.severity] ?? h(e.severity), fg, bg)}`,
      count(e.count),
      prose(e.meaning) + (example ? `<br><span style="color:${COLOR.muted};font-size:12px">e.g. ${prose(example.message)}</span>` : ''),
    ];
  });
  const totals = (['error', 'ineligible', 'warning'] as const)
    .map((s) => [s, r.errors.filter((e) => e.severity === s).reduce((a, e) => a + e.count, 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) =>
      plural(
        n,
        s === 'error' ? 'error' : s === 'ineligible' ? 'ineligible row' : 'warning',
        s === 'error' ? 'errors' : s === 'ineligible' ? 'ineligible rows' : 'warnings',
      ),
    );
  const intro = `${totals.join(', ')}. Every problem, with its row number, is in errors.csv.`;
  const html =
    p(intro) +
    table([{ label: 'Problem' }, { label: 'Count', numeric: true }, { label: 'What it means' }], rows) +
    (more ? small(`…${more}.`) : '');
  const text =
    `${intro}\n` +
    bullets(
      shown.map((e) => {
        const example = e.examples[0];
        const eg = example ? ` e.g. ${t(example.message)}` : '';
        return `${t(e.code)} (${sev[e.severity] ?? t(e.severity)}) × ${count(e.count)}: ${t(e.meaning)}${eg}`;
      }),
    ) +
    (more ? `\n…${more}.` : '');
  return section('Problems', { html, text });
}

function filesSection(m: ReportMailModel): Part {
  const page = safeUrl(m.uploadPage, true);
  const files = [
    { name: 'plan.csv', what: 'one row per subscription, with invite-by and move-on dates', url: safeUrl(m.links?.plan, true) },
    { name: 'errors.csv', what: 'one row per problem', url: safeUrl(m.links?.errors, true) },
    { name: 'report.html', what: 'the full report with charts; open it in a browser', url: safeUrl(m.links?.report, true) },
  ].map((f) => (page ? { ...f, url: undefined } : f));
  const anyLink = files.some((f) => f.url);
  const note = page
    ? 'The files are attached. The console shows this upload, its problems and fresh downloads of every file.'
    : anyLink
      ? 'The files are attached. Download links are temporary; the attachments are not.'
      : 'The files are attached.';
  const reupload = 'Re-upload an edited plan.csv to record invitations sent or accepted (invitation_status) and update the plan.';
  const html =
    p(note) +
    (page ? button(page, 'Open this upload in the console') : '') +
    `<ul style="margin:0 0 12px;padding-left:20px">${files
      .map((f) => `<li style="margin:0 0 4px"><strong>${f.url ? link(f.url, f.name) : f.name}</strong>: ${f.what}</li>`)
      .join('')}</ul>` +
    small(prose(reupload));
  const text =
    `${note}\n` +
    (page ? `Open this upload in the console: ${t(page)}\n` : '') +
    bullets(files.map((f) => `${f.name}: ${f.what}${f.url ? `\n  ${t(f.url)}` : ''}`)) +
    `\n${reupload}`;
  return section('Files', { html, text });
}

// ---------------------------------------------------------------- failure

/** How to fix each file-level failure; unknown codes get the generic advice. */
const FIXES: Record<string, string> = {
  unreadable: 'If it keeps failing, export the file again from Partner Center or Excel.',
  empty_file: 'Export the file again with the customer rows included.',
  no_rows: 'The header is there but no customers: export the file again with the rows included.',
  binary_file: 'In Excel use File > Save As > "CSV UTF-8 (Comma delimited)".',
  not_csv: 'In Excel use File > Save As > "CSV UTF-8 (Comma delimited)".',
  utf16_file: 'In Excel use File > Save As > "CSV UTF-8 (Comma delimited)" instead of "Unicode Text".',
  missing_columns:
    'Add or rename the columns the message lists. ' +
    'Names from Microsoft exports are accepted, e.g. CustomerTenantId, LegacySubscriptionId, CurrentSeatCount, ExpirationDate.',
  too_large: 'Split the file into smaller files (e.g. by customer).',
  too_many_rows: 'Split the file into smaller files (e.g. by customer).',
};
const GENERIC_FIX = 'Correct the file as the message says.';

export function renderFailureMail(m: FailureMailModel): MailContent {
  const subject = finishSubject(`CSP move plan failed: ${t(m.fileName)} could not be planned`);
  const fileCode = m.code.trim();
  const known = Object.hasOwn(FILE_CODES, fileCode) ? FILE_CODES[fileCode as keyof typeof FILE_CODES] : undefined;
  const fix = Object.hasOwn(FIXES, fileCode) ? (FIXES[fileCode] ?? GENERIC_FIX) : GENERIC_FIX;
  const intro: Part = {
    html: p(`Nothing was planned from <strong>${h(m.fileName)}</strong>, uploaded ${day(m.uploadedAt)}.`),
    text: `Nothing was planned from ${t(m.fileName)}, uploaded ${t(m.uploadedAt)}.`,
  };
  const problem = section('What is wrong', {
    html:
      callout(`<strong>${prose(m.message)}</strong>`, COLOR.dangerBg, COLOR.danger) +
      small(`Code ${code(m.code)}${known ? `: ${prose(known)}` : ''}`),
    text: `${t(m.message)}\nCode ${t(m.code)}${known ? `: ${known}` : ''}`,
  });
  const next = section('How to fix it', {
    html: p(prose(fix)) + p('Then upload it again; it is planned from scratch.'),
    text: `${fix}\nThen upload it again; it is planned from scratch.`,
  });
  return renderMail({
    subject,
    preheader: `${t(m.message)}`,
    heading: 'Your upload could not be planned',
    intro,
    sections: [problem, next],
    footer: partnerFooter(m.partnerName, undefined),
  });
}
