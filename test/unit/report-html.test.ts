import { describe, expect, it } from 'vitest';
import { WEEKS_DRAWN } from '../../shared/domain/week-series.js';
import { REPORT_INVITATIONS } from '../../shared/report/build-model.js';
import { escapeHtml, safeText } from '../../shared/report/escape.js';
import { CHART, renderReportHtml } from '../../shared/report/html.js';
import type { ReportModel } from '../../shared/report/model.js';
import { HEADER, planCsv } from '../support/plan-csv.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://x")';
/** FORMULA as HTML text: escaped, with no formula guard (that belongs to the CSV files). */
const FORMULA_HTML = '=HYPERLINK(&quot;http://x&quot;)';

const DEFAULT_INVITATIONS: ReportModel['invitationsDue'] = [
  { customerId: 'C-001', customerName: 'Northwind Traders', inviteBy: '2025-03-05', subscriptions: 4, firstMove: '2025-03-19' },
  { customerId: 'C-002', customerName: 'Adventure Works', inviteBy: '2025-03-12', subscriptions: 1, firstMove: '2025-03-26' },
];

/** A plan for a mid-sized reseller: a few hundred subscriptions over six weeks. */
function reportModel(overrides: Partial<ReportModel> = {}): ReportModel {
  return {
    title: 'CSP move plan',
    fileName: 'contoso-customers.csv',
    partner: { id: 'P-1001', name: 'Fabrikam Cloud Ltd', country: 'GB', currency: 'USD' },
    today: '2025-03-03',
    generatedAt: '2025-03-03T09:15:00Z',
    counts: {
      dataRows: 12_345,
      planned: 11_900,
      rejected: 445,
      blankRows: 2,
      customers: 1_234,
      byRisk: { ok: 11_000, at_risk: 700, expired_grace: 150, lapsed: 50, ineligible: 445 },
    },
    money: { overlapCents: 123_450, cancelNowWasteCents: 9_876_543, unpricedRows: 0 },
    invitationsDue: DEFAULT_INVITATIONS,
    movesPerWeek: {
      weeks: [
        { weekStart: '2025-03-03', moves: 40, needAttention: 10 },
        { weekStart: '2025-03-10', moves: 120, needAttention: 0 },
        { weekStart: '2025-03-17', moves: 75, needAttention: 75 },
        { weekStart: '2025-03-24', moves: 0, needAttention: 0 },
        { weekStart: '2025-03-31', moves: 33, needAttention: 1 },
      ],
    },
    dailyCapacity: 20,
    costliestOverlaps: [
      {
        row: 17,
        customerName: 'Northwind Traders',
        subscriptionId: 'SUB-0017',
        offer: 'Microsoft 365 E3',
        seats: 1_500,
        moveOn: '2025-03-19',
        endDate: '2025-03-31',
        overlapDays: 12,
        overlapCents: 216_000,
      },
      {
        row: 42,
        customerName: 'Adventure Works',
        subscriptionId: 'SUB-0042',
        offer: 'Microsoft 365 Business Premium',
        seats: 25,
        moveOn: '2025-03-26',
        endDate: '2025-03-28',
        overlapDays: 2,
        overlapCents: 3_667,
      },
    ],
    errors: [
      {
        code: 'invalid_date',
        severity: 'error',
        count: 5,
        meaning: 'The end date is missing or not a date.',
        examples: [
          { row: 3, message: 'Row 3, column end_date: "31/02/2025" is not a real date.' },
          { row: 8, message: 'Row 8, column end_date: is empty, and a value is required.' },
          { row: 9, message: 'Row 9, column end_date: is empty, and a value is required.' },
          { row: 10, message: 'Row 10: a fourth example the report leaves out' },
        ],
      },
      {
        code: 'unknown_status',
        severity: 'warning',
        count: 1,
        meaning: 'A status the planner does not know.',
        examples: [{ row: 21, message: 'Row 21, column status: "Frozen" is not a known status.' }],
      },
    ],
    dateFormat: { used: 'DD/MM/YYYY', reason: 'a day above 12 appeared in the first column (row 4: 17/03/2025).' },
    settings: [
      ['country', 'GB'],
      ['lead_days', '14'],
      ['daily_capacity', '20'],
    ],
    ignoredColumns: ['notes', 'sales_rep'],
    coTerm: undefined,
    ...overrides,
    invitationsDueCount: overrides.invitationsDueCount ?? (overrides.invitationsDue ?? DEFAULT_INVITATIONS).length,
  };
}

