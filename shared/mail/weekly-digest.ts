/**
 * The weekly digest (Mondays): where the whole migration stands — counts by status and risk,
 * the moves of the next 14 days, overdue invitations, and moves per week as a bar chart built
 * from table cells (mail clients strip SVG), with a text twin drawn in █ characters. The chart
 * has a bar for every week from the digest's Monday, empty ones too, for a year; later moves
 * are one grey bar.
 */
import { BUSINESS_DAYS_A_WEEK } from '../domain/dates.js';
import { needingAttention, type Risk } from '../domain/risk.js';
import { type LaterMoves, labelEvery, laterMovesText, type WeekMoves, type WeekSeries, weekLabels } from '../domain/week-series.js';
import {
  andMore,
  badge,
  bullets,
  COLOR,
  count,
  day,
  finishSubject,
  h,
  id,
  type MailContent,
  NO_SPACING,
  nameLink,
  type Part,
  p,
  pageLine,
  partnerFooter,
  plainHtml,
  plural,
  RISK_INFO,
  RISK_ORDER,
  renderMail,
  section,
  small,
  t,
  table,
  withConsoleButton,
} from './layout.js';

export interface WeeklyDigestModel {
  partnerId: string;
  partnerName?: string;
  weekOf: string /* ISO Monday */;
  countsByStatus: Record<string, number>; // e.g. planned, provisioned, expired, missing
  countsByRisk: Record<Risk, number>;
  movesNext14Days: { date: string; customerName: string; subscriptionId: string; offer: string; seats: number }[];
  /** `page`: the customer's page in the console, where the deployment has one. */
  overdueInvitations: { customerId: string; customerName: string; inviteBy: string; page?: string }[];
  /** Moves per week from the digest's Monday on: a year of weeks, empty ones included, then `later`. */
  movesPerWeek: WeekSeries;
  dailyCapacity: number;
  /** The console's home page, where the deployment has a console. */
  consoleUrl?: string;
}

type Week = WeekMoves;

export const WEEKLY_CHART = {
  /** Pixel height of the tallest bar. */
  height: 120,
  /** Over this many weeks a count over each bar no longer fits (600px leave ~9px a week for 52). */
  maxCountedWeeks: 26,
  /** At most this many week labels under the bars, so they never overlap. */
  maxLabels: 13,
  /**
   * Pixel widths beside the weeks: the scale on the left, then on the right a gap and the "later"
   * bar (its cell adds 8px either side, room for a long count over it).
   */
  axisWidth: 28,
  gapWidth: 8,
  laterWidth: 24,
  /** Width of the longest bar in the text twin, in characters. */
  textColumns: 40,
} as const;

/** Rows listed per table; the rest are counted. */
export const WEEKLY_LIST_LIMIT = 50;

/** Statuses in the order a move goes through them; others follow alphabetically. */
const STATUS_ORDER = [
  'not_sent',
  'planned',
  'invited',
  'sent',
  'accepted',
  'provisioned',
  'done',
  'moved',
  'expired',
  'excluded',
  'missing',
];

export function renderWeeklyDigest(m: WeeklyDigestModel): MailContent {
  const moves = m.movesNext14Days.length;
  const overdue = m.overdueInvitations.length;
  const attention = needingAttention(m.countsByRisk);
  const facts = [
    `${plural(moves, 'move', 'moves')} in the next 14 days`,
    overdue ? plural(overdue, 'overdue invitation', 'overdue invitations') : '',
    attention ? `${count(attention)} need attention` : '',
  ].filter(Boolean);
  const subject = finishSubject(`CSP weekly digest, week of ${t(m.weekOf)}: ${facts.join(', ')}`);

  const sections = [overdueSection(m), movesSection(m), countsSection(m), chartSection(m)].filter((s): s is Part => s !== undefined);

  return renderMail({
    subject,
    preheader: `${facts.join(' · ')}.`,
    heading: `CSP weekly digest — week of ${t(m.weekOf)}`,
    intro: withConsoleButton(
      { html: p(`This week: <strong>${facts.join(', ')}</strong>.`), text: `This week: ${facts.join(', ')}.` },
      m.consoleUrl,
    ),
    sections,
    footer: partnerFooter(m.partnerName, m.partnerId),
  });
}

// ---------------------------------------------------------------- counts

