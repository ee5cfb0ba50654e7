/**
 * The partner console's pages as a user sees them, on the demo's plan after its simulated days:
 * signed in through the real sign-in page, each page at a phone's and a laptop's width, into
 * out/screenshots/console/. Each step is taken at both widths before the next, so both pictures
 * of a page show the same plan; the upload comes last, as it plans the file again.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DemoConsole } from '../local/demo-command.js';

export const CONSOLE_WIDTHS = [1280, 390] as const;
/** The README's picture: Home at a laptop's width down to the end of its chart. */
const DOCS_HEIGHT = 850;

interface Step {
  name: string;
  /** Brings the page to what the picture shows; `base` is the console's URL. */
  show(page: Page, base: string): Promise<void>;
}

export async function photographConsole(browser: Browser, demo: DemoConsole, csv: string, out: string, docs: string): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const pages = new Map<number, Page>();
  const written: string[] = [];
  try {
    for (const width of CONSOLE_WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, reducedMotion: 'reduce' });
      pages.set(width, await context.newPage());
    }
    const steps = consoleSteps(demo, csv);
    for (const [i, step] of steps.entries()) {
      for (const [width, page] of pages) {
        await step.show(page, demo.url);
        await settle(page);
        const file = join(out, `${String(i + 1).padStart(2, '0')}-${step.name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
        if (step.name === 'home' && width === 1280) {
          await page.screenshot({ path: join(docs, 'console.png'), fullPage: true, clip: { x: 0, y: 0, width, height: DOCS_HEIGHT } });
        }
      }
    }
  } finally {
    for (const page of pages.values()) await page.context().close();
  }
  return written;
}

function consoleSteps(demo: DemoConsole, csv: string): Step[] {
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor();
  return [
    {
      name: 'sign-in',
      async show(page, base) {
        await page.goto(`${base}/`);
        await page.getByLabel('E-mail address').waitFor();
      },
    },
    {
      name: 'home',
      async show(page) {
        // Signed in by the form a user fills, not a token made here.
        await page.getByLabel('E-mail address').fill(demo.email);
        await page.getByLabel('Password').fill(demo.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await heading(page, 'This week');
        await page.locator('.tiles').waitFor();
      },
    },
    {
      name: 'plan',
      async show(page, base) {
        await page.goto(`${base}/plan`);
        await page.locator('.plan-table').waitFor();
      },
    },
    {
      name: 'plan-filtered',
      async show(page, base) {
        // The moves that need a look: at risk or past their end date, the not yet accepted.
        await page.goto(`${base}/plan?risk=at_risk,expired_grace,lapsed&invitation=not_sent,sent`);
        await page.locator('.plan-table').or(page.getByText('No subscriptions match')).first().waitFor();
      },
    },
    {
      name: 'plan-selected',
      async show(page, base) {
        await page.goto(`${base}/plan?invitation=not_sent,sent`);
        const boxes = page.locator('.plan-table tbody input[type=checkbox]');
        await boxes.first().waitFor();
        for (let i = 0; i < Math.min(3, await boxes.count()); i++) await boxes.nth(i).check();
        await page.getByRole('heading', { name: /rows? selected/ }).waitFor();
      },
    },
    {
      name: 'customer',
      async show(page, base) {
        // A customer who accepted and has moves provisioned: a page with a history.
        await page.goto(`${base}/plan?invitation=accepted&state=provisioned`);
        await page.locator('.plan-table tbody a').first().click();
        await page.getByRole('heading', { name: 'History' }).waitFor();
      },
    },
    {
      name: 'uploads',
      async show(page, base) {
        await page.goto(`${base}/uploads`);
        await heading(page, 'Uploads');
        await page.getByRole('link', { name: /\.csv/ }).first().waitFor();
      },
    },
    {
      name: 'upload-detail',
      async show(page) {
        await page.getByRole('link', { name: /\.csv/ }).first().click();
        await page.getByRole('heading', { name: 'Download' }).waitFor();
      },
    },
    {
      name: 'settings-error',
      async show(page, base) {
        await page.goto(`${base}/settings`);
        await page.getByLabel('Country', { exact: true }).fill('USA');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.getByRole('alert').waitFor();
      },
    },
    {
      name: 'not-found',
      async show(page, base) {
        await page.goto(`${base}/no-such-page`);
        await heading(page, /not found/i);
      },
    },
    {
      name: 'upload',
      async show(page, base) {
        await page.goto(`${base}/upload`);
        // A later export under a name of its own, one for each width: the same name and content
        // would be the demo's first upload again (the local bucket keeps no versions).
        const name = page.viewportSize()?.width === 1280 ? 'customers-february.csv' : 'customers-march.csv';
        await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: await readFile(csv) });
      },
    },
    {
      name: 'upload-planned',
      async show(page) {
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByText(/Planned: \d+ rows? planned/).waitFor({ timeout: 120_000 });
      },
    },
  ];
}

/** Nothing left loading or moving: the picture shows the page at rest, with no focus ring on a heading. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(150);
}
