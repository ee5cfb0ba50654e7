/**
 * report.html: the plan as one self-contained page that partners get by e-mail or download.
 * No scripts, no external resources (mail clients and offline readers block them), inline
 * styles only, and it prints. Every piece of partner data goes through `safeText`.
 */

import { type Cents, decimalOf, subtractCents } from '../domain/cost.js';
import { BUSINESS_DAYS_A_WEEK } from '../domain/dates.js';
import { RISKS, type Risk } from '../domain/risk.js';
import {
  CAPACITY_STRETCH,
  type LaterMoves,
  labelEvery,
  laterMovesText,
  niceScale,
  type Scale,
  type WeekMoves,
  type WeekSeries,
  weekLabels,
} from '../domain/week-series.js';
import { count, plural, sentence } from '../domain/words.js';
import { busiestWeekSentence, capacitySentence } from './capacity-words.js';
import { escapeHtml, idHtml, keepWhole, safeText } from './escape.js';
import type { ReportModel } from './model.js';
import { RISK_INFO } from './risk-info.js';

type Week = WeekMoves;

/** Chart geometry, in CSS pixels; the width follows the card. */
export const CHART = {
  /** Height of the plot: a week at the top of the scale is this tall. */
  height: 220,
  /** At most this many week labels on a wide screen, and on a narrow one (under 640px). */
  maxLabels: 13,
  maxLabelsNarrow: 5,
} as const;

const BAR_COLOR = '#2f6fb0';
const ATTENTION_COLOR = '#e0891b';
const LATER_COLOR = '#8c959f';

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

/** Dates and codes never wrap (class nw); a GUID wraps at its hyphens only (class id). */
const NOWRAP = '<span class="nw">';
const ID = '<span class="id">';

/** Partner data as text in which no date or code breaks across lines. */
function whole(value: string): string {
  return keepWhole(value, NOWRAP);
}

function id(value: string): string {
  return idHtml(value, ID);
}

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
  const partnerParts = [partner.name && safeText(partner.name), partner.id && `ID ${id(partner.id)}`];
  const partnerHtml = partnerParts.filter(Boolean).join(' · ');
  const meta: [string, string][] = [
    ['Partner', partnerHtml || '—'],
    ['Country', safeText(partner.country)],
    ['File', safeText(model.fileName)],
    ['Plan date', whole(model.today)],
    ['Generated', whole(model.generatedAt)],
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
    `<div class="stats">${statHtml}</div>\n${blank}\n${renderRiskCards(counts.byRisk)}\n${renderCapacity(model)}${renderMoney(model, money)}`,
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

/** What the moves need against the partner's daily capacity, and the busiest week at it. */
function renderCapacity(model: ReportModel): string {
  const need = capacitySentence(model);
  if (!need) return '';
  const short = (model.capacityNeed?.atRisk ?? 0) > 0;
  return `<p class="capacity-need${short ? ' capacity-short' : ''}">${escapeHtml(need)}</p>\n`;
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
    id(inv.customerId),
    whole(inv.inviteBy),
    count(inv.subscriptions),
    whole(inv.firstMove),
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
        ? `<p class="more">… and ${plural(more, 'more customer', 'more customers')}: plan.csv lists every one (filter <code>invite_by</code>).</p>`
        : '')
    : emptyState('No invitations are due in the next 14 days.');
  return section('invitations', 'Invitations due in the next 14 days', body);
}

function renderMovesPerWeek(model: ReportModel): string {
  const series = model.movesPerWeek;
  const layout = chartLayout(series, model.dailyCapacity * BUSINESS_DAYS_A_WEEK);
  const busiest = busiestWeekSentence(model);
  const body = series.weeks.length
    ? `${busiest ? `<p class="busiest">${escapeHtml(busiest)}</p>\n` : ''}${renderChart(series, layout)}\n${renderLegend(layout, series.later)}`
    : emptyState('No moves are planned.');
  return section('moves-per-week', 'Moves per week', body);
}

