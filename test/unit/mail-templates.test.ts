import { describe, expect, it } from 'vitest';
import { WEEKS_DRAWN } from '../../shared/domain/week-series.js';
import { consolePages } from '../../shared/email-actions/console-pages.js';
import {
  type DailyDigestModel,
  type InvitationMailModel,
  type MailContent,
  type ReportMailModel,
  renderDailyDigest,
  renderFailureMail,
  renderInvitationMail,
  renderReportMail,
  renderWeeklyDigest,
  WEEKLY_CHART,
  type WeeklyDigestModel,
} from '../../shared/mail/templates.js';
import { escapeHtml } from '../../shared/report/escape.js';
import type { ReportModel } from '../../shared/report/model.js';

const SCRIPT = '<script>alert(1)</script>';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const IMG = '<img src=x onerror=alert(1)>';
const CRLF = 'Evil Corp\r\nBcc: victim@example.com';
const RESELLER_LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=8f1c&msppId=0#/BillingAccounts/partner-invitation';

// ---------------------------------------------------------------- fixtures

const DEFAULT_INVITATIONS: ReportModel['invitationsDue'] = Array.from({ length: 13 }, (_, i) => ({
  customerId: `C-${String(i).padStart(3, '0')}`,
  customerName: `Customer ${i}`,
  inviteBy: `2026-12-${String(1 + i).padStart(2, '0')}`,
  subscriptions: 1 + (i % 3),
  firstMove: `2026-12-${String(10 + i).padStart(2, '0')}`,
}));

function report(overrides: Partial<ReportModel> = {}): ReportModel {
  return {
    title: 'CSP move plan',
    fileName: 'customers.csv',
    partner: { id: 'P-1001', name: 'Fabrikam Cloud Ltd', country: 'GB', currency: 'GBP' },
    today: '2026-12-01',
    generatedAt: '2026-12-01T09:15:00Z',
    counts: {
      dataRows: 62,
      planned: 60,
      rejected: 2,
      blankRows: 0,
      customers: 23,
      byRisk: { ok: 52, at_risk: 1, expired_grace: 2, lapsed: 1, ineligible: 4 },
    },
    money: { overlapCents: 893_338, cancelNowWasteCents: 37_410_308, unpricedRows: 0 },
    invitationsDue: DEFAULT_INVITATIONS,
    movesPerWeek: { weeks: [{ weekStart: '2026-12-07', moves: 10, needAttention: 1 }] },
    dailyCapacity: 20,
    costliestOverlaps: [],
    errors: [
      {
        code: 'invalid_date',
        severity: 'error',
        count: 2,
        meaning: 'The end date is missing or not a date.',
        examples: [{ row: 3, message: 'Row 3, column end_date: "31/02/2026" is not a real date.' }],
      },
      { code: 'country_mismatch', severity: 'ineligible', count: 4, meaning: 'The customer is in another country.', examples: [] },
    ],
    dateFormat: { used: 'YYYY-MM-DD', reason: 'all dates were YYYY-MM-DD or unambiguous.' },
    settings: [],
    ignoredColumns: [],
    ...overrides,
    invitationsDueCount: overrides.invitationsDueCount ?? (overrides.invitationsDue ?? DEFAULT_INVITATIONS).length,
  };
}

function daily(overrides: Partial<DailyDigestModel> = {}): DailyDigestModel {
  return {
    partnerId: 'P-1001',
    partnerName: 'Fabrikam Cloud Ltd',
    date: '2027-01-04',
    invitations: [
      {
        customerId: 'C-2',
        customerName: 'Adventure Works',
        inviteBy: '2027-01-06',
        overdue: false,
        subscriptions: 2,
        firstMove: '2027-01-27',
        contactEmail: 'it@adventure-works.example',
      },
      {
        customerId: 'C-1',
        customerName: 'Northwind Traders',
        inviteBy: '2026-12-28',
        overdue: true,
        subscriptions: 4,
        firstMove: '2027-01-18',
      },
      { customerId: 'C-3', customerName: 'Litware', inviteBy: '2027-01-04', overdue: false, subscriptions: 1, firstMove: '2027-01-25' },
    ],
    expiries: [
      {
        customerName: 'Contoso',
        subscriptionId: 'SUB-1',
        offer: 'Office 365 E3',
        targetOffer: 'Office 365 E3',
        seats: 50,
        endDate: '2027-02-03',
        daysBefore: 30,
        state: 'turn_off_auto_renew',
        risk: 'ok',
      },
      {
        customerName: 'Contoso',
        subscriptionId: 'SUB-2',
        offer: 'Office 365 E1',
        targetOffer: 'Microsoft 365 E3',
        seats: 10,
        endDate: '2027-01-14',
        moveOn: '2027-01-07',
        daysBefore: 10,
        state: 'provision',
        risk: 'at_risk',
      },
      {
        customerName: 'Tailspin Toys',
        subscriptionId: 'SUB-3',
        offer: 'Exchange Online (Plan 1)',
        targetOffer: 'Exchange Online (Plan 1)',
        seats: 5,
        endDate: '2027-01-11',
        daysBefore: 7,
        state: 'let_expire',
        risk: 'ok',
      },
      {
        customerName: 'Wingtip',
        subscriptionId: 'SUB-4',
        offer: 'Office 365 E3',
        targetOffer: 'Office 365 E3',
        seats: 7,
        endDate: '2027-01-19',
        moveOn: '2027-01-12',
        daysBefore: 14,
        state: 'provision',
        risk: 'ok',
      },
      {
        customerName: 'Fourth Coffee',
        subscriptionId: 'SUB-5',
        offer: 'Office 365 E1',
        targetOffer: 'Office 365 E1',
        seats: 3,
        endDate: '2027-01-05',
        daysBefore: 1,
        state: 'let_expire',
        risk: 'ok',
      },
    ],
    movesToday: [
      { customerName: 'Blue Yonder', subscriptionId: 'SUB-9', offer: 'Office 365 E3', targetOffer: 'Office 365 E3', seats: 120 },
      { customerName: 'Alpine Ski House', subscriptionId: 'SUB-8', offer: 'Office 365 E1', targetOffer: 'Office 365 E1', seats: 8 },
    ],
    blockedMoves: [],
    resellerLink: RESELLER_LINK,
    ...overrides,
  };
}

