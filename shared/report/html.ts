/**
 * report.html: the plan as one self-contained page that partners get by e-mail or download.
 * No scripts, no external resources (mail clients and offline readers block them), inline
 * styles only, and it prints. Every piece of partner data goes through `safeText`.
 */

import { type Cents, decimalOf, subtractCents } from '../domain/cost.js';
import { BUSINESS_DAYS_A_WEEK } from '../domain/dates.js';
import { RISKS, type Risk } from '../domain/risk.js';
import { count, plural } from '../domain/words.js';
import { escapeHtml, safeText } from './escape.js';
import type { ReportModel } from './model.js';
import { RISK_INFO } from './risk-info.js';

type Week = ReportModel['movesPerWeek'][number];

/** Chart geometry, in SVG user units (pixels at 100%). */
export const CHART = {
  /** Height of the plot area: a week at the axis maximum is this tall. */
  height: 200,
  /** Horizontal space per week, and the bar inside it. */
  slot: 28,
  barWidth: 18,
  padTop: 24,
  /** Room for the rotated ISO dates under the bars. */
  padBottom: 64,
  /** Room for the first rotated date, which runs down and to the left of its bar. */
  padLeft: 48,
  /** Room for the "capacity" label at the end of the reference line. */
  padRight: 96,
  /** At most this many date labels, so they never overlap. */
  maxDateLabels: 26,
} as const;

const BAR_COLOR = '#2f6fb0';
const AT_RISK_COLOR = '#e0891b';