function renderOverlaps(model: ReportModel, money: Money): string {
  const rows = model.costliestOverlaps.map((o) => [
    count(o.row),
    safeText(o.customerName),
    id(o.subscriptionId),
    safeText(o.offer),
    count(o.seats),
    whole(o.moveOn),
    whole(o.endDate),
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
    whole(e.meaning),
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
  const items = shown.map((x) => `<li>${whole(x.message)}</li>`);
  const more = e.count - shown.length;
  if (more > 0) items.push(`<li class="more">and ${count(more)} more</li>`);
  return items.length ? `<ul class="examples">${items.join('')}</ul>` : '';
}

function renderSettings(model: ReportModel): string {
  const dateFormat = `<p>Dates were read as <strong>${whole(model.dateFormat.used)}</strong>: ${whole(sentence(model.dateFormat.reason))}</p>`;
  const settings = model.settings.length
    ? table(
        [{ label: 'Setting' }, { label: 'Value' }],
        model.settings.map(([k, v]) => [whole(k), whole(v)]),
      )
    : emptyState('No settings recorded.');
  const ignored = model.ignoredColumns.length
    ? `<p>Columns ignored: ${model.ignoredColumns.map((c) => `<code>${safeText(c)}</code>`).join(', ')}</p>`
    : '<p>No columns were ignored.</p>';
  return section('settings', 'Settings and date format', `${dateFormat}\n${settings}\n${ignored}`);
}

// ---------------------------------------------------------------- chart

/**
 * One bar per week on a continuous time axis (empty weeks drawn empty), a year of weeks and then
 * one "later" bar, on a scale of round steps up to the busiest week. Plain HTML and CSS, no SVG:
 * the bars stretch to the card's width and the text keeps its size at any width. A bar's height
 * is exactly moves / top of the scale, as a percentage of the plot, so a reader (or a test) can
 * compare bars with each other, with the grid and with the capacity line.
 */
function renderChart(series: WeekSeries, layout: ChartLayout): string {
  const { weeks, later } = series;
  const { scale } = layout;
  const label =
    `Moves per week: ${plural(weeks.length, 'week', 'weeks')} from ${weeks[0]?.weekStart ?? ''}, ` +
    `at most ${plural(layout.busiest, 'move', 'moves')} in a week` +
    (later ? `; ${plural(later.moves, 'move', 'moves')} later, from ${later.from} to the week of ${later.lastWeek}` : '') +
    (layout.weeklyCapacity > 0 ? `; weekly capacity ${count(layout.weeklyCapacity)}.` : '.');
  // The capacity's number stands on the axis, among the ticks; a tick too close to it keeps its line only.
  const capacityAt = layout.capacityShown ? (layout.weeklyCapacity / scale.top) * CHART.height : Number.NaN;
  const ticks: string[] = [];
  for (let v = 0; v <= scale.top; v += scale.step) {
    const text = Math.abs((v / scale.top) * CHART.height - capacityAt) < TICK_LABEL_HEIGHT ? '' : `<span>${count(v)}</span>`;
    ticks.push(`<div class="tick${v === 0 ? ' base' : ''}" style="bottom:${percent(v, scale.top)}%">${text}</div>`);
  }
  const bars = weeks.map((w) => renderWeek(w, scale.top)).join('\n');
  const classes = ['chart', later ? 'has-later' : '', layout.counts].filter(Boolean).join(' ');
  return `<div class="${classes}" role="img" aria-label="${safeText(label)}" style="--plot:${CHART.height}px">
<div class="plot" data-top="${scale.top}">
${ticks.join('\n')}
${renderCapacityLine(layout)}
<div class="weeks">
${bars}
</div>
${later ? renderLater(later, scale.top) : ''}
</div>
${renderWeekLabels(weeks, later !== undefined)}
</div>`;
}

interface ChartLayout {
  busiest: number;
  weeklyCapacity: number;
  scale: Scale;
  /** Whether the weekly capacity is on the scale (drawn as a line) or above it (a note). */
  capacityShown: boolean;
  /** Which widths the count over each bar fits at: every width, wide screens only, or none. */
  counts: 'counts' | 'counts-wide' | '';
}

/** Height of a label on the vertical axis, in CSS pixels: labels closer than this would overlap. */
const TICK_LABEL_HEIGHT = 14;

function chartLayout(series: WeekSeries, weeklyCapacity: number): ChartLayout {
  const busiest = Math.max(0, ...series.weeks.map((w) => w.moves));
  let scale = niceScale(busiest);
  // A capacity far above the busiest week would press the bars flat under it: it is then a note.
  if (weeklyCapacity > scale.top && weeklyCapacity <= CAPACITY_STRETCH * busiest) scale = niceScale(weeklyCapacity);
  // Each count over a bar needs about 6px a character; the weeks get ~800px on a wide screen, ~200px on a phone.
  const needs = series.weeks.length * (count(busiest).length * 6 + 2);
  const counts = needs <= 200 ? 'counts' : needs <= 800 ? 'counts-wide' : '';
  return { busiest, weeklyCapacity, scale, capacityShown: weeklyCapacity > 0 && weeklyCapacity <= scale.top, counts };
}

function percent(value: number, top: number): number {
  return round2((Math.min(value, top) / top) * 100);
}

function renderWeek(week: Week, top: number): string {
  const tip = `Week of ${week.weekStart}: ${plural(week.moves, 'move', 'moves')}, ${count(week.needAttention)} need attention`;
  const h = percent(week.moves, top);
  // The part that needs attention sits at the bottom of the bar, as a share of the bar itself.
  const attention =
    week.needAttention > 0
      ? `<div class="bar-attention" data-need-attention="${week.needAttention}" style="height:${round2((Math.min(week.needAttention, week.moves) / week.moves) * 100)}%"></div>`
      : '';
  const countLabel = week.moves > 0 ? `<span class="bar-count" style="bottom:${h}%">${count(week.moves)}</span>` : '';
  return (
    `<div class="week" title="${safeText(tip)}">${countLabel}` +
    `<div class="bar" data-week="${safeText(week.weekStart)}" data-moves="${week.moves}" data-need-attention="${week.needAttention}" ` +
    `style="height:${h}%">${attention}</div></div>`
  );
}

/** The moves after the drawn weeks, in one grey bar; cut at the top of the scale when taller. */
function renderLater(later: LaterMoves, top: number): string {
  const cut = later.moves > top;
  const tip = `${laterMovesText(later)}, ${count(later.needAttention)} need attention`;
  return (
    `<div class="later-slot" title="${safeText(tip)}">` +
    `<span class="bar-count" style="bottom:${percent(later.moves, top)}%">${count(later.moves)}</span>` +
    `<div class="bar-later${cut ? ' cut' : ''}" data-from="${safeText(later.from)}" data-last-week="${safeText(later.lastWeek)}" ` +
    `data-moves="${later.moves}" data-need-attention="${later.needAttention}" style="height:${percent(later.moves, top)}%"></div></div>`
  );
}

/** Labels under the weeks: all of them on a wide screen, the `minor` ones left out on a narrow one. */
function renderWeekLabels(weeks: Week[], withLater: boolean): string {
  const wide = labelEvery(weeks.length, CHART.maxLabels);
  // A multiple of the wide spacing, so the narrow labels are some of the wide ones.
  const narrow = wide * Math.ceil(labelEvery(weeks.length, CHART.maxLabelsNarrow) / wide);
  const shownNarrow = new Set(weekLabels(weeks, narrow).map((l) => l.index));
  const labels = weekLabels(weeks, wide).map((l) => {
    const left = round2(((l.index + 0.5) / weeks.length) * 100);
    const year = l.year ? `<span class="year">${safeText(l.year)}</span>` : '';
    const minor = shownNarrow.has(l.index) ? '' : ' minor';
    return `<span class="x-label${minor}" data-week="${safeText(l.weekStart)}" style="left:${left}%">${safeText(l.monthDay)}${year}</span>`;
  });
  if (withLater) labels.push('<span class="x-label later-label">later</span>');
  return `<div class="x-axis">${labels.join('')}</div>`;
}

/** A dashed line at what the partner can do in a week, when it is on the scale; its number on the axis, clear of the bars. */
function renderCapacityLine(layout: ChartLayout): string {
  if (!layout.capacityShown) return '';
  return (
    `<div class="capacity" data-capacity="${layout.weeklyCapacity}" style="bottom:${percent(layout.weeklyCapacity, layout.scale.top)}%">` +
    `<span title="capacity">${count(layout.weeklyCapacity)}</span></div>`
  );
}

function renderLegend(layout: ChartLayout, later: LaterMoves | undefined): string {
  const swatch = (cls: string) => `<span class="swatch ${cls}"></span>`;
  const items = [`${swatch('moves')}moves`, `${swatch('attention')}of which need attention (at risk, expired or lapsed)`];
  const capacity = layout.weeklyCapacity;
  if (later) {
    items.push(`${swatch('later')}later: ${safeText(laterMovesText(later))}`);
  }
  if (capacity > 0) {
    const perDay = `${count(capacity / BUSINESS_DAYS_A_WEEK)} a day × ${BUSINESS_DAYS_A_WEEK}`;
    items.push(
      layout.capacityShown
        ? `${swatch('dashed')}capacity: ${count(capacity)} a week (${perDay})`
        : `<span class="capacity-off" data-capacity="${capacity}">capacity: ${count(capacity)} a week (${perDay}), ` +
            `above the top of the scale: the busiest week has ${plural(layout.busiest, 'move', 'moves')}</span>`,
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
.capacity-need { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid #8c959f; background: #f6f8fa; border-radius: 4px; }
.capacity-short { border-left-color: #e0891b; background: #fff8c5; }
.busiest { margin: 0 0 8px; }
.note, .empty { color: #59636e; }
.empty { font-style: italic; margin: 0; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td { overflow-wrap: break-word; }
.nw, code { white-space: nowrap; }
.id { overflow-wrap: normal; word-break: normal; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f3f6; padding: 1px 4px; border-radius: 4px; }
.sev { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.sev-error { background: #ffebe9; color: #a40e26; }
.sev-ineligible { background: #eaeef2; color: #424a53; }
.sev-warning { background: #fff8c5; color: #7d4e00; }
.examples { margin: 0; padding-left: 16px; }
.examples .more { list-style: none; color: #59636e; }
.chart { --gutter: 40px; --later: 56px; --gap: 12px; padding-top: 18px; }
.plot { position: relative; height: var(--plot); margin-left: var(--gutter); }
.tick { position: absolute; left: 0; right: 0; height: 0; border-top: 1px solid #eaeef2; }
.tick.base { border-top-color: #8c959f; }
.tick span { position: absolute; right: 100%; margin-right: 6px; transform: translateY(-50%); font-size: 11px; color: #59636e;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.weeks { position: absolute; inset: 0; display: flex; }
.has-later .weeks, .has-later .capacity { right: calc(var(--later) + var(--gap)); }
.week { position: relative; flex: 1 1 0; min-width: 0; height: 100%; }
.bar { position: absolute; bottom: 0; left: 12%; right: 12%; max-width: 48px; margin: 0 auto; background: ${BAR_COLOR}; }
.bar-attention { position: absolute; bottom: 0; left: 0; right: 0; background: ${ATTENTION_COLOR}; }
.later-slot { position: absolute; top: 0; bottom: 0; right: 0; width: var(--later); }
.later-slot::before { content: ""; position: absolute; top: 0; bottom: 0; left: calc(var(--gap) / -2); border-left: 1px dashed #afb8c1; }
.bar-later { position: absolute; bottom: 0; left: 22%; right: 22%;
  background: repeating-linear-gradient(135deg, ${LATER_COLOR} 0 3px, #c4ccd4 3px 6px); }
.bar-later.cut::after { content: ""; position: absolute; left: -3px; right: -3px; top: 12px; height: 5px; background: #fff;
  transform: skewY(-14deg); }
.bar-count { display: none; position: absolute; left: -6px; right: -6px; margin-bottom: 2px; text-align: center;
  font-size: 10px; line-height: 12px; color: #424a53; font-variant-numeric: tabular-nums; }
.chart.counts .bar-count, .later-slot .bar-count { display: block; }
@media (min-width: 1000px) { .chart.counts-wide .bar-count { display: block; } }
.capacity { position: absolute; left: 0; right: 0; height: 0; border-top: 2px dashed #444c56; }
.capacity span { position: absolute; right: 100%; margin-right: 6px; transform: translateY(-50%); font-size: 11px;
  line-height: 14px; font-weight: 700; color: #1f2328; font-variant-numeric: tabular-nums; white-space: nowrap; }
.x-axis { position: relative; height: 36px; margin-left: var(--gutter); font-size: 11px; line-height: 14px; color: #59636e; }
.has-later .x-axis { margin-right: calc(var(--later) + var(--gap)); }
.x-label { position: absolute; top: 6px; transform: translateX(-50%); text-align: center; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.x-label::before { content: ""; position: absolute; top: -6px; left: 50%; height: 4px; border-left: 1px solid #8c959f; }
.x-label .year { display: block; font-weight: 700; color: #1f2328; }
.x-label.later-label { left: calc(100% + var(--gap)); width: var(--later); transform: none; }
.x-label.later-label::before { display: none; }
@media (max-width: 640px) {
  .chart { --gutter: 30px; --later: 40px; --gap: 8px; }
  .x-label.minor { display: none; }
}
.legend { display: flex; flex-wrap: wrap; gap: 6px 20px; font-size: 13px; color: #424a53; margin: 8px 0 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
.swatch.moves { background: ${BAR_COLOR}; }
.swatch.attention { background: ${ATTENTION_COLOR}; }
.swatch.later { background: repeating-linear-gradient(135deg, ${LATER_COLOR} 0 3px, #c4ccd4 3px 6px); }
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