function humanize(status: string): string {
  const words = status.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function statusEntries(counts: Record<string, number>): [string, number][] {
  const rank = (s: string) => {
    const i = STATUS_ORDER.indexOf(s);
    return i < 0 ? STATUS_ORDER.length : i;
  };
  return Object.entries(counts).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function countsSection(m: WeeklyDigestModel): Part {
  const statuses = statusEntries(m.countsByStatus);
  const statusTotal = statuses.reduce((sum, [, n]) => sum + n, 0);
  const statusHtml = statuses.length
    ? table(
        [{ label: 'Status' }, { label: 'Subscriptions', numeric: true }],
        [...statuses.map(([s, n]) => [h(humanize(s)), count(n)]), ['<strong>Total</strong>', `<strong>${count(statusTotal)}</strong>`]],
      )
    : small('No subscriptions are stored yet.');
  const riskHtml = table(
    [{ label: 'Risk' }, { label: 'Subscriptions', numeric: true }],
    RISK_ORDER.map((r) => [
      `<span style="color:${RISK_INFO[r].color};font-weight:700">■</span> ${RISK_INFO[r].label} ` +
        `<span style="color:${COLOR.muted};font-size:12px">— ${RISK_INFO[r].meaning}</span>`,
      count(m.countsByRisk[r] ?? 0),
    ]),
  );
  const width = Math.max(5, ...statuses.map(([s]) => t(humanize(s)).length), ...RISK_ORDER.map((r) => RISK_INFO[r].label.length));
  const line = (label: string, n: number) => `${label.padEnd(width)}  ${count(n).padStart(7)}`;
  const text =
    'By status:\n' +
    (statuses.length
      ? [...statuses.map(([s, n]) => line(t(humanize(s)), n)), line('Total', statusTotal)].join('\n')
      : 'No subscriptions are stored yet.') +
    '\n\nBy risk:\n' +
    RISK_ORDER.map((r) => line(RISK_INFO[r].label, m.countsByRisk[r] ?? 0)).join('\n');
  return section('Where the migration stands', {
    html:
      `<h3 style="margin:8px 0 6px;font-size:14px">By status</h3>\n${statusHtml}\n` +
      `<h3 style="margin:8px 0 6px;font-size:14px">By risk</h3>\n${riskHtml}`,
    text,
  });
}

// ---------------------------------------------------------------- lists

function movesSection(m: WeeklyDigestModel): Part | undefined {
  if (m.movesNext14Days.length === 0) return undefined;
  const all = [...m.movesNext14Days].sort(
    (a, b) =>
      a.date.localeCompare(b.date) || a.customerName.localeCompare(b.customerName) || a.subscriptionId.localeCompare(b.subscriptionId),
  );
  const shown = all.slice(0, WEEKLY_LIST_LIMIT);
  const more = andMore(all.length, shown.length, 'in plan.csv');
  const seats = all.reduce((sum, mv) => sum + mv.seats, 0);
  const subscriptions = plural(all.length, 'subscription', 'subscriptions');
  const intro = `${subscriptions} (${plural(seats, 'seat', 'seats')}) to provision in CSP in the next 14 days:`;
  const rows = shown.map((mv) => [
    day(mv.date),
    h(mv.customerName),
    `${h(mv.offer)}<br><span style="color:${COLOR.muted};font-size:12px">${id(mv.subscriptionId)}</span>`,
    count(mv.seats),
  ]);
  const html =
    p(intro) +
    table([{ label: 'Move on' }, { label: 'Customer' }, { label: 'Offer' }, { label: 'Seats', numeric: true }], rows) +
    (more ? small(`…${more}.`) : '');
  const text =
    `${intro}\n` +
    bullets(shown.map((mv) => `${t(mv.date)}: ${t(mv.customerName)} · ${t(mv.offer)} × ${count(mv.seats)} (${t(mv.subscriptionId)})`)) +
    (more ? `\n…${more}.` : '');
  return section('Moves in the next 14 days', { html, text });
}

function overdueSection(m: WeeklyDigestModel): Part | undefined {
  if (m.overdueInvitations.length === 0) return undefined;
  const all = [...m.overdueInvitations].sort(
    (a, b) => a.inviteBy.localeCompare(b.inviteBy) || a.customerName.localeCompare(b.customerName),
  );
  const shown = all.slice(0, WEEKLY_LIST_LIMIT);
  const more = andMore(all.length, shown.length);
  const intro =
    'These customers have not accepted your reseller relationship request yet. Send it again or call them: their moves depend on it.';
  const rows = shown.map((i) => [
    nameLink(i.customerName, i.page, true),
    id(i.customerId),
    badge(`Overdue since ${h(i.inviteBy)}`, COLOR.danger, COLOR.dangerBg),
  ]);
  const html =
    p(intro) + table([{ label: 'Customer' }, { label: 'Customer ID' }, { label: 'Invite' }], rows) + (more ? small(`…${more}.`) : '');
  const text =
    `${intro}\n` +
    bullets(shown.map((i) => `OVERDUE since ${t(i.inviteBy)}: ${t(i.customerName)} (${t(i.customerId)})${pageLine(i.page)}`)) +
    (more ? `\n…${more}.` : '');
  return section(`Overdue invitations (${count(all.length)})`, { html, text });
}

// ---------------------------------------------------------------- chart

/** Pixel height of a bar: proportional to value / max, at least 1px for a non-zero value. */
export function barPixels(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((Math.min(value, max) / max) * WEEKLY_CHART.height));
}

/** Characters of a text bar: proportional to value / max over 40 columns, at least 1 when non-zero. */
export function barChars(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((Math.min(value, max) / max) * WEEKLY_CHART.textColumns));
}

