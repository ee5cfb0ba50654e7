/**
 * The report and the e-mails as a partner sees them: rendered by a real Chromium (Debian's, at
 * /usr/bin/chromium; never a downloaded browser). The pipeline runs on the embedded AWS, the
 * way `npm start` runs it: upload the sample CSV, let the plan Lambda write its reports and send
 * its e-mail, run the Monday schedules, then measure what the browser laid out.
 *
 * Without chromium the suite is skipped on a developer machine and fails in CI (CI installs it).
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentEmails, type SentEmail } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { type PartnerSettings, parseSettings } from '../../shared/domain/partner-settings.js';
import { WEEKS_DRAWN } from '../../shared/domain/week-series.js';
import { WEEKLY_CHART } from '../../shared/mail/weekly-digest.js';
import { CHROMIUM, hasChromium, launchChromium, MISSING_CHROMIUM as MISSING } from '../support/chromium.js';
import { badBreaks, measureTokens, type Token } from '../support/line-breaks.js';

const PARTNER = { partner_id: 'p-browser', name: 'Browser Test Partner', email: 'partner@browser.example' } as const;
const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const UPLOAD_AT = new Date('2026-12-01T06:00:00Z');
/** The Monday after the upload, at the hour the schedules run. */
const MONDAY_AT = new Date('2026-12-07T07:00:00Z');
/** Rendered pixel heights may differ from the exact proportion by this much (rounding). */
const PX_TOLERANCE = 1;

type CsvRow = Record<string, string>;

/** Monday (UTC) of the ISO week of an ISO date, as YYYY-MM-DD: an oracle independent of shared/domain/dates. */
function isoWeekMonday(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** The Mondays from `first` to `last`, every week: the continuous axis the charts draw. */
function mondaysBetween(first: string, last: string): string[] {
  const weeks: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 7 * 86_400_000) {
    weeks.push(new Date(t).toISOString().slice(0, 10));
  }
  return weeks;
}