export function renderReportHtml(model: ReportModel): string {
  const money = moneyFormatter(model.partner.currency);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeText(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${renderHeader(model)}
<main>
${renderSummary(model, money)}
${renderInvitations(model)}
${renderMovesPerWeek(model)}
${renderOverlaps(model, money)}
${renderErrors(model)}
${renderSettings(model)}
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------- formatting

type Money = (cents: Cents) => string;

/** Formats amounts in the partner's currency; an unknown code falls back to "1,234.50 XYZ". */
function moneyFormatter(currency: string): Money {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return (cents) => escapeHtml(format.format(decimalOf(cents)));
  } catch {
    const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (cents) => `${escapeHtml(plain.format(decimalOf(cents)))} ${safeText(currency)}`;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---------------------------------------------------------------- building blocks

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}">\n<h2>${heading}</h2>\n${body}\n</section>`;
}

function emptyState(text: string): string {
  return `<p class="empty">${text}</p>`;
}

interface Column {
  label: string;
  /** Right-aligned, for numbers and money. */
  numeric?: boolean;
}

/** A table whose cells are already safe HTML. */
function table(columns: Column[], rows: string[][]): string {
  const cls = (c: Column | undefined) => (c?.numeric ? ' class="num"' : '');
  const head = columns.map((c) => `<th scope="col"${cls(c)}>${c.label}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((cell, i) => `<td${cls(columns[i])}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

// ---------------------------------------------------------------- sections

function renderHeader(model: ReportModel): string {
  const { partner } = model;
  const partnerParts = [partner.name && safeText(partner.name), partner.id && `ID ${safeText(partner.id)}`];
  const partnerHtml = partnerParts.filter(Boolean).join(' · ');
  const meta: [string, string][] = [
    ['Partner', partnerHtml || '—'],
    ['Country', safeText(partner.country)],
    ['File', safeText(model.fileName)],
    ['Plan date', safeText(model.today)],
    ['Generated', safeText(model.generatedAt)],
  ];
  const items = meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
  return `<header>\n<h1>${safeText(model.title)}</h1>\n<dl class="meta">${items}</dl>\n</header>`;
}

function renderSummary(model: ReportModel, money: Money): string {
  const { counts } = model;
  const stats: [string, number][] = [
    ['Rows read', counts.dataRows],
    ['Planned', counts.planned],
    ['Rejected', counts.rejected],
    ['Customers', counts.customers],
  ];
  const statHtml = stats
    .map(([label, n]) => `<div class="stat"><span class="stat-n">${count(n)}</span><span class="stat-l">${label}</span></div>`)
    .join('');
  const blank = counts.blankRows > 0 ? `<p class="note">${plural(counts.blankRows, 'blank row was', 'blank rows were')} skipped.</p>` : '';
  return section(
    'summary',
    'Summary',
    `<div class="stats">${statHtml}</div>\n${blank}\n${renderRiskCards(counts.byRisk)}\n${renderMoney(model, money)}`,
  );
}

function renderRiskCards(byRisk: Record<Risk, number>): string {
  const cards = RISKS.map((risk) => {
    const info = RISK_INFO[risk];
    return (
      `<div class="risk risk-${risk}" data-risk="${risk}" style="border-left-color:${info.color}">` +
      `<span class="risk-n" style="color:${info.color}">${count(byRisk[risk] ?? 0)}</span>` +
      `<span class="risk-l">${info.label}</span>` +
      `<span class="risk-m">${info.meaning}</span></div>`
    );
  }).join('\n');
  return `<div class="risks">\n${cards}\n</div>`;
}

function renderMoney(model: ReportModel, money: Money): string {
  const { overlapCents, cancelNowWasteCents, unpricedRows } = model.money;
  const lines = [
    `Total overlap cost of the plan: <strong>${money(overlapCents)}</strong>.`,
    `Cancelling everything today would waste <strong>${money(cancelNowWasteCents)}</strong>.`,
  ];
  if (unpricedRows > 0) {
    const costs = unpricedRows === 1 ? 'its costs are' : 'their costs are';
    lines.push(`${plural(unpricedRows, 'row has', 'rows have')} no price, so ${costs} not included.`);
  }
  if (model.coTerm) lines.push(coTermSentence(model.coTerm, money));
  return `<div class="money">${lines.map((l) => `<p>${l}</p>`).join('\n')}</div>`;
}

function coTermSentence(coTerm: NonNullable<ReportModel['coTerm']>, money: Money): string {
  const diff = subtractCents(coTerm.coTermCents, coTerm.perSubscriptionCents);
  const verdict = diff > 0 ? `${money(diff)} more` : diff < 0 ? `${money(subtractCents(0, diff))} less` : 'the same';
  return (
    `Co-term: moving each customer on one day costs <strong>${money(coTerm.coTermCents)}</strong> in overlap, ` +
    `against ${money(coTerm.perSubscriptionCents)} moving each subscription on its own best day: ${verdict}.`
  );
}

function renderInvitations(model: ReportModel): string {
  const rows = model.invitationsDue.map((inv) => [
    safeText(inv.customerName),
    safeText(inv.customerId),
    safeText(inv.inviteBy),
    count(inv.subscriptions),
    safeText(inv.firstMove),
  ]);
  const more = model.invitationsDueCount - rows.length;
  const body = rows.length
    ? table(
        [
          { label: 'Customer' },
          { label: 'Customer ID' },
          { label: 'Invite by' },
          { label: 'Subscriptions', numeric: true },
          { label: 'First move' },
        ],
        rows,
      ) +
      (more > 0
        ? `<p class="more">… and ${plural(more, 'more customer', 'more customers')}: plan.csv lists every one (filter invite_by).</p>`
        : '')
    : emptyState('No invitations are due in the next 14 days.');
  return section('invitations', 'Invitations due in the next 14 days', body);
}

function renderMovesPerWeek(model: ReportModel): string {
  const weeklyCapacity = model.dailyCapacity * BUSINESS_DAYS_A_WEEK;
  const body = model.movesPerWeek.length
    ? `${renderChart(model.movesPerWeek, weeklyCapacity)}\n${renderLegend(weeklyCapacity)}`
    : emptyState('No moves are planned.');
  return section('moves-per-week', 'Moves per week', body);
}

function renderOverlaps(model: ReportModel, money: Money): string {
  const rows = model.costliestOverlaps.map((o) => [
    count(o.row),
    safeText(o.customerName),
    safeText(o.subscriptionId),
    safeText(o.offer),
    count(o.seats),
    safeText(o.moveOn),
    safeText(o.endDate),
    count(o.overlapDays),
    money(o.overlapCents),
  ]);
  const body = rows.length
    ? table(
        [
          { label: 'Row', numeric: true },
          { label: 'Customer' },
          { label: 'Subscription' },
          { label: 'Offer' },
          { label: 'Seats', numeric: true },
          { label: 'Move on' },
          { label: 'End date' },
          { label: 'Overlap days', numeric: true },
          { label: 'Cost', numeric: true },
        ],
        rows,
      )
    : emptyState('No overlap costs.');
  return section('overlaps', 'Costliest overlaps', body);
}

function renderErrors(model: ReportModel): string {
  const rows = model.errors.map((e) => [
    `<code>${safeText(e.code)}</code>`,
    `<span class="sev sev-${e.severity}">${safeText(e.severity)}</span>`,
    count(e.count),
    safeText(e.meaning),
    renderExamples(e),
  ]);
  const body = rows.length
    ? table(
        [{ label: 'Code' }, { label: 'Severity' }, { label: 'Count', numeric: true }, { label: 'Meaning' }, { label: 'Examples' }],
        rows,
      )
    : emptyState('No problems found.');
  return section('errors', 'Problems', body);
}

/** The first three examples; the rest are in the errors file. */
function renderExamples(e: ReportModel['errors'][number]): string {
  const shown = e.examples.slice(0, 3);
  // Messages already start with "Row N, column …".
  const items = shown.map((x) => `<li>${safeText(x.message)}</li>`);
  const more = e.count - shown.length;
  if (more > 0) items.push(`<li class="more">and ${count(more)} more</li>`);
  return items.length ? `<ul class="examples">${items.join('')}</ul>` : '';
}

function renderSettings(model: ReportModel): string {
  const dateFormat = `<p>Dates were read as <strong>${safeText(model.dateFormat.used)}</strong>: ${safeText(model.dateFormat.reason)}</p>`;
  const settings = model.settings.length
    ? table(
        [{ label: 'Setting' }, { label: 'Value' }],
        model.settings.map(([k, v]) => [safeText(k), safeText(v)]),
      )
    : emptyState('No settings recorded.');
  const ignored = model.ignoredColumns.length
    ? `<p>Columns ignored: ${model.ignoredColumns.map((c) => `<code>${safeText(c)}</code>`).join(', ')}</p>`
    : '<p>No columns were ignored.</p>';
  return section('settings', 'Settings and date format', `${dateFormat}\n${settings}\n${ignored}`);
}

// ---------------------------------------------------------------- chart

/**
 * One bar per week on a shared axis whose maximum is the busiest week or the weekly capacity,
 * whichever is higher. Bar heights are exactly moves / axisMax × CHART.height, so a reader (or
 * a test) can compare bars with each other and with the capacity line.
 */
function renderChart(weeks: Week[], weeklyCapacity: number): string {
  const maxMoves = Math.max(...weeks.map((w) => w.moves));
  // Never 0: an all-zero plan still draws (flat) bars instead of dividing by zero.
  const axisMax = Math.max(maxMoves, weeklyCapacity, 1);
  const plotWidth = weeks.length * CHART.slot;
  const width = CHART.padLeft + plotWidth + CHART.padRight;
  const height = CHART.padTop + CHART.height + CHART.padBottom;
  const baseline = CHART.padTop + CHART.height;
  const labelEvery = Math.ceil(weeks.length / CHART.maxDateLabels);
  const label =
    `Moves per week: ${weeks.length} weeks from ${weeks[0]?.weekStart ?? ''}, at most ${maxMoves} moves in a week` +
    (weeklyCapacity > 0 ? `; weekly capacity ${weeklyCapacity}.` : '.');

  const parts = weeks.map((w, i) => renderWeek(w, i, axisMax, baseline, i % labelEvery === 0));
  const axis =
    `<line class="axis" x1="${CHART.padLeft}" y1="${baseline}" x2="${CHART.padLeft + plotWidth}" y2="${baseline}" ` +
    `stroke="#8c959f" stroke-width="1"/>`;
  return `<figure class="chart">
<svg role="img" aria-label="${safeText(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="10">
<title>${safeText(label)}</title>
${parts.join('\n')}
${axis}
${renderCapacityLine(weeklyCapacity, axisMax, baseline, plotWidth)}
</svg>
</figure>`;
}

function barHeight(value: number, axisMax: number): number {
  return round2((value / axisMax) * CHART.height);
}

function renderWeek(week: Week, index: number, axisMax: number, baseline: number, withDate: boolean): string {
  const x = round2(CHART.padLeft + index * CHART.slot + (CHART.slot - CHART.barWidth) / 2);
  const cx = round2(x + CHART.barWidth / 2);
  const h = barHeight(week.moves, axisMax);
  // The at-risk part sits at the bottom of the bar, never taller than the bar itself.
  const riskH = barHeight(Math.min(week.atRisk, week.moves), axisMax);
  const tip = `Week of ${week.weekStart}: ${week.moves} moves, ${week.atRisk} at risk`;
  const shapes = [
    `<rect class="bar" data-week="${safeText(week.weekStart)}" data-moves="${week.moves}" data-at-risk="${week.atRisk}" ` +
      `x="${x}" y="${round2(baseline - h)}" width="${CHART.barWidth}" height="${h}" fill="${BAR_COLOR}">` +
      `<title>${safeText(tip)}</title></rect>`,
  ];
  if (riskH > 0) {
    shapes.push(
      `<rect class="bar-at-risk" data-week="${safeText(week.weekStart)}" data-at-risk="${week.atRisk}" ` +
        `x="${x}" y="${round2(baseline - riskH)}" width="${CHART.barWidth}" height="${riskH}" fill="${AT_RISK_COLOR}">` +
        `<title>${safeText(tip)}</title></rect>`,
    );
  }
  shapes.push(`<text class="bar-count" x="${cx}" y="${round2(baseline - h - 4)}" text-anchor="middle">${count(week.moves)}</text>`);
  if (withDate) {
    // ISO dates, rotated: unambiguous for partners in any country, and they fit many weeks.
    const y = baseline + 12;
    shapes.push(
      `<text class="bar-date" x="${cx}" y="${y}" text-anchor="end" transform="rotate(-45 ${cx} ${y})">${safeText(week.weekStart)}</text>`,
    );
  }
  return `<g>${shapes.join('')}</g>`;
}

/** A dashed line at what the partner can do in a week; omitted when no capacity is set. */
function renderCapacityLine(weeklyCapacity: number, axisMax: number, baseline: number, plotWidth: number): string {
  if (weeklyCapacity <= 0) return '';
  const y = round2(baseline - barHeight(weeklyCapacity, axisMax));
  const x2 = CHART.padLeft + plotWidth;
  return (
    `<g class="capacity" data-capacity="${weeklyCapacity}">` +
    `<line x1="${CHART.padLeft}" y1="${y}" x2="${x2}" y2="${y}" stroke="#444c56" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<text x="${x2 + 6}" y="${round2(y + 3.5)}">capacity ${count(weeklyCapacity)}</text></g>`
  );
}

function renderLegend(weeklyCapacity: number): string {
  const swatch = (color: string) => `<span class="swatch" style="background:${color}"></span>`;
  const items = [`${swatch(BAR_COLOR)}moves`, `${swatch(AT_RISK_COLOR)}of which at risk or past grace`];
  if (weeklyCapacity > 0) {
    items.push(
      `<span class="swatch dashed"></span>capacity: ${count(weeklyCapacity)} a week ` +
        `(${count(weeklyCapacity / BUSINESS_DAYS_A_WEEK)} a day × ${BUSINESS_DAYS_A_WEEK})`,
    );
  }
  return `<p class="legend">${items.map((i) => `<span>${i}</span>`).join('')}</p>`;
}

// ---------------------------------------------------------------- style

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #1f2328;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 1px solid #d0d7de; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 20px 24px; margin: 16px 0; }
.meta { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
.meta dt { font-size: 12px; color: #59636e; text-transform: uppercase; letter-spacing: .04em; }
.meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.stat { flex: 1 1 120px; background: #f6f8fa; border-radius: 6px; padding: 10px 14px; }
.stat-n { display: block; font-size: 22px; font-weight: 700; }
.stat-l, .risk-l { color: #59636e; font-size: 13px; }
.risks { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 12px 0 16px; }
.risk { border: 1px solid #d0d7de; border-left: 6px solid; border-radius: 6px; padding: 10px 12px; }
.risk-n { display: block; font-size: 22px; font-weight: 700; }
.risk-l { display: block; font-weight: 600; color: #1f2328; }
.risk-m { display: block; font-size: 12px; color: #59636e; }
.money p, .note { margin: 4px 0; }
.note, .empty { color: #59636e; }
.empty { font-style: italic; margin: 0; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td { overflow-wrap: anywhere; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f3f6; padding: 1px 4px; border-radius: 4px; }
.sev { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.sev-error { background: #ffebe9; color: #a40e26; }
.sev-ineligible { background: #eaeef2; color: #424a53; }
.sev-warning { background: #fff8c5; color: #7d4e00; }
.examples { margin: 0; padding-left: 16px; }
.examples .more { list-style: none; color: #59636e; }
.chart { margin: 0; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
.chart text { fill: #424a53; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 20px; font-size: 13px; color: #424a53; margin: 8px 0 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
.swatch.dashed { height: 0; width: 18px; border-top: 2px dashed #444c56; border-radius: 0; vertical-align: 3px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  header, main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 18px 0; break-inside: avoid-page; }
  #overlaps, #errors, #settings { break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