/** The inner HTML of the `<section id=...>`, so assertions stay inside the right part. */
function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  if (!match?.[1]) throw new Error(`no section #${id}`);
  return match[1];
}

/** The attributes of every element of `tag` with the given class, as name → value maps. */
function elements(html: string, tag: string, cls: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attrs = Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if (attrs.class === cls) found.push(attrs as Record<string, string>);
  }
  return found;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function tableRows(html: string): string[] {
  return [...html.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].flatMap((t) => t[1]?.match(/<tr>[\s\S]*?<\/tr>/g) ?? []);
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('does not double-escape or touch other text', () => {
    expect(escapeHtml('Fabrikam & Co')).toBe('Fabrikam &amp; Co');
    expect(escapeHtml('Zürich 100%')).toBe('Zürich 100%');
    expect(escapeHtml('')).toBe('');
  });
});

describe('safeText', () => {
  it('escapes a value and shows it as it is: no formula guard in HTML', () => {
    expect(safeText(FORMULA)).toBe(FORMULA_HTML);
    expect(safeText('-Minus Co')).toBe('-Minus Co');
    expect(safeText("@O'Brien")).toBe('@O&#39;Brien');
    expect(safeText(SCRIPT)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('prints numbers as they are, negative ones included', () => {
    expect(safeText(42)).toBe('42');
    expect(safeText(-3.5)).toBe('-3.5');
  });
});

describe('renderReportHtml', () => {
  describe('document', () => {
    it('is a complete, self-contained HTML document', () => {
      const html = renderReportHtml(reportModel());
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain('<title>CSP move plan</title>');
      expect(html).toMatch(/<style>[\s\S]+<\/style>/);
      expect(html.trimEnd().endsWith('</html>')).toBe(true);
    });

    it('has no scripts and loads nothing from anywhere', () => {
      const html = renderReportHtml(reportModel());
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\b(src|href)\s*=/i);
      expect(html).not.toMatch(/url\(|@import|<link/i);
      expect(html).not.toMatch(/https?:/i);
    });

    it('has the six sections, each with a heading', () => {
      const html = renderReportHtml(reportModel());
      for (const id of ['summary', 'invitations', 'moves-per-week', 'overlaps', 'errors', 'settings']) {
        expect(section(html, id)).toMatch(/<h2>[^<]+<\/h2>/);
      }
    });

    it('names the partner, the file, the plan date and when it was generated in the header', () => {
      const header = /<header>([\s\S]*?)<\/header>/.exec(renderReportHtml(reportModel()))?.[1] ?? '';
      for (const text of ['CSP move plan', 'Fabrikam Cloud Ltd', 'P-1001', 'contoso-customers.csv', '2025-03-03', '2025-03-03T09:15:00Z']) {
        expect(header).toContain(text);
      }
    });
  });

  describe('summary', () => {
    it('shows row and customer counts with thousands separators', () => {
      const summary = section(renderReportHtml(reportModel()), 'summary');
      for (const text of ['12,345', 'Rows read', '11,900', 'Planned', '445', 'Rejected', '1,234', 'Customers']) {
        expect(summary).toContain(text);
      }
      expect(summary).toContain('2 blank rows were skipped');
    });

    it('shows a card per risk with its count and a one-line explanation', () => {
      const summary = section(renderReportHtml(reportModel()), 'summary');
      const expected: [string, string, string][] = [
        ['ok', '11,000', 'planned with full lead time'],
        ['at_risk', '700', 'not enough lead time before the end date; planned as early as possible'],
        ['expired_grace', '150', 'end date passed, still in grace: move now'],
        ['lapsed', '50', 'past grace: services disabled'],
        ['ineligible', '445', 'cannot be moved; see action'],
      ];
      for (const [risk, n, meaning] of expected) {
        const card = new RegExp(`data-risk="${risk}"[^>]*>([\\s\\S]*?)</div>`).exec(summary)?.[1] ?? '';
        expect(card).toContain(`>${n}<`);
        expect(card).toContain(meaning);
      }
    });

    it('formats money in the partner currency', () => {
      const summary = section(renderReportHtml(reportModel()), 'summary');
      expect(summary).toContain('$1,234.50');
      expect(summary).toMatch(/cancelling everything today would waste <strong>\$98,765\.43<\/strong>/i);
      const euros = section(renderReportHtml(reportModel({ partner: { country: 'DE', currency: 'EUR' } })), 'summary');
      expect(euros).toContain('€1,234.50');
    });

    it('mentions unpriced rows only when there are some', () => {
      expect(section(renderReportHtml(reportModel()), 'summary')).not.toContain('no price');
      const summary = section(
        renderReportHtml(reportModel({ money: { overlapCents: 0, cancelNowWasteCents: 0, unpricedRows: 1_200 } })),
        'summary',
      );
      expect(summary).toContain('1,200 rows have no price');
    });

    it('compares co-term cost with per-subscription cost when co-term is on', () => {
      expect(section(renderReportHtml(reportModel()), 'summary')).not.toContain('Co-term');
      const dearer = section(renderReportHtml(reportModel({ coTerm: { coTermCents: 150_000, perSubscriptionCents: 123_450 } })), 'summary');
      expect(dearer).toMatch(/Co-term[\s\S]*\$1,500\.00[\s\S]*\$1,234\.50[\s\S]*\$265\.50 more/);
      const cheaper = section(
        renderReportHtml(reportModel({ coTerm: { coTermCents: 100_000, perSubscriptionCents: 123_450 } })),
        'summary',
      );
      expect(cheaper).toContain('$234.50 less');
    });
  });

  describe('invitations', () => {
    it('lists each invitation due with customer, id, invite-by date, subscriptions and first move', () => {
      const rows = tableRows(section(renderReportHtml(reportModel()), 'invitations'));
      expect(rows).toHaveLength(2);
      for (const [i, text] of [
        ['Northwind Traders', 'C-001', '2025-03-05', '>4<', '2025-03-19'],
        ['Adventure Works', 'C-002', '2025-03-12', '>1<', '2025-03-26'],
      ].entries()) {
        for (const t of text) expect(rows[i]).toContain(t);
      }
    });

    it('says how many more plan.csv lists when the report shows only the first ones', () => {
      const invitations = section(renderReportHtml(reportModel({ invitationsDueCount: 25_330 })), 'invitations');
      expect(tableRows(invitations)).toHaveLength(2);
      expect(invitations).toContain('… and 25,328 more customers: plan.csv lists every one (filter <code>invite_by</code>).');
      expect(section(renderReportHtml(reportModel()), 'invitations')).not.toContain('more customers');
    });

    it('says so when none are due', () => {
      const invitations = section(renderReportHtml(reportModel({ invitationsDue: [] })), 'invitations');
      expect(invitations).not.toContain('<table');
      expect(invitations).toContain('No invitations are due in the next 14 days.');
    });
  });

  describe('moves per week chart', () => {
    const plot = (chart: string) => elements(chart, 'div', 'plot')[0]!;
    const top = (chart: string) => Number(plot(chart)['data-top']);
    /** A percentage height or bottom from an inline style. */
    const pct = (attrs: Record<string, string>, prop: 'height' | 'bottom') =>
      Number(new RegExp(`${prop}:([\\d.]+)%`).exec(attrs.style ?? '')?.[1]);
    const chartOf = (overrides: Partial<ReportModel> = {}) => section(renderReportHtml(reportModel(overrides)), 'moves-per-week');
    /** Weeks from a Monday, one count each. */
    const weeksFrom = (monday: string, moves: number[]) =>
      moves.map((n, i) => ({
        weekStart: new Date(Date.parse(`${monday}T00:00:00Z`) + i * 7 * 86_400_000).toISOString().slice(0, 10),
        moves: n,
        needAttention: 0,
      }));

    it('draws one bar per week, empty weeks included, carrying its week and move count', () => {
      const model = reportModel();
      const bars = elements(section(renderReportHtml(model), 'moves-per-week'), 'div', 'bar');
      expect(bars.map((b) => [b['data-week'], Number(b['data-moves'])])).toEqual(
        model.movesPerWeek.weeks.map((w) => [w.weekStart, w.moves]),
      );
      expect(bars.find((b) => b['data-week'] === '2025-03-24')).toMatchObject({ 'data-moves': '0', style: 'height:0%' });
    });

    it('scales bars to round steps just above the busiest week, so the tallest bar nearly fills the plot', () => {
      const chart = chartOf({ dailyCapacity: 200 });
      // Busiest week 120: steps of 50 up to 150.
      expect(top(chart)).toBe(150);
      const ticks = [...chart.matchAll(/class="tick[^"]*"[^>]*>(?:<span>([\d,]+)<\/span>)?/g)].map((m) => m[1]);
      expect(ticks).toEqual(['0', '50', '100', '150']);
      for (const bar of elements(chart, 'div', 'bar')) expect(pct(bar, 'height')).toBe(round2((Number(bar['data-moves']) / 150) * 100));
      expect(Math.max(...elements(chart, 'div', 'bar').map((b) => pct(b, 'height')))).toBeGreaterThanOrEqual(60);
    });

    it.each([
      // [daily capacity, top of the scale, where the line is]
      [20, 150, round2((100 / 150) * 100)],
      [30, 150, 100],
      // 170 a week: within half again the busiest week (120), so the scale stretches to it.
      [34, 200, 85],
    ])('draws the weekly capacity (%i a day × 5) as a dashed line on the scale when it is near the bars', (daily, scaleTop, at) => {
      const chart = chartOf({ dailyCapacity: daily });
      expect(top(chart)).toBe(scaleTop);
      const line = elements(chart, 'div', 'capacity')[0]!;
      expect(Number(line['data-capacity'])).toBe(daily * 5);
      expect(pct(line, 'bottom')).toBe(at);
      expect(chart).toMatch(new RegExp(`class="capacity"[^>]*><span[^>]*>${daily * 5}</span>`));
      expect(chart).toContain(`capacity: ${daily * 5} a week (${daily} a day × 5)`);
      expect(chart).not.toContain('above the top of the scale');
    });

    it('leaves a capacity far above the busiest week off the scale, with a note, rather than press the bars flat', () => {
      const chart = chartOf({ dailyCapacity: 200 });
      expect(elements(chart, 'div', 'capacity')).toEqual([]);
      expect(chart).toContain('capacity: 1,000 a week (200 a day × 5), above the top of the scale: the busiest week has 120 moves');
      const none = chartOf({ dailyCapacity: 0 });
      expect(none).not.toContain('capacity');
    });

    it('stacks the part that needs attention at the bottom of its bar, as its share of the bar', () => {
      const model = reportModel();
      const chart = section(renderReportHtml(model), 'moves-per-week');
      const parts = elements(chart, 'div', 'bar-attention');
      const weeks = model.movesPerWeek.weeks.filter((w) => w.needAttention > 0);
      expect(parts.map((p) => Number(p['data-need-attention']))).toEqual(weeks.map((w) => w.needAttention));
      for (const [i, w] of weeks.entries()) expect(pct(parts[i]!, 'height')).toBe(round2((w.needAttention / w.moves) * 100));
    });

    it("uses the weekly digest's words for what needs attention", () => {
      const html = renderReportHtml(reportModel());
      expect(section(html, 'moves-per-week')).toContain('of which need attention (at risk, expired or lapsed)');
      expect(html).not.toContain('past grace</span>');
      expect(section(html, 'moves-per-week')).not.toContain('past grace');
    });

    it('labels weeks MM-DD on a continuous axis, with the year on the first label and where the year changes', () => {
      const movesPerWeek = { weeks: weeksFrom('2026-11-30', [0, 0, 0, 4, 0, 0, 2, 0, 0, 0, 1]) };
      const chart = chartOf({ movesPerWeek });
      const labels = [
        ...chart.matchAll(/class="x-label[^"]*" data-week="([\d-]+)"[^>]*>([\d-]+)(?:<span class="year">(\d{4})<\/span>)?<\/span>/g),
      ];
      expect(labels.map((m) => [m[1], m[2], m[3]])).toEqual(
        movesPerWeek.weeks.map((w, i) => [w.weekStart, w.weekStart.slice(5), i === 0 ? '2026' : i === 5 ? '2027' : undefined]),
      );
    });

    it('keeps week labels apart over a year of weeks: fewer still on a narrow screen', () => {
      const movesPerWeek = {
        weeks: weeksFrom(
          '2026-11-30',
          Array.from({ length: 52 }, (_, i) => i % 7),
        ),
      };
      const chart = chartOf({ movesPerWeek });
      expect(elements(chart, 'div', 'bar')).toHaveLength(52);
      const labels = [...chart.matchAll(/class="x-label( minor)?" data-week/g)];
      expect(labels.length).toBeLessThanOrEqual(CHART.maxLabels);
      expect(labels.filter((m) => !m[1]).length).toBeLessThanOrEqual(CHART.maxLabelsNarrow);
      expect(chart).toContain('data-week="2027-01-04" style="left:10.58%">01-04<span class="year">2027</span>');
    });

    it('sums the weeks after the drawn year into one later bar, cut at the top of the scale', () => {
      const movesPerWeek = {
        weeks: weeksFrom('2026-11-30', [3, 5, 0, 8]),
        later: { from: '2026-12-28', lastWeek: '2216-03-01', moves: 994_800, needAttention: 12 },
      };
      const chart = chartOf({ movesPerWeek, dailyCapacity: 0 });
      const later = elements(chart, 'div', 'bar-later cut');
      expect(later).toHaveLength(1);
      expect(later[0]).toMatchObject({
        'data-from': '2026-12-28',
        'data-last-week': '2216-03-01',
        'data-moves': '994800',
        style: 'height:100%',
      });
      expect(chart).toMatch(/class="bar-count"[^>]*>994,800</);
      expect(chart).toContain('>later</span>');
      expect(chart).toContain('later: 994,800 moves from 2026-12-28 to the week of 2216-03-01');
      // The weekly bars keep their own scale: the later sum does not flatten them.
      expect(top(chart)).toBe(8);
      const small = chartOf({ movesPerWeek: { ...movesPerWeek, later: { ...movesPerWeek.later, moves: 4 } }, dailyCapacity: 0 });
      expect(elements(small, 'div', 'bar-later')[0]).toMatchObject({ style: 'height:50%' });
      expect(chartOf()).not.toContain('bar-later');
    });

    it('has an accessible description', () => {
      const chart = chartOf();
      expect(chart).toMatch(
        /<div class="chart[^"]*" role="img" aria-label="Moves per week: 5 weeks from 2025-03-03, at most 120 moves in a week; weekly capacity 100\."/,
      );
    });

    it('is plain HTML and CSS: no SVG', () => {
      expect(renderReportHtml(reportModel())).not.toMatch(/<svg/i);
    });

    it('says so when no moves are planned', () => {
      const chart = chartOf({ movesPerWeek: { weeks: [] } });
      expect(chart).not.toContain('class="chart');
      expect(chart).toContain('No moves are planned.');
    });
  });

  describe('costliest overlaps', () => {
    it('lists each overlap with its row, subscription, dates, days and cost', () => {
      const rows = tableRows(section(renderReportHtml(reportModel()), 'overlaps'));
      expect(rows).toHaveLength(2);
      for (const t of [
        '>17<',
        'Northwind Traders',
        'SUB-0017',
        'Microsoft 365 E3',
        '1,500',
        '2025-03-19',
        '2025-03-31',
        '>12<',
        '$2,160.00',
      ]) {
        expect(rows[0]).toContain(t);
      }
      expect(rows[1]).toContain('$36.67');
    });

    it('says so when there are none', () => {
      expect(section(renderReportHtml(reportModel({ costliestOverlaps: [] })), 'overlaps')).toContain('No overlap costs.');
    });
  });

  describe('errors', () => {
    it('groups problems by code with severity, count, meaning and at most three examples', () => {
      const rows = tableRows(section(renderReportHtml(reportModel()), 'errors'));
      expect(rows).toHaveLength(2);
      for (const t of [
        'invalid_date',
        'error',
        '>5<',
        'The end date is missing or not a date.',
        // Codes and column names in a message never wrap.
        'Row 3, column <span class="nw">end_date</span>: &quot;31/02/2025&quot; is not a real date.',
        'Row 9, column <span class="nw">end_date</span>',
      ]) {
        expect(rows[0]).toContain(t);
      }
      expect(rows[0]).not.toContain('a fourth example');
      expect(rows[0]).toContain('and 2 more');
      expect(rows[1]).toContain('unknown_status');
      expect(rows[1]).not.toContain('more');
    });

    it('says "No problems found." when there are none', () => {
      const errors = section(renderReportHtml(reportModel({ errors: [] })), 'errors');
      expect(errors).not.toContain('<table');
      expect(errors).toContain('No problems found.');
    });
  });

  describe('settings', () => {
    it('explains the date format and lists settings and ignored columns', () => {
      const settings = section(renderReportHtml(reportModel()), 'settings');
      expect(settings).toContain('DD/MM/YYYY');
      // The reason ends as a sentence, with one period.
      expect(settings).toContain('a day above 12 appeared in the first column (row 4: 17/03/2025).</p>');
      const iso = section(
        renderReportHtml(reportModel({ dateFormat: { used: 'YYYY-MM-DD', reason: 'all dates were YYYY-MM-DD or unambiguous' } })),
        'settings',
      );
      expect(iso).toContain('all dates were YYYY-MM-DD or unambiguous.</p>');
      expect(tableRows(settings)).toHaveLength(3);
      // A setting's name never wraps.
      expect(settings).toMatch(/<td><span class="nw">[a-z_]*lead_days<\/span><\/td><td>14</);
      expect(settings).toContain('<code>notes</code>, <code>sales_rep</code>');
    });

    it('says when no columns were ignored', () => {
      expect(section(renderReportHtml(reportModel({ ignoredColumns: [] })), 'settings')).toContain('No columns were ignored.');
    });
  });

  describe('hostile data', () => {
    /** Every user-provided string in the model set to `value`. */
    function hostileModel(value: string): ReportModel {
      const base = reportModel();
      return reportModel({
        title: value,
        fileName: value,
        partner: { id: value, name: value, country: value, currency: 'USD' },
        invitationsDue: base.invitationsDue.map((i) => ({ ...i, customerName: value, customerId: value })),
        costliestOverlaps: base.costliestOverlaps.map((o) => ({ ...o, customerName: value, subscriptionId: value, offer: value })),
        errors: base.errors.map((e) => ({
          ...e,
          code: value,
          meaning: value,
          examples: e.examples.map((x) => ({ ...x, message: value })),
        })),
        dateFormat: { used: value, reason: value },
        settings: [[value, value]],
        ignoredColumns: [value],
      });
    }

    const tables = ['invitations', 'overlaps', 'errors', 'settings'];

    it('escapes markup everywhere, so no partner data can run script', () => {
      const html = renderReportHtml(hostileModel(SCRIPT));
      expect(html).not.toContain(SCRIPT);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
      for (const id of tables) expect(section(html, id)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('shows a name that starts like a formula as it is, escaped, in every table, the header and the title', () => {
      const html = renderReportHtml(hostileModel(FORMULA));
      expect(html).not.toContain(FORMULA);
      expect(html).not.toMatch(/'=HYPERLINK|&#39;=HYPERLINK/);
      expect(html).toContain(`<title>${FORMULA_HTML}</title>`);
      expect(/<header>[\s\S]*<\/header>/.exec(html)?.[0]).toContain(`<h1>${FORMULA_HTML}</h1>`);
      for (const id of tables) {
        const rows = tableRows(section(html, id));
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toMatch(/>=HYPERLINK\(&quot;http:\/\/x&quot;\)</);
      }
    });

    it('shows a name that is markup as text: no element is injected', () => {
      const html = renderReportHtml(hostileModel(IMG));
      expect(html).not.toMatch(/<img/i);
      expect(html).toContain(`<title>${escapeHtml(IMG)}</title>`);
      for (const id of tables) {
        const rows = tableRows(section(html, id));
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toContain('>&lt;img src=x onerror=alert(1)&gt;<');
      }
    });

    it('still renders a currency code it does not know, escaped', () => {
      const html = renderReportHtml(reportModel({ partner: { country: 'GB', currency: '<b>' } }));
      expect(html).not.toContain('<b>');
      expect(section(html, 'summary')).toContain('1,234.50 &lt;b&gt;');
    });
  });
});

describe('report model from a plan', () => {
  it('lists the first REPORT_INVITATIONS invitations due, soonest first, and counts them all', async () => {
    const rows = Array.from(
      { length: REPORT_INVITATIONS + 100 },
      (_, i) => `c${i},Customer ${String(i).padStart(4, '0')},,US,s${i},Office 365 E3,,5,,2026-12-${20 + (i % 8)},,20,,,`,
    );
    const { model } = await planCsv([HEADER, ...rows].join('\n'), { settings: { daily_capacity: 1_000 } });
    expect(model.invitationsDueCount).toBe(REPORT_INVITATIONS + 100);
    expect(model.invitationsDue).toHaveLength(REPORT_INVITATIONS);
    const order = model.invitationsDue.map((i) => `${i.inviteBy} ${i.customerName}`);
    expect(order).toEqual([...order].sort());
  });
});

describe('the moves-per-week chart of a plan that runs for years', () => {
  it('draws a year of weeks and one later bar, so report.html stays small', async () => {
    // 3,000 subscriptions at one move a business day: about twelve years of moves.
    const rows = Array.from({ length: 3_000 }, (_, i) => `c${i % 300},Customer ${i % 300},,US,s${i},Office 365 E3,,5,,2027-03-15,,20,,,`);
    const { model, reportHtml, plan } = await planCsv([HEADER, ...rows].join('\n'), { settings: { daily_capacity: 1 } });
    const moveDays = plan
      .map((r) => r.move_on)
      .filter(Boolean)
      .sort();
    expect(moveDays.at(-1)! > '2037-01-01').toBe(true);

    const { weeks, later } = model.movesPerWeek;
    expect(weeks).toHaveLength(WEEKS_DRAWN);
    expect(weeks[0]!.weekStart).toBe('2026-11-30');
    expect(later!.lastWeek > '2037-01-01').toBe(true);
    expect(weeks.reduce((n, w) => n + w.moves, 0) + later!.moves).toBe(moveDays.length);

    const chart = section(reportHtml, 'moves-per-week');
    expect(chart.match(/class="bar"/g)).toHaveLength(WEEKS_DRAWN);
    expect(chart.match(/class="bar-later/g)).toHaveLength(1);
    expect(chart.length).toBeLessThan(30_000);
  });
});
