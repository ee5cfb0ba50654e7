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
import { WEEKLY_CHART } from '../../shared/mail/weekly-digest.js';
import { CHROMIUM, hasChromium, launchChromium, MISSING_CHROMIUM as MISSING } from '../support/chromium.js';

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

    /** Renders HTML in a fresh page, screenshots the whole page, and hands the page to `check`. */
    async function rendered(html: string, shot: string, check: (page: Page) => Promise<void>): Promise<void> {
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
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

    it('report.html renders its chart with bars of the counted heights', async () => {
      expect(plan.length).toBe(60);
      const moveOn = plan.map((r) => r.move_on ?? '').filter((d) => d !== '');
      expect(moveOn.length).toBeGreaterThan(0);
      const perWeek = countBy(moveOn, isoWeekMonday);
      const perRisk = countBy(plan, (r) => r.risk ?? '');

      await rendered(reportHtml, 'report.png', async (page) => {
        const bars = await measureBars(page, 'svg rect.bar');
        expect(bars.length, 'one bar per ISO week with a move in plan.csv').toBe(perWeek.size);
        expect(Object.fromEntries(bars.map((b) => [b.week, b.moves]))).toEqual(Object.fromEntries(perWeek));
        expectProportional(bars);
        const busiest = [...perWeek.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
        const tallest = bars.reduce((a, b) => (b.height > a.height ? b : a));
        expect(perWeek.get(tallest.week)).toBe(busiest[1]);

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

    it("the report e-mail renders in a browser with the plan's numbers", async () => {
      const mail = emails.find((e) => e.subject.startsWith('CSP move plan'));
      expect(mail, `a report e-mail among: ${emails.map((e) => e.subject).join(' | ')}`).toBeDefined();
      expect(emails[0]).toBe(mail);
      expect(mail!.to).toEqual([PARTNER.email]);
      const attached = mail!.attachments.map((a) => a.filename);
      expect(attached).toEqual(expect.arrayContaining(['plan.csv', 'errors.csv']));
      for (const a of mail!.attachments.filter((x) => x.filename.endsWith('.csv'))) expect(a.size, a.filename).toBeGreaterThan(0);
      expect(mail!.html).toBeDefined();

      await rendered(mail!.html!, 'report-email.png', async (page) => {
        const visible = await page.locator('body').innerText();
        expect(visible).toContain('Your CSP move plan is ready');
        expect(visible).toMatch(/planned 60 subscriptions for \d+ customers; 0 rejected/);
      });
    });

    it("the weekly digest e-mail's table bars have heights proportional to moves", async () => {
      const mail = emails.find((e) => /weekly/i.test(e.subject));
      expect(mail, `a weekly digest among: ${emails.map((e) => e.subject).join(' | ')}`).toBeDefined();
      expect(mail!.to).toEqual([PARTNER.email]);
      expect(mail!.html).toBeDefined();

      // The digest draws the weeks from its Monday on, from what DynamoDB holds: the plan as of that day.
      const monday = MONDAY_AT.toISOString().slice(0, 10);
      const ahead = countBy(
        storedMoves.filter((d) => d >= monday),
        isoWeekMonday,
      );

      await rendered(mail!.html!, 'weekly-email.png', async (page) => {
        const bars = await measureBars(page, 'td.bar');
        expect(bars.length, "one bar per week with a move from the digest's Monday on (up to the drawn maximum)").toBe(
          Math.min(ahead.size, WEEKLY_CHART.maxWeeks),
        );
        for (const bar of bars) expect(ahead.get(bar.week), `moves in the week of ${bar.week}`).toBe(bar.moves);
        expectProportional(bars);
      });
    });
  },
);