const WEEKS = [
  { weekStart: '2027-01-04', moves: 40, needAttention: 10 },
  { weekStart: '2027-01-11', moves: 100, needAttention: 0 },
  { weekStart: '2027-01-18', moves: 75, needAttention: 75 },
  { weekStart: '2027-01-25', moves: 0, needAttention: 0 },
  { weekStart: '2027-02-01', moves: 33, needAttention: 1 },
  { weekStart: '2027-02-08', moves: 1, needAttention: 0 },
];

function weekly(overrides: Partial<WeeklyDigestModel> = {}): WeeklyDigestModel {
  return {
    partnerId: 'P-1001',
    partnerName: 'Fabrikam Cloud Ltd',
    weekOf: '2027-01-04',
    countsByStatus: { provisioned: 12, planned: 40, expired: 3, missing: 1 },
    countsByRisk: { ok: 45, at_risk: 6, expired_grace: 2, lapsed: 1, ineligible: 3 },
    movesNext14Days: [
      { date: '2027-01-12', customerName: 'Wingtip', subscriptionId: 'SUB-4', offer: 'Office 365 E3', seats: 7 },
      { date: '2027-01-07', customerName: 'Contoso', subscriptionId: 'SUB-2', offer: 'Microsoft 365 E3', seats: 10 },
    ],
    overdueInvitations: [{ customerId: 'C-1', customerName: 'Northwind Traders', inviteBy: '2026-12-28' }],
    movesPerWeek: { weeks: WEEKS },
    dailyCapacity: 20,
    ...overrides,
  };
}

function invitation(overrides: Partial<InvitationMailModel> = {}): InvitationMailModel {
  return {
    partnerName: 'Fabrikam Cloud Ltd',
    customerName: 'Northwind Traders',
    resellerLink: RESELLER_LINK,
    today: '2027-01-04',
    inviteBy: '2027-01-10',
    firstMove: '2027-01-31',
    access: 'upcoming',
    ...overrides,
  };
}

// ---------------------------------------------------------------- shared expectations