function chartSection(m: WeeklyDigestModel): Part | undefined {
  const { weeks, later } = m.movesPerWeek;
  if (weeks.length === 0) return undefined;
  const max = Math.max(0, ...weeks.map((w) => w.moves));
  const weekly = m.dailyCapacity * BUSINESS_DAYS_A_WEEK;
  const over = weekly > 0 ? weeks.filter((w) => w.moves > weekly) : [];

  const notes: string[] = [];
  if (m.dailyCapacity > 0) notes.push(`Capacity: ${plural(m.dailyCapacity, 'move', 'moves')} a day (${count(weekly)} a week).`);
  if (over.length) notes.push(`${plural(over.length, 'week is', 'weeks are')} over that capacity.`);
  if (later) notes.push(`Later: ${laterMovesText(later)}, in one bar.`);

  const legend =
    `<span style="color:${COLOR.bar};font-weight:700">■</span> moves &nbsp; ` +
    `<span style="color:${COLOR.atRisk};font-weight:700">■</span> of which need attention (at risk, expired or lapsed)` +
    (later ? ` &nbsp; <span style="color:${LATER_COLOR};font-weight:700">■</span> later` : '');
  const html = renderBars(weeks, later, max) + small(`${legend}<br>${plainHtml(notes.join(' '))}`);

  const dateWidth = Math.max(10, ...weeks.map((w) => t(w.weekStart).length));
  const lines = weeks.map((w) => {
    const bar = '█'.repeat(barChars(w.moves, max)).padEnd(WEEKLY_CHART.textColumns);
    // "need attention", as the subject says: at_risk is one risk of several, and these count them all.
    const risk = w.needAttention > 0 ? ` (${count(w.needAttention)} need attention)` : '';
    return `${t(w.weekStart).padEnd(dateWidth)}  ${bar}  ${count(w.moves)}${risk}`;
  });
  const text =
    `${'Week of'.padEnd(dateWidth)}  Moves (longest bar: ${count(max)})\n${lines.join('\n')}` +
    (notes.length ? `\n${notes.join(' ')}` : '');
  return section('Moves per week', { html, text });
}

const LATER_COLOR = '#8c959f';
const AXIS_COLOR = '#8c959f';

/** A bar as a one-cell table of `height` pixels, with the part that needs attention at its bottom. */
function barCell(w: Week, max: number): string {
  const height = barPixels(w.moves, max);
  const riskHeight = Math.min(height, barPixels(Math.min(w.needAttention, w.moves), max));
  const attention =
    riskHeight > 0
      ? `<table role="presentation" width="100%" ${NO_SPACING} style="width:100%;border-collapse:collapse"><tr>` +
        `<td class="bar-attention" data-need-attention="${w.needAttention}" height="${riskHeight}" bgcolor="${COLOR.atRisk}" ` +
        `style="height:${riskHeight}px;background:${COLOR.atRisk};font-size:0;line-height:0;padding:0">&nbsp;</td>` +
        `</tr></table>`
      : '&nbsp;';
  return (
    `<table role="presentation" width="100%" ${NO_SPACING} style="width:100%;border-collapse:collapse"><tr>` +
    `<td class="bar" data-week="${h(w.weekStart)}" data-moves="${w.moves}" data-need-attention="${w.needAttention}" ` +
    `height="${height}" valign="bottom" bgcolor="${COLOR.bar}" ` +
    `style="height:${height}px;background:${COLOR.bar};vertical-align:bottom;font-size:0;line-height:0;padding:0">${attention}</td>` +
    `</tr></table>`
  );
}