/** The Monday `weeks` weeks after `monday`. */
function addWeeks(monday: string, weeks: number): string {
  return new Date(Date.parse(`${monday}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

interface Bar {
  week: string;
  moves: number;
  height: number;
}

/** Each element's data-week, data-moves and laid-out height in CSS pixels. */
async function measureBars(page: Page, selector: string): Promise<Bar[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.map((el) => ({
      week: el.getAttribute('data-week') ?? '',
      moves: Number(el.getAttribute('data-moves')),
      height: el.getBoundingClientRect().height,
    })),
  );
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

/** The laid-out box of the first element matching `selector`. */
async function box(page: Page, selector: string): Promise<Box> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    });
}

/** The boxes of the visible elements matching `selector` (display:none ones are left out). */
async function visibleBoxes(page: Page, selector: string): Promise<(Box & { text: string })[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .map((el) => ({ r: el.getBoundingClientRect(), text: (el as unknown as { innerText: string }).innerText }))
      .filter(({ r }) => r.width > 0 && r.height > 0)
      .map(({ r, text }) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height, text })),
  );
}

/** No two boxes share a pixel (labels that would overlap are unreadable). */
function expectApart(boxes: (Box & { text: string })[], what: string): void {
  const sorted = [...boxes].sort((a, b) => a.left - b.left);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    const overlap = a.right > b.left && a.bottom > b.top && b.bottom > a.top;
    expect(overlap, `${what} "${a.text}" and "${b.text}" overlap`).toBe(false);
  }
}

/** Heights are proportional to moves: one pixels-per-move ratio, from the tallest bar, fits all. */
function expectProportional(bars: Bar[]): void {
  expect(bars.length).toBeGreaterThan(0);
  const tallest = bars.reduce((a, b) => (b.height > a.height ? b : a));
  const most = Math.max(...bars.map((b) => b.moves));
  expect(tallest.moves, 'the tallest bar is a week with the most moves').toBe(most);
  const pxPerMove = tallest.height / tallest.moves;
  expect(pxPerMove).toBeGreaterThan(0);
  for (const bar of bars) {
    const expected = bar.moves * pxPerMove;
    expect(
      Math.abs(bar.height - expected),
      `week ${bar.week}: ${bar.moves} moves drawn ${bar.height}px, expected ${expected.toFixed(2)}px`,
    ).toBeLessThanOrEqual(PX_TOLERANCE);
  }
}

describe.skipIf(!hasChromium && !process.env.CI)(
  `the report and e-mails in a real browser${hasChromium ? '' : process.env.CI ? ` (${MISSING})` : ` (skipped: ${MISSING})`}`,
  () => {
    let dataDir: string | undefined;
    let shotsDir: string | undefined;
    let stack: LocalStack | undefined;
    let launching: Promise<Browser> | undefined;
    let browser: Browser | undefined;
    let reportHtml = '';
    let plan: CsvRow[] = [];
    /** The move days DynamoDB holds after the Monday's daily run (which plans the partner again first). */
    let storedMoves: string[] = [];
    let emails: SentEmail[] = [];

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`${MISSING} (no ${CHROMIUM}; .ci/run installs it)`);
      // Chromium starts while the pipeline runs; afterAll closes it even if the pipeline fails.
      launching = launchChromium();
      launching.catch(() => undefined);

      dataDir = await mkdtemp(join(tmpdir(), 'cspmove-browser-'));
      shotsDir = process.env.BROWSER_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'cspmove-shots-')));
      stack = await startLocalStack({ dataDir });
      stack.clock.now = UPLOAD_AT;
      // Imported only now: the store creates its DynamoDB client, for the local endpoint, on import.
      const { planStore } = await import('../../shared/storage/dynamodb/dynamodb-plan-store.js');
      const settings: PartnerSettings & { partner_id: string } = { ...parseSettings(PARTNER), partner_id: PARTNER.partner_id };
      await planStore.savePartnerSettings(settings);

      const s3 = new S3Client(stack.aws.clientConfig('s3'));
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: LOCAL_NAMES.bucket,
            Key: `uploads/${PARTNER.partner_id}/customers.csv`,
            Body: await readFile(SAMPLE),
            ContentType: 'text/csv',
          }),
        );
        await stack.settled();
        await stack.runSchedules(MONDAY_AT);
        storedMoves = (await planStore.trackedPlan(PARTNER.partner_id)).subscriptions.flatMap((sub) => (sub.moveOn ? [sub.moveOn] : []));

        const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: `reports/${PARTNER.partner_id}/` }));
        const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
        const reportKey = keys.find((k) => k.endsWith('/report.html'));
        expect(reportKey, `report.html under reports/${PARTNER.partner_id}/ (found: ${keys.join(', ')})`).toBeDefined();
        const prefix = reportKey!.slice(0, -'report.html'.length);
        const text = async (key: string) => {
          const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
          return object.Body!.transformToString('utf-8');
        };
        reportHtml = await text(reportKey!);
        const planCsv = await text(`${prefix}plan.csv`);
        plan = Papa.parse<CsvRow>(planCsv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
      } finally {
        s3.destroy();
      }
      emails = await listSentEmails(stack.aws);
      browser = await launching;
    }, 60_000);

    afterAll(async () => {
      await (await launching?.catch(() => undefined))?.close();
      await stack?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      if (shotsDir && !process.env.BROWSER_SCREENSHOTS) await rm(shotsDir, { recursive: true, force: true });
    });

    /** Renders HTML in a fresh page `width` pixels wide, screenshots the whole page, and hands the page to `check`. */
    async function rendered(html: string, shot: string, width: number, check: (page: Page) => Promise<void>): Promise<void> {
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      try {
        await page.setContent(html, { waitUntil: 'load' });
        const path = join(shotsDir!, shot);
        await page.screenshot({ path, fullPage: true });
        expect((await stat(path)).size, `${shot} is a real screenshot`).toBeGreaterThan(10 * 1024);
        await check(page);
      } finally {
        await page.close();
      }
    }

    it('report.html draws one bar per week on a continuous axis, with bars of the counted heights', async () => {
      expect(plan.length).toBe(60);
      const moveOn = plan.map((r) => r.move_on ?? '').filter((d) => d !== '');
      expect(moveOn.length).toBeGreaterThan(0);
      const perWeek = countBy(moveOn, isoWeekMonday);
      const perRisk = countBy(plan, (r) => r.risk ?? '');
      // From the plan day's week to the last week with a move, a year at most; the sample runs longer.
      const first = isoWeekMonday(UPLOAD_AT.toISOString().slice(0, 10));
      const lastMove = isoWeekMonday([...moveOn].sort().at(-1)!);
      const lastDrawn = addWeeks(first, WEEKS_DRAWN - 1);
      expect(lastMove > lastDrawn, 'the sample plan runs past a year').toBe(true);
      const drawn = mondaysBetween(first, lastDrawn);

      await rendered(reportHtml, 'report-1280.png', 1280, async (page) => {
        const bars = await measureBars(page, '.chart .bar');
        expect(bars.map((b) => b.week)).toEqual(drawn);
        for (const bar of bars) expect(bar.moves, `moves in the week of ${bar.week}`).toBe(perWeek.get(bar.week) ?? 0);
        expectProportional(bars);
        const later = page.locator('.chart .bar-later');
        const laterMoves = moveOn.filter((d) => isoWeekMonday(d) > lastDrawn).length;
        expect(Number(await later.getAttribute('data-moves'))).toBe(laterMoves);
        expect(await later.getAttribute('data-last-week')).toBe(lastMove);

        // The risk cards show, visibly, how many plan.csv rows have each risk.
        const visible = await page.locator('body').innerText();
        for (const [risk, n] of perRisk) {
          const number = page.locator(`.risk[data-risk="${risk}"] .risk-n`);
          expect(await number.isVisible(), `risk card ${risk} is visible`).toBe(true);
          const shown = await number.innerText();
          expect(shown, `rows with risk ${risk} in plan.csv`).toBe(String(n));
          expect(visible).toContain(shown);
        }
      });
    });

    it("report.html chart reads at 1280 and at 390 pixels: tall bars, the card's width, labels apart, no overflow", async () => {
      for (const width of [1280, 390]) {
        await rendered(reportHtml, `report-${width}.png`, width, async (page) => {
          const plot = await box(page, '.chart .plot');
          const bars = await measureBars(page, '.chart .bar');
          const tallest = Math.max(...bars.map((b) => b.height));
          expect(tallest / plot.height, `the tallest bar fills most of the plot at ${width}px`).toBeGreaterThanOrEqual(0.6);
          expect(plot.height).toBeGreaterThanOrEqual(150);

          // The chart spans the card: its plot and later bar together, less the axis numbers.
          const card = await page.locator('#moves-per-week').evaluate((el) => {
            const r = el.getBoundingClientRect();
            const style = (globalThis as any).getComputedStyle(el);
            return { left: r.left + Number.parseFloat(style.paddingLeft), right: r.right - Number.parseFloat(style.paddingRight) };
          });
          const chart = await box(page, '.chart');
          expect(chart.left).toBeGreaterThanOrEqual(card.left - 0.5);
          expect(chart.right).toBeLessThanOrEqual(card.right + 0.5);
          expect(plot.width / (card.right - card.left), `the plot spans most of the card at ${width}px`).toBeGreaterThanOrEqual(0.85);

          const overflow = await page.evaluate(() => {
            const root = (globalThis as any).document.documentElement;
            return root.scrollWidth - root.clientWidth;
          });
          expect(overflow, `no horizontal scrolling at ${width}px`).toBeLessThanOrEqual(0);

          // What the moves need stands in the summary card, not across the page.
          const summary = await box(page, '#summary');
          const need = await box(page, '#summary .capacity-need');
          expect(need.left, `the capacity need inside the summary at ${width}px`).toBeGreaterThanOrEqual(summary.left);
          expect(need.right, `the capacity need inside the summary at ${width}px`).toBeLessThanOrEqual(summary.right);
          expect(need.bottom).toBeLessThanOrEqual(summary.bottom);

          const labels = await visibleBoxes(page, '.chart .x-label');
          expect(labels.length).toBeGreaterThanOrEqual(3);
          expectApart(labels, 'week labels');
          for (const label of labels) {
            expect(label.left, `label "${label.text}" inside the card`).toBeGreaterThanOrEqual(card.left - 0.5);
            expect(label.right, `label "${label.text}" inside the card`).toBeLessThanOrEqual(card.right + 0.5);
          }
          // The year is visible on the axis where it changes (the sample runs from 2026 into 2028).
          const years = labels.map((l) => /\b(20\d\d)\b/.exec(l.text)?.[1]).filter(Boolean);
          expect(years).toEqual(expect.arrayContaining(['2027']));
          expectApart(await visibleBoxes(page, '.chart .bar-count'), 'counts over the bars');
        });
      }
    });

    it("the report e-mail renders in a browser with the plan's numbers", async () => {
      const mail = emails.find((e) => e.subject.startsWith('CSP move plan'));
      expect(mail, `a report e-mail among: ${emails.map((e) => e.subject).join(' | ')}`).toBeDefined();
      expect(emails[0]).toBe(mail);
      expect(mail!.to).toEqual([PARTNER.email]);
      const attached = mail!.attachments.map((a) => a.filename);
      expect(attached).toEqual(expect.arrayContaining(['plan.csv', 'errors.csv']));
      for (const a of mail!.attachments.filter((x) => x.filename.endsWith('.csv'))) expect(a.size, a.filename).toBeGreaterThan(0);
      expect(mail!.html).toBeDefined();

      await rendered(mail!.html!, 'report-email.png', 1280, async (page) => {
        const visible = await page.locator('body').innerText();
        expect(visible).toContain('Your CSP move plan is ready');
        expect(visible).toMatch(/planned 60 subscriptions for \d+ customers; 0 rejected/);
      });
    });

    it('the weekly digest e-mail draws every week from its Monday, a year of them, in 600 pixels', async () => {
      const mail = emails.find((e) => /weekly/i.test(e.subject));
      expect(mail, `a weekly digest among: ${emails.map((e) => e.subject).join(' | ')}`).toBeDefined();
      expect(mail!.to).toEqual([PARTNER.email]);
      expect(mail!.html).toBeDefined();

      // The digest draws the weeks from its Monday on, from what DynamoDB holds: the plan as of that day.
      const monday = MONDAY_AT.toISOString().slice(0, 10);
      const moves = storedMoves.filter((d) => d >= monday);
      const ahead = countBy(moves, isoWeekMonday);
      const lastMove = isoWeekMonday([...moves].sort().at(-1)!);
      const lastDrawn = addWeeks(monday, WEEKS_DRAWN - 1);
      const drawn = mondaysBetween(monday, [lastMove, lastDrawn].sort()[0]!);

      await rendered(mail!.html!, 'weekly-email-600.png', 600, async (page) => {
        const bars = await measureBars(page, 'td.bar');
        expect(bars.map((b) => b.week)).toEqual(drawn);
        for (const bar of bars) expect(bar.moves, `moves in the week of ${bar.week}`).toBe(ahead.get(bar.week) ?? 0);
        expectProportional(bars);
        expect(Math.max(...bars.map((b) => b.height))).toBe(WEEKLY_CHART.height);
        const later = moves.filter((d) => isoWeekMonday(d) > lastDrawn).length;
        const laterBar = page.locator('table.bar-later');
        expect(await laterBar.count()).toBe(later > 0 ? 1 : 0);
        if (later > 0) expect(Number(await laterBar.getAttribute('data-moves'))).toBe(later);

        const chart = await box(page, 'table.chart');
        const overflow = await page.evaluate(() => {
          const root = (globalThis as any).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        expect(overflow, 'no horizontal scrolling at 600px').toBeLessThanOrEqual(0);
        expect(chart.right).toBeLessThanOrEqual(600);
        // Week labels in cells that clip: each label's text fits its cell.
        const labels = await page
          .locator('table.chart tr:nth-child(2) td[colspan]')
          .evaluateAll((cells) =>
            cells.map((c) => ({ text: (c as unknown as { innerText: string }).innerText, fits: c.scrollWidth <= c.clientWidth })),
          );
        expect(labels.filter((l) => l.text.trim()).length).toBeGreaterThanOrEqual(3);
        for (const l of labels) expect(l.fits, `week label "${l.text}" fits its cell`).toBe(true);
        expect(
          labels.some((l) => /2027/.test(l.text)),
          'the year shows where it changes',
        ).toBe(true);
      });
    });

    /** Renders `html` at `width` px; every date and code is on one line, every GUID broken only after a hyphen. */
    async function expectNoBadBreaks(html: string, width: number, shot: string, kinds: Token['kind'][]): Promise<void> {
      await rendered(html, shot, width, async (page) => {
        const tokens = await measureTokens(page);
        for (const kind of kinds) expect(tokens.filter((t) => t.kind === kind).length, `${shot}: ${kind}s measured`).toBeGreaterThan(0);
        expect(badBreaks(tokens), shot).toEqual([]);
      });
    }

    it.each([
      ['report e-mail', 'CSP move plan', ['date', 'code', 'guid']],
      ['daily digest', 'CSP moves for', ['date', 'guid']],
      ['weekly digest', 'CSP weekly digest', ['date']],
    ] as const)('the %s at 600 px: dates and codes never wrap, GUIDs wrap only at hyphens', async (label, subject, kinds) => {
      const mail = emails.find((e) => e.subject.startsWith(subject));
      expect(mail?.html, `a ${label} among: ${emails.map((e) => e.subject).join(' | ')}`).toBeDefined();
      await expectNoBadBreaks(mail!.html!, 600, `line-breaks-${label.replace(' ', '-')}-600.png`, [...kinds]);
    });

    it.each([1280, 390])('report.html at %i px: dates and codes never wrap, GUIDs wrap only at hyphens', async (width) => {
      await expectNoBadBreaks(reportHtml, width, `line-breaks-report-${width}.png`, ['date', 'code', 'guid']);
    });
  },
);