/** What every mail must be: a mail-client-safe HTML document and a text twin. */
function expectMailShape(mail: MailContent): void {
  expect(mail.html.startsWith('<!doctype html>')).toBe(true);
  expect(mail.html).toContain('<html lang="en">');
  expect(mail.html).toContain('<meta charset="utf-8">');
  expect(mail.html).toMatch(/<table role="presentation" width="600"[^>]*max-width:600px/);
  expect(mail.html).toContain('system-ui');
  for (const banned of [/<style/i, /<script/i, /<svg/i, /<img/i, /<link/i, /@import/i, /url\(/i, /@font-face/i, /javascript:/i]) {
    expect(mail.html).not.toMatch(banned);
  }
  expect(mail.subject.length).toBeGreaterThan(0);
  expect(mail.subject).not.toMatch(/[\r\n]/);
  expect(mail.text.length).toBeGreaterThan(0);
}

/**
 * `needle` appears, and every occurrence is the value as it is: no formula guard quote (`'` or
 * `&#39;`) before it. The guard belongs to the CSV files only.
 */
function expectShownAsIs(haystack: string, needle: string): void {
  let at = haystack.indexOf(needle);
  expect(at, `${needle} should appear`).toBeGreaterThanOrEqual(0);
  while (at >= 0) {
    const before = haystack.slice(Math.max(0, at - 40), at);
    expect(before, haystack.slice(Math.max(0, at - 40), at + 40)).not.toMatch(/(?:'|&#39;)$/);
    at = haystack.indexOf(needle, at + 1);
  }
}

/**
 * A mail built from hostile strings shows them as text, exactly as they were given: HTML-escaped
 * in the HTML part (no element injected), as-is in the text part and the subject.
 */
function expectHostileSafe(mail: MailContent): void {
  expectMailShape(mail);
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expectShownAsIs(mail.html, escapeHtml(FORMULA));
  expect(mail.html).not.toContain('"http://evil.example"');
  expectShownAsIs(mail.text, FORMULA);
  expect(mail.text).not.toMatch(/^Bcc:/m);
  expect(mail.subject).not.toContain('<script>alert(1)</script>\r');
  if (mail.subject.includes('HYPERLINK')) expectShownAsIs(mail.subject, FORMULA);
}

/** The section headings of an HTML mail, in order. */
function headings(html: string): string[] {
  return [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1] ?? '');
}

// ---------------------------------------------------------------- report mail

describe('renderReportMail', () => {
  const model: ReportMailModel = {
    report: report(),
    links: {
      plan: 'https://bucket.s3.eu-west-1.amazonaws.com/reports/P-1001/u1/plan.csv?X-Amz-Expires=604800&X-Amz-Signature=ab12',
      report: 'http://localhost:4566/bucket/reports/P-1001/u1/report.html?X-Amz-Signature=cd34',
    },
  };
  const mail = renderReportMail(model);

  it('says in the subject how many were planned and rejected, and which file', () => {
    expect(mail.subject).toBe('CSP move plan: 60 subscriptions planned, 2 rejected — customers.csv');
    const one = renderReportMail({ report: report({ counts: { ...report().counts, planned: 1, rejected: 0 } }) });
    expect(one.subject).toBe('CSP move plan: 1 subscription planned, 0 rejected — customers.csv');
    expectMailShape(mail);
  });

  it('shows the counts by risk and calls out what needs attention', () => {
    expect(headings(mail.html)).toContain('Subscriptions by risk');
    expect(mail.html).toMatch(/At risk<\/strong><\/td><td[^>]*>1<\/td>/);
    expect(mail.html).toMatch(/Ineligible<\/strong><\/td><td[^>]*>4<\/td>/);
    // At risk, in grace, lapsed and ineligible: an ineligible row is not moved until the partner acts.
    expect(mail.html).toContain('8 subscriptions need attention');
    expect(mail.text).toMatch(/^OK\s+52\s/m);
    expect(mail.text).toMatch(/^Expired, in grace\s+2\s/m);
    expect(mail.text).toContain('8 subscriptions need attention');
    expect(mail.text).toContain('4 ineligible (cannot be moved as they are: plan.csv says why)');
  });

  it('says how many ineligible rows only need a target offer', () => {
    const r = report();
    const errors = [
      ...r.errors,
      { code: 'discontinued_without_target', severity: 'ineligible' as const, count: 1, meaning: 'Discontinued.', examples: [] },
    ];
    const counts = { ...r.counts, byRisk: { ...r.counts.byRisk, ineligible: 5 } };
    const text = renderReportMail({ report: report({ errors, counts }) }).text;
    expect(text).toContain('9 subscriptions need attention');
    expect(text).toContain('5 ineligible (cannot be moved as they are; 1 only needs a target_offer)');
  });

  it('lists the first 10 invitations due in 14 days and counts the rest', () => {
    expect(headings(mail.html)).toContain('Invitations due in the next 14 days (13)');
    for (let i = 0; i < 10; i++) {
      expect(mail.html).toContain(`Customer ${i}<br>`);
      expect(mail.text).toContain(`Customer ${i} (`);
    }
    expect(mail.html).not.toContain('Customer 10');
    expect(mail.text).not.toContain('Customer 10');
    expect(mail.html).toContain('and 3 more');
    expect(mail.text).toContain('and 3 more');
    expect(mail.text).toContain('by 2026-12-01: Customer 0 (C-000), 1 subscription, first move 2026-12-10');
  });

  it('counts every invitation due, also those beyond what the report lists', () => {
    const big = renderReportMail({ report: report({ invitationsDueCount: 2_513 }) });
    expect(headings(big.html)).toContain('Invitations due in the next 14 days (2,513)');
    expect(big.text).toContain('and 2,503 more in plan.csv');
  });

  it('omits the invitations and problems sections when there are none', () => {
    const quiet = renderReportMail({ report: report({ invitationsDue: [], errors: [] }) });
    expect(headings(quiet.html)).toEqual(['Subscriptions by risk', 'Money', 'Files']);
    expect(quiet.text).not.toContain('Invitations due');
    expect(quiet.text).not.toContain('Problems');
  });

  it('formats money in the partner currency and falls back safely on an invalid code', () => {
    expect(mail.html).toContain('£8,933.38');
    expect(mail.html).toContain('£374,103.08');
    expect(mail.text).toContain('£8,933.38');
    for (const currency of ['US DOLLARS', '', '<b>€</b>']) {
      const odd = renderReportMail({ report: report({ partner: { ...report().partner, currency } }) });
      expect(odd.html).toContain('8,933.38');
      expect(odd.text).toContain('8,933.38');
      expect(odd.html).not.toContain('<b>€</b>');
    }
    const withUnpriced = renderReportMail({
      report: report({
        money: { overlapCents: 100, cancelNowWasteCents: 200, unpricedRows: 3 },
        coTerm: { coTermCents: 15_000, perSubscriptionCents: 10_000 },
      }),
    });
    expect(withUnpriced.text).toContain('3 rows have no price');
    expect(withUnpriced.text).toContain('£50.00 more');
  });

  it('summarises problems by code with a first example', () => {
    expect(headings(mail.html)).toContain('Problems');
    expect(mail.html).toContain('invalid_date');
    expect(mail.html).toContain('country_mismatch');
    expect(mail.text).toContain('2 errors, 4 ineligible rows');
    expect(mail.text).toContain('invalid_date (rejected) × 2: The end date is missing or not a date.');
    expect(mail.text).toContain('errors.csv');
  });

  it('links the files when links are given, only over http(s), and says they are attached', () => {
    expect(mail.html).toContain(`href="${model.links!.plan!.replace(/&/g, '&amp;')}"`);
    expect(mail.html).toContain('href="http://localhost:4566/bucket/reports/P-1001/u1/report.html?X-Amz-Signature=cd34"');
    expect(mail.text).toContain(model.links!.plan!);
    expect(mail.text).toContain('The files are attached');
    const hostile = renderReportMail({
      report: report(),
      links: { plan: 'javascript:alert(1)', errors: 'data:text/html,x', report: 'https://x.example/a b' },
    });
    expect(hostile.html).not.toContain('href=');
    expect(hostile.text).not.toContain('javascript:');
    expect(hostile.text).toContain('The files are attached.');
    const none = renderReportMail({ report: report() });
    expect(none.html).not.toContain('href=');
    expect(none.text).toContain('plan.csv');
  });

  it('escapes and neutralises hostile report data in html, text and subject', () => {
    const base = report();
    const hostile = renderReportMail({
      report: report({
        fileName: `${FORMULA}\r\nBcc: victim@example.com.csv`,
        partner: { ...base.partner, name: SCRIPT },
        invitationsDue: [
          { customerId: FORMULA, customerName: SCRIPT, inviteBy: '2026-12-01', subscriptions: 1, firstMove: '2026-12-10' },
          { customerId: 'C-IMG', customerName: IMG, inviteBy: '2026-12-02', subscriptions: 1, firstMove: '2026-12-11' },
        ],
        errors: [{ code: SCRIPT, severity: 'error', count: 1, meaning: 'm', examples: [{ row: 2, message: FORMULA }] }],
      }),
      links: { plan: `https://x.example/"><script>alert(1)</script>` },
    });
    expectHostileSafe(hostile);
    expect(hostile.html).toContain(`>${escapeHtml(IMG)}<`);
    expect(hostile.text).toContain(IMG);
    expect(hostile.subject.startsWith(`CSP move plan: 60 subscriptions planned, 2 rejected — ${FORMULA} Bcc:`)).toBe(true);
    expect(hostile.html).not.toContain('"><script>');
  });

  it('keeps a subject with a very long file name to 200 characters', () => {
    const long = renderReportMail({ report: report({ fileName: `${'x'.repeat(300)}.csv` }) });
    expect([...long.subject]).toHaveLength(200);
    expect(long.subject.endsWith('…')).toBe(true);
    expect(long.html).toContain(`${'x'.repeat(300)}.csv`);
  });
});

describe('renderFailureMail', () => {
  it('says nothing was planned, what is wrong and how to fix it', () => {
    const mail = renderFailureMail({
      partnerName: 'Fabrikam Cloud Ltd',
      fileName: 'customers.csv',
      code: 'missing_columns',
      message: 'Required columns are missing: end_date. Headers found: name, seats.',
      uploadedAt: '2027-01-04T10:00:00Z',
    });
    expectMailShape(mail);
    expect(mail.subject).toBe('CSP move plan failed: customers.csv could not be planned');
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('Nothing was planned');
      expect(body).toContain('Required columns are missing: end_date.');
      expect(body).toContain('missing_columns');
      expect(body).toContain('CustomerTenantId');
      expect(body).toContain('2027-01-04T10:00:00Z');
    }
    const unknown = renderFailureMail({ fileName: 'a.csv', code: 'weird', message: 'Odd.', uploadedAt: 'x' });
    expect(unknown.text).toContain('Correct the file as the message says.');
  });

  it('escapes and neutralises a hostile file name and message', () => {
    const mail = renderFailureMail({
      partnerName: CRLF,
      fileName: `${FORMULA}\r\nBcc: x@example.com`,
      code: SCRIPT,
      message: `${FORMULA} ${SCRIPT}`,
      uploadedAt: '2027-01-04',
    });
    expectHostileSafe(mail);
    expect(mail.subject).toBe(`CSP move plan failed: ${FORMULA} Bcc: x@example.com could not be planned`);
  });
});

// ---------------------------------------------------------------- daily digest

describe('renderDailyDigest', () => {
  const mail = renderDailyDigest(daily());

  it('counts what is due in the subject', () => {
    expect(mail.subject).toBe('CSP moves for 2027-01-04: 3 invitations (1 overdue), 5 expiry reminders, 2 moves today');
    expectMailShape(mail);
    const onlyMoves = renderDailyDigest(daily({ invitations: [], expiries: [], movesToday: daily().movesToday.slice(0, 1) }));
    expect(onlyMoves.subject).toBe('CSP moves for 2027-01-04: 1 move today');
    const nothing = renderDailyDigest(daily({ invitations: [], expiries: [], movesToday: [] }));
    expect(nothing.subject).toBe('CSP moves for 2027-01-04: nothing due');
    expect(headings(nothing.html)).toEqual([]);
    expect(nothing.text).toContain('Nothing is due today.');
  });

  it('has the three sections, and omits empty ones', () => {
    expect(headings(mail.html)).toEqual(['Invitations to send (3)', 'Moves today (2)', 'Expiry reminders (5)']);
    const noInvites = renderDailyDigest(daily({ invitations: [] }));
    expect(headings(noInvites.html)).toEqual(['Moves today (2)', 'Expiry reminders (5)']);
    expect(noInvites.text).not.toContain('Invitations to send');
    expect(noInvites.html).not.toContain('reseller relationship link');
    const noMoves = renderDailyDigest(daily({ movesToday: [] }));
    expect(headings(noMoves.html)).toEqual(['Invitations to send (3)', 'Expiry reminders (5)']);
    expect(noMoves.text).not.toContain('Moves today');
    const noExpiries = renderDailyDigest(daily({ expiries: [] }));
    expect(headings(noExpiries.html)).toEqual(['Invitations to send (3)', 'Moves today (2)']);
    expect(noExpiries.text).not.toContain('Expiry reminders');
  });

  it('lists the moves of customers who have not accepted apart, as blocked, never under "Provision these today"', () => {
    const blocked = {
      customerName: 'Tailspin Toys',
      subscriptionId: 'SUB-7',
      offer: 'Office 365 E3',
      targetOffer: 'Office 365 E3',
      seats: 30,
      endDate: '2027-01-11',
    };
    const m = renderDailyDigest(daily({ movesToday: [], blockedMoves: [blocked] }));
    expect(m.subject).toBe('CSP moves for 2027-01-04: 3 invitations (1 overdue), 5 expiry reminders, 1 move blocked');
    expect(headings(m.html)).toEqual(['Invitations to send (3)', 'Moves blocked: invitation not accepted (1)', 'Expiry reminders (5)']);
    expect(m.text).toContain('have not accepted your reseller relationship request, so they cannot be provisioned yet');
    expect(m.text).toContain('Blocked: Office 365 E3 × 30 for Tailspin Toys (legacy SUB-7, end date 2027-01-11)');
    expect(m.text).not.toContain('Provision these in CSP today');
  });

  it('lists overdue invitations first, clearly marked', () => {
    const html = mail.html;
    expect(html).toContain('Overdue since 2026-12-28');
    expect(html.indexOf('Northwind Traders')).toBeLessThan(html.indexOf('Litware'));
    expect(html.indexOf('Litware')).toBeLessThan(html.indexOf('Adventure Works'));
    expect(html).not.toContain('Overdue since 2027-01-06');
    const lines = mail.text.split('\n').filter((l) => l.startsWith('• ') && l.includes('first move'));
    expect(lines).toEqual([
      '• OVERDUE since 2026-12-28: Northwind Traders (C-1), 4 subscriptions, first move 2027-01-18',
      '• by 2027-01-04: Litware (C-3), 1 subscription, first move 2027-01-25',
      '• by 2027-01-06: Adventure Works (C-2, contact it@adventure-works.example), 2 subscriptions, first move 2027-01-27',
    ]);
    // An address wraps after its @ first.
    expect(html).toContain('it@<wbr>adventure-works.example');
  });

  it('words each expiry reminder by what the partner must do now', () => {
    const text = mail.text;
    expect(text).toContain('Turn off auto-renew on Office 365 E3 (SUB-1) before 2027-02-03, or it renews for another full term.');
    expect(text).toContain('Provision Microsoft 365 E3 × 10 in CSP on 2027-01-07.');
    expect(text).toContain('Provision Office 365 E3 × 7 in CSP on 2027-01-12.');
    expect(text).toContain('Provisioned in CSP: let the legacy subscription expire on 2027-01-11 — do not cancel (no refund).');
    expect(text).toContain('Provisioned in CSP: let the legacy subscription expire on 2027-01-05 — do not cancel (no refund).');
    expect(text).toContain('Different offer: reassign licenses');
    expect(text).toContain('[At risk: not enough lead time]');
    expect(text).toContain('Contoso · SUB-1 · Office 365 E3 · 50 seats · ends in 30 days (2027-02-03)');

    const html = mail.html;
    // Dates never wrap.
    const day = (d: string) => `<span style="white-space:nowrap">${d}</span>`;
    expect(html).toContain(
      `Turn off auto-renew on <strong>Office 365 E3 (SUB-1)</strong> before <strong>${day('2027-02-03')}</strong>, or it renews for another full term.`,
    );
    expect(html).toContain(`Provision <strong>Microsoft 365 E3 × 10</strong> in CSP on <strong>${day('2027-01-07')}</strong>.`);
    expect(html).toContain(
      `Provisioned in CSP: let the legacy subscription expire on <strong>${day('2027-01-11')}</strong> — do not cancel (no refund).`,
    );
    expect([...html.matchAll(/data-state="(\w+)"/g)].map((m) => m[1])).toEqual([
      'let_expire',
      'let_expire',
      'provision',
      'provision',
      'turn_off_auto_renew',
    ]);

    const noMoveOn = renderDailyDigest(daily({ expiries: [{ ...daily().expiries[1]!, moveOn: undefined }] }));
    expect(noMoveOn.text).toContain('Provision Microsoft 365 E3 × 10 in CSP before 2027-01-14.');
  });

  it('lists the moves of the day with the target offer and seats', () => {
    expect(mail.text).toContain('Provision Office 365 E3 × 120 for Blue Yonder (legacy SUB-9)');
    expect(mail.html).toMatch(/Blue Yonder<\/td><td[^>]*>SUB-9<\/td><td[^>]*>Office 365 E3<\/td><td[^>]*>120<\/td>/);
    expect(mail.text.indexOf('Alpine Ski House')).toBeLessThan(mail.text.indexOf('Blue Yonder'));
  });

  it('includes the reseller link when it is https, and omits it otherwise', () => {
    const escaped = RESELLER_LINK.replace(/&/g, '&amp;');
    expect(mail.html).toContain(`href="${escaped}"`);
    expect(mail.text).toContain(`Link: ${RESELLER_LINK}`);
    for (const bad of ['http://admin.microsoft.com/x', 'javascript:alert(1)', 'admin.microsoft.com/x', 'https://', ' ', '']) {
      const other = renderDailyDigest(daily({ resellerLink: bad }));
      expect(other.html, bad).not.toContain('href=');
      expect(other.text).not.toContain('Link:');
      expect(other.text).toContain('Request a reseller relationship');
    }
    const none = renderDailyDigest(daily({ resellerLink: undefined }));
    expect(none.html).not.toContain('href=');
  });

  it('escapes and neutralises hostile names in html, text and subject', () => {
    const hostile = renderDailyDigest(
      daily({
        partnerName: SCRIPT,
        date: `2027-01-04\r\nBcc: victim@example.com`,
        invitations: [
          {
            customerId: FORMULA,
            customerName: CRLF,
            inviteBy: SCRIPT,
            overdue: true,
            subscriptions: 1,
            firstMove: '2027-01-18',
            contactEmail: FORMULA,
          },
        ],
        expiries: daily().expiries.map((e) => ({ ...e, customerName: SCRIPT, offer: FORMULA, targetOffer: FORMULA })),
        movesToday: [{ customerName: CRLF, subscriptionId: FORMULA, offer: SCRIPT, targetOffer: FORMULA, seats: 1 }],
        resellerLink: `https://x.example/"><script>alert(1)</script>`,
      }),
    );
    expectHostileSafe(hostile);
    expect(hostile.subject).toBe(
      'CSP moves for 2027-01-04 Bcc: victim@example.com: 1 invitation (1 overdue), 5 expiry reminders, 1 move today',
    );
    expect(hostile.html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

// ---------------------------------------------------------------- weekly digest

/** [moves, height] of each bar cell of the HTML chart. */
function bars(html: string): { week: string; moves: number; atRisk: number; height: number; riskHeight: number }[] {
  const cells = [
    ...html.matchAll(
      /<td class="bar" data-week="([^"]*)" data-moves="(\d+)" data-need-attention="(\d+)"[^>]*style="height:(\d+)px[^"]*">(.*?)<\/td><\/tr><\/table><\/td>/g,
    ),
  ];
  return cells.map((m) => {
    const risk = /class="bar-attention"[^>]*style="height:(\d+)px/.exec(m[5] ?? '');
    return { week: m[1]!, moves: Number(m[2]), atRisk: Number(m[3]), height: Number(m[4]), riskHeight: risk ? Number(risk[1]) : 0 };
  });
}

describe('renderWeeklyDigest', () => {
  const mail = renderWeeklyDigest(weekly());

  it('sums the week up in the subject', () => {
    expect(mail.subject).toBe(
      'CSP weekly digest, week of 2027-01-04: 2 moves in the next 14 days, 1 overdue invitation, 12 need attention',
    );
    expectMailShape(mail);
    const calm = renderWeeklyDigest(
      weekly({ overdueInvitations: [], countsByRisk: { ok: 10, at_risk: 0, expired_grace: 0, lapsed: 0, ineligible: 0 } }),
    );
    expect(calm.subject).toBe('CSP weekly digest, week of 2027-01-04: 2 moves in the next 14 days');
    // An ineligible subscription is not moved until the partner acts: it needs attention, as in the report e-mail.
    const ineligible = renderWeeklyDigest(
      weekly({ overdueInvitations: [], countsByRisk: { ok: 10, at_risk: 0, expired_grace: 0, lapsed: 0, ineligible: 1 } }),
    );
    expect(ineligible.subject).toBe('CSP weekly digest, week of 2027-01-04: 2 moves in the next 14 days, 1 need attention');
  });

  it('shows counts by status (in lifecycle order) and by risk', () => {
    expect(headings(mail.html)).toEqual([
      'Overdue invitations (1)',
      'Moves in the next 14 days',
      'Where the migration stands',
      'Moves per week',
    ]);
    const statusOrder = ['Planned', 'Provisioned', 'Expired', 'Missing'].map((s) => mail.text.indexOf(`\n${s} `));
    expect(statusOrder.every((i) => i > 0)).toBe(true);
    expect([...statusOrder].sort((a, b) => a - b)).toEqual(statusOrder);
    expect(mail.text).toMatch(/^Total\s+56$/m);
    expect(mail.text).toMatch(/^At risk\s+6$/m);
    expect(mail.text).toMatch(/^Lapsed\s+1$/m);
    expect(mail.html).toMatch(/>Provisioned<\/td><td[^>]*>12<\/td>/);
  });

  it('lists the moves of the next 14 days by date and the overdue invitations', () => {
    expect(mail.text.indexOf('2027-01-07: Contoso')).toBeLessThan(mail.text.indexOf('2027-01-12: Wingtip'));
    expect(mail.text).toContain('2027-01-07: Contoso · Microsoft 365 E3 × 10 (SUB-2)');
    expect(mail.text).toContain('2 subscriptions (17 seats)');
    expect(mail.text).toContain('OVERDUE since 2026-12-28: Northwind Traders (C-1)');
    expect(mail.html).toContain('Overdue since 2026-12-28');
    const empty = renderWeeklyDigest(weekly({ movesNext14Days: [], overdueInvitations: [] }));
    expect(headings(empty.html)).toEqual(['Where the migration stands', 'Moves per week']);
    expect(empty.subject).toContain('0 moves in the next 14 days');
  });

  it('draws bars as table cells whose pixel heights are proportional to moves', () => {
    const found = bars(mail.html);
    expect(found.map((b) => b.moves)).toEqual(WEEKS.map((w) => w.moves));
    const max = Math.max(...WEEKS.map((w) => w.moves));
    for (const b of found) {
      if (b.moves === 0) expect(b.height).toBe(0);
      else {
        expect(b.height).toBeGreaterThanOrEqual(1);
        expect(Math.abs(b.height - (b.moves / max) * WEEKLY_CHART.height)).toBeLessThanOrEqual(1);
      }
      // The at-risk part is proportional too, and never taller than its bar.
      expect(b.riskHeight).toBeLessThanOrEqual(b.height);
      if (b.atRisk > 0) expect(Math.abs(b.riskHeight - (b.atRisk / max) * WEEKLY_CHART.height)).toBeLessThanOrEqual(1);
    }
    expect(found.find((b) => b.moves === max)?.height).toBe(WEEKLY_CHART.height);
    // Heights compare like the counts do.
    const [w40, w100, w75] = found;
    expect(w40!.height / w100!.height).toBeCloseTo(0.4, 1);
    expect(w75!.riskHeight).toBe(w75!.height);
    expect(mail.html).toContain(`bgcolor="#e0891b"`);
    expect(mail.html).toContain('Capacity: 20 moves a day (100 a week).');
  });

  it('draws the text twin as rows of █ scaled to 40 columns', () => {
    const rows = mail.text.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} {2}/.test(l) && !l.includes(':'));
    expect(rows).toHaveLength(WEEKS.length);
    const max = Math.max(...WEEKS.map((w) => w.moves));
    rows.forEach((row, i) => {
      const week = WEEKS[i]!;
      expect(row.startsWith(week.weekStart)).toBe(true);
      const blocks = [...row].filter((c) => c === '█').length;
      const expected = week.moves === 0 ? 0 : Math.max(1, Math.round((week.moves / max) * 40));
      expect(blocks, row).toBe(expected);
      // The words of the subject and the risk table: a count of every risk but ok is "need attention", not "at risk".
      expect(row).toMatch(new RegExp(` ${week.moves}${week.needAttention ? ` \\(${week.needAttention} need attention\\)` : ''}$`));
    });
    expect(rows[1]).toContain('█'.repeat(40));
  });

  it(`draws a year of weeks (${WEEKS_DRAWN}) with no count over each bar, then one later bar with its count`, () => {
    const weeks = Array.from({ length: WEEKS_DRAWN }, (_, i) => ({
      weekStart: new Date(Date.UTC(2027, 0, 4 + 7 * i)).toISOString().slice(0, 10),
      moves: i % 5,
      needAttention: 0,
    }));
    const later = { from: '2028-01-03', lastWeek: '2216-02-26', moves: 994_800, needAttention: 3 };
    const big = renderWeeklyDigest(weekly({ movesPerWeek: { weeks, later } }));
    const drawn = bars(big.html);
    expect(drawn.map((b) => b.week)).toEqual(weeks.map((w) => w.weekStart));
    // Too narrow for a count over each bar: the scale on the left gives the tallest.
    expect(big.html).not.toMatch(/<div style="font-size:9px;line-height:12px;color:#59636e">\d<\/div>/);
    expect(big.html).toMatch(/border-right:1px solid #8c959f;[^"]*">4<\/td>/);
    expect(big.html).toMatch(/class="bar-later" data-moves="994800" data-from="2028-01-03" data-last-week="2216-02-26"/);
    expect(big.html).toContain('>994,800</div>');
    const note = 'Later: 994,800 moves from 2028-01-03 to the week of 2216-02-26, in one bar.';
    expect(big.html).toContain(note);
    expect(big.text).toContain(note);
    expect(big.html.length).toBeLessThan(60_000);

    const none = renderWeeklyDigest(weekly({ movesPerWeek: { weeks: [] } }));
    expect(headings(none.html)).not.toContain('Moves per week');
    const zero = renderWeeklyDigest(weekly({ movesPerWeek: { weeks: [{ weekStart: '2027-01-04', moves: 0, needAttention: 0 }] } }));
    expect(bars(zero.html)).toEqual([{ week: '2027-01-04', moves: 0, atRisk: 0, height: 0, riskHeight: 0 }]);
  });

  it('labels weeks MM-DD with the year on the first label and where the year changes', () => {
    const weeks = Array.from({ length: 10 }, (_, i) => ({
      weekStart: new Date(Date.UTC(2026, 10, 30 + 7 * i)).toISOString().slice(0, 10),
      moves: 1,
      needAttention: 0,
    }));
    const html = renderWeeklyDigest(weekly({ movesPerWeek: { weeks } })).html;
    const labels = [...html.matchAll(/<td colspan="\d+" align="left"[^>]*>([\d-]+)(?:<br><strong[^>]*>(\d{4})<\/strong>)?<\/td>/g)];
    expect(labels.map((m) => [m[1], m[2]])).toEqual(
      weeks.map((w, i) => [w.weekStart.slice(5), i === 0 ? '2026' : i === 5 ? '2027' : undefined]),
    );
    expect(html).not.toContain('labels MM-DD)');
  });

  it('escapes and neutralises hostile names and statuses', () => {
    const hostile = renderWeeklyDigest(
      weekly({
        partnerName: CRLF,
        weekOf: FORMULA,
        countsByStatus: { [SCRIPT]: 1, [FORMULA]: 2 },
        movesNext14Days: [{ date: FORMULA, customerName: SCRIPT, subscriptionId: CRLF, offer: FORMULA, seats: 1 }],
        overdueInvitations: [{ customerId: FORMULA, customerName: SCRIPT, inviteBy: CRLF }],
        movesPerWeek: {
          weeks: [
            { weekStart: SCRIPT, moves: 3, needAttention: 1 },
            { weekStart: FORMULA, moves: 1, needAttention: 0 },
          ],
          later: { from: SCRIPT, lastWeek: FORMULA, moves: 2, needAttention: 0 },
        },
      }),
    );
    expectHostileSafe(hostile);
    expect(hostile.subject.startsWith(`CSP weekly digest, week of ${FORMULA}:`)).toBe(true);
  });
});

// ---------------------------------------------------------------- invitation mail

describe('renderInvitationMail', () => {
  const mail = renderInvitationMail(invitation());

  it('asks the customer to accept by a date', () => {
    expectMailShape(mail);
    expect(mail.subject).toBe('Action needed by 2027-01-10: accept Fabrikam Cloud Ltd as your Microsoft cloud reseller');
  });

  it('explains the request, who accepts it, by when, and what happens next', () => {
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('Northwind Traders');
      expect(body).toContain('reseller relationship request');
      expect(body).toContain('Global administrator');
      expect(body).toContain('Microsoft Customer Agreement');
      expect(body).toContain('2027-01-10');
      expect(body).toContain('2027-01-31');
      expect(body).toContain('no interruption');
      expect(body).toContain('not refunded');
    }
    expect(mail.html).toContain(`href="${RESELLER_LINK.replace(/&/g, '&amp;')}"`);
    expect(mail.text).toContain(RESELLER_LINK);
    expect(mail.text).toContain('opens admin.microsoft.com');
  });

  it('never gives a deadline in the past: one already passed asks for now', () => {
    const late = renderInvitationMail(invitation({ today: '2027-01-12' }));
    expect(late.subject).toBe('Action needed now: accept Fabrikam Cloud Ltd as your Microsoft cloud reseller');
    for (const body of [late.html, late.text]) {
      expect(body).toContain('Please accept the request as soon as possible.');
      expect(body).not.toContain('2027-01-10');
    }
  });

  it("is worded by where the customer's subscriptions stand: expired in grace, or lapsed", () => {
    const grace = renderInvitationMail(invitation({ access: 'expired_grace', accessEnd: '2027-01-20' }));
    const lapsed = renderInvitationMail(invitation({ access: 'lapsed', accessEnd: '2026-12-20' }));
    expect(grace.text).toContain('your users keep access to them only until their grace period ends on 2027-01-20');
    expect(lapsed.text).toContain('your users have lost access to them');
    for (const m of [grace, lapsed]) {
      expect(m.subject).toBe('Action needed now: accept Fabrikam Cloud Ltd as your Microsoft cloud reseller');
      expect(m.text).not.toContain('no interruption');
      expect(m.text).toContain('not refunded');
    }
  });

  it("shows the partner's contact and says replies reach it", () => {
    const withContact = renderInvitationMail(invitation({ partnerEmail: 'moves@fabrikam.example' }));
    expect(withContact.text).toContain('Contact Fabrikam Cloud Ltd at moves@fabrikam.example, or reply to this e-mail.');
    expect(mail.text).toContain('Contact Fabrikam Cloud Ltd, or reply to this e-mail.');
  });

  it('renders the link only when it is https, else says the partner will send it', () => {
    for (const bad of [
      'http://admin.microsoft.com/x',
      'javascript:alert(1)',
      'ftp://x.example/',
      'www.example.com',
      '',
      'https://exa mple.com/',
    ]) {
      const other = renderInvitationMail(invitation({ resellerLink: bad }));
      expect(other.html, bad).not.toContain('href=');
      expect(other.html).toContain('Fabrikam Cloud Ltd will send you the link separately.');
      expect(other.text).toContain('Fabrikam Cloud Ltd will send you the link separately.');
      if (bad) expect(other.text).not.toContain(bad);
    }
  });

  it('escapes and neutralises hostile names and links', () => {
    const hostile = renderInvitationMail({
      partnerName: FORMULA,
      customerName: SCRIPT,
      resellerLink: `https://x.example/?a="><script>alert(1)</script>`,
      today: '2027-01-04',
      inviteBy: CRLF,
      firstMove: FORMULA,
      access: 'upcoming',
    });
    expectHostileSafe(hostile);
    expect(hostile.subject).toBe(`Action needed by Evil Corp Bcc: victim@example.com: accept ${FORMULA} as your Microsoft cloud reseller`);
    expect(hostile.html).not.toContain('"><script>');
  });
});

// Where a deployment has a console, its e-mails link to its pages instead of the files in S3.
const pages = consolePages('https://console.example/')!;

describe('links to the console: consolePages', () => {
  it('is undefined without a console address', () => {
    expect(consolePages('')).toBeUndefined();
    expect(consolePages(undefined)).toBeUndefined();
  });

  it('names an upload and a customer by their ids, encoded as one path segment', () => {
    expect(pages.home).toBe('https://console.example/');
    expect(pages.plan).toBe('https://console.example/plan');
    expect(pages.upload('u1')).toBe('https://console.example/uploads/u1');
    expect(pages.customer('C/1 ?#')).toBe('https://console.example/customers/C%2F1%20%3F%23');
  });
});

describe('links to the console: the report e-mail', () => {
  const presigned = {
    plan: 'https://s3.example/plan.csv?X-Amz-Signature=1',
    errors: 'https://s3.example/e?s=2',
    report: 'https://s3.example/r?s=3',
  };

  it("links the upload's console page and no file in S3 when there is a console", () => {
    const mail = renderReportMail({ report: report(), links: presigned, uploadPage: pages.upload('u1') });
    expect(mail.html).toContain('href="https://console.example/uploads/u1"');
    expect(mail.html).toContain('Open this upload in the console');
    expect(mail.text).toContain('Open this upload in the console: https://console.example/uploads/u1');
    expect(mail.html).not.toContain('s3.example');
    expect(mail.text).not.toContain('s3.example');
    expect(mail.text).toContain('The files are attached.');
  });

  it('links the files without a console, as before', () => {
    const mail = renderReportMail({ report: report(), links: presigned });
    expect(mail.html).toContain('https://s3.example/plan.csv?X-Amz-Signature=1');
    expect(mail.html).not.toContain('in the console');
  });

  it('refuses a page that is no http(s) address', () => {
    const mail = renderReportMail({ report: report(), uploadPage: 'javascript:alert(1)' });
    expect(mail.html).not.toContain('javascript:');
    expect(mail.html).not.toContain('in the console');
  });
});

describe('links to the console: the daily digest', () => {
  const withPages = {
    ...daily(),
    consoleUrl: pages.home,
    invitations: daily().invitations.map((i) => ({ ...i, page: pages.customer(i.customerId) })),
    movesToday: daily().movesToday.map((m) => ({ ...m, page: pages.customer('C-9') })),
  };

  it("links each customer's name to its console page, and opens with a button to the console", () => {
    const mail = renderDailyDigest(withPages);
    for (const i of daily().invitations) expect(mail.html).toContain(`href="https://console.example/customers/${i.customerId}"`);
    expect(mail.html).toContain('href="https://console.example/customers/C-9"');
    expect(mail.html).toContain('Open the console');
    expect(mail.text).toContain('The console: https://console.example/');
    expect(mail.text).toContain(`In the console: https://console.example/customers/${daily().invitations[0]!.customerId}`);
  });

  it('has no console link without a console', () => {
    const mail = renderDailyDigest(daily());
    expect(mail.html).not.toContain('console.example');
    expect(mail.text).not.toContain('In the console');
  });
});

describe('links to the console: the weekly digest', () => {
  it("links each overdue customer's name to its console page", () => {
    const overdueInvitations = [{ customerId: 'C-1', customerName: 'Northwind', inviteBy: '2027-01-01', page: pages.customer('C-1') }];
    const mail = renderWeeklyDigest({ ...weekly(), overdueInvitations, consoleUrl: pages.home });
    expect(mail.html).toContain('href="https://console.example/customers/C-1"');
    expect(mail.html).toContain('Open the console');
    expect(mail.text).toContain('In the console: https://console.example/customers/C-1');
  });
});