/** The later moves in one grey bar on the weeks' scale; cut by a white line when taller than the tallest week. */
function laterCell(later: LaterMoves, max: number, font: number): string {
  const height = later.moves > max ? WEEKLY_CHART.height : barPixels(later.moves, max);
  const cut = later.moves > max;
  const grey = (px: number) =>
    `<tr><td height="${px}" bgcolor="${LATER_COLOR}" style="height:${px}px;background:${LATER_COLOR};font-size:0;line-height:0;padding:0">&nbsp;</td></tr>`;
  const body = cut
    ? `${grey(8)}<tr><td height="3" style="height:3px;font-size:0;line-height:0;padding:0">&nbsp;</td></tr>${grey(height - 11)}`
    : grey(height);
  const tip = `Later: ${laterMovesText(later)}`;
  return (
    `<td width="${WEEKLY_CHART.laterWidth}" valign="bottom" align="center" title="${plainHtml(tip)}" ` +
    `style="width:${WEEKLY_CHART.laterWidth}px;vertical-align:bottom;text-align:center;padding:0 8px">` +
    `<div style="font-size:${font}px;line-height:12px;color:${COLOR.muted};white-space:nowrap">${count(later.moves)}</div>` +
    `<table role="presentation" width="100%" ${NO_SPACING} class="bar-later" data-moves="${later.moves}" ` +
    `data-from="${h(later.from)}" data-last-week="${h(later.lastWeek)}" style="width:100%;border-collapse:collapse">` +
    `${later.moves > 0 ? body : ''}</table></td>`
  );
}

function renderBars(weeks: Week[], later: LaterMoves | undefined, max: number): string {
  const n = weeks.length;
  const font = n > 16 ? 9 : 10;
  // A count over each bar while they fit; past that, the scale on the left says what the tallest bar is.
  const counted = n <= WEEKLY_CHART.maxCountedWeeks;
  const muted = `font-size:${font}px;line-height:12px;color:${COLOR.muted}`;
  const cells = weeks.map((w) => {
    const tip = `Week of ${t(w.weekStart)}: ${plural(w.moves, 'move', 'moves')}, ${count(w.needAttention)} need attention`;
    const countLine = counted ? `<div style="${muted}">${w.moves > 0 ? count(w.moves) : '&nbsp;'}</div>` : '';
    return (
      `<td valign="bottom" align="center" title="${plainHtml(tip)}" style="vertical-align:bottom;text-align:center;padding:0 1px">` +
      `${countLine}${barCell(w, max)}</td>`
    );
  });
  const axis =
    `<td width="${WEEKLY_CHART.axisWidth}" valign="top" align="right" ` +
    `style="width:${WEEKLY_CHART.axisWidth}px;vertical-align:top;text-align:right;padding:${counted ? 6 : 0}px 4px 0 0;` +
    `border-right:1px solid ${AXIS_COLOR};${muted};white-space:nowrap">${count(max)}</td>`;
  const gap = later ? `<td width="${WEEKLY_CHART.gapWidth}" style="width:${WEEKLY_CHART.gapWidth}px;font-size:0">&nbsp;</td>` : '';
  const laterBar = later ? laterCell(later, max, font) : '';

  // Each label stands at the left of its week and spans to the next label; the year under it where it changes.
  const labelStyle = `padding:3px 1px 0;border-top:1px solid ${AXIS_COLOR};${muted};white-space:nowrap;overflow:hidden`;
  const labels: string[] = [`<td style="border-top:1px solid ${AXIS_COLOR};font-size:0">&nbsp;</td>`];
  const shown = weekLabels(weeks, labelEvery(n, WEEKLY_CHART.maxLabels));
  if ((shown[0]?.index ?? n) > 0) labels.push(`<td colspan="${shown[0]?.index ?? n}" style="${labelStyle}">&nbsp;</td>`);
  shown.forEach((l, i) => {
    const span = (shown[i + 1]?.index ?? n) - l.index;
    const year = l.year ? `<br><strong style="color:${COLOR.text}">${h(l.year)}</strong>` : '';
    labels.push(`<td colspan="${span}" align="left" style="${labelStyle}">${h(l.monthDay)}${year}</td>`);
  });
  if (later) {
    labels.push(`<td style="font-size:0">&nbsp;</td>`, `<td align="center" style="${labelStyle};text-align:center">later</td>`);
  }

  const first = weeks[0]?.weekStart ?? '';
  const last = weeks[n - 1]?.weekStart ?? '';
  const caption = small(
    `Weeks from ${day(first)}${n > 1 ? ` to ${day(last)}` : ''}, each labelled by its Monday (MM-DD; the year where it changes).`,
  );
  return (
    `<table role="presentation" class="chart" width="100%" ${NO_SPACING} ` +
    `style="width:100%;table-layout:fixed;border-collapse:collapse;margin:4px 0 6px">\n` +
    `<tr>${axis}${cells.join('\n')}${gap}${laterBar}</tr>\n<tr>${labels.join('')}</tr>\n</table>\n${caption}`
  );
}
