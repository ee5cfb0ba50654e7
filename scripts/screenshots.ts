/**
 * `npm run screenshots`: what partners and customers see, as PNG files in out/screenshots/.
 *
 * Runs the demo (`cspmove demo`, as `npm start` does, with customer invitations on) into a fresh
 * out/screenshots/demo/, renders the pages an action link opens, then photographs each with
 * Debian's Chromium at the widths people read them at: e-mails at 600 px (a mail client's
 * reading pane), pages at 390 px (a phone) and 1280 px (a laptop). Before the demo's stack stops,
 * the partner console (built from web/ first) is photographed on its plan, as `npm start` leaves
 * it: out/screenshots/console/ (scripts/console-screenshots.ts). Each run starts from an empty
 * out/screenshots/, so no file is left from an earlier run.
 *
 * The README shows four of them, kept in docs/screenshots/ and written again by each run: the
 * console's Home, the top of report.html, a daily digest and a weekly digest.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDemo } from '../local/demo-command.js';
import { renderActionPage } from '../shared/email-actions/action-pages.js';
import type { ActionItem, ActionView } from '../shared/email-actions/action-view.js';
import { hasChromium, launchChromium, MISSING_CHROMIUM } from '../test/support/chromium.js';
import { photographConsole } from './console-screenshots.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'out/screenshots');
const DEMO = join(OUT, 'demo');
const DOCS = join(ROOT, 'docs/screenshots');
const MAIL_WIDTH = 600;
/** The report's top in the README: the summary, the invitations and the chart, not every table. */
const DOCS_REPORT_HEIGHT = 1500;
const PAGE_WIDTHS = [390, 1280];

/** The action-link pages, one of each kind, with names from the sample file. */
function actionPages(): Record<string, string> {
  const invitation: ActionItem = { action: 'accepted', partnerName: 'Demo Partner Ltd', customerName: 'Proseware, Inc.' };
  const move: ActionItem = {
    action: 'provisioned',
    partnerName: 'Demo Partner Ltd',
    customerName: 'Fourth Coffee',
    subscription: { id: '3b9cd8e7-d868-46e2-a992-9633dd28e219', offer: 'Office 365 E3', targetOffer: 'Microsoft 365 E3', seats: 300 },
  };
  const views: Record<string, ActionView> = {
    confirm: { kind: 'confirm', item: move, current: 'planned', effective: '2027-02-19', expiresAt: new Date('2027-03-21T00:00:00Z') },
    done: { kind: 'done', item: invitation, recorded: true, effective: '2027-02-28' },
    'moved-on': { kind: 'moved_on', item: move, current: 'done', problem: 'past' },
    expired: { kind: 'refused', reason: 'expired' },
  };
  return Object.fromEntries(Object.entries(views).map(([name, view]) => [name, renderActionPage(view, 'demo-token').body]));
}

async function main(): Promise<number> {
  if (!hasChromium) {
    process.stderr.write(`screenshots: ${MISSING_CHROMIUM}\n`);
    return 1;
  }
  await rm(OUT, { recursive: true, force: true });
  await mkdir(join(DEMO, 'pages'), { recursive: true });
  const config = join(OUT, 'partner.json');
  await writeFile(config, JSON.stringify({ notify_customers: true }));
  await mkdir(DOCS, { recursive: true });
  // The console served is dist/web: built from web/ now, so the pictures show the code as it is.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
  const csv = join(ROOT, 'examples/customers.csv');
  let consoleShots: string[] = [];
  const code = await runDemo({
    csv,
    config,
    today: '2026-12-01',
    days: 90,
    json: false,
    out: DEMO,
    simulateAcceptances: true,
    consolePort: 0,
    whileServing: async (demo) => {
      const browser = await launchChromium();
      try {
        consoleShots = await photographConsole(browser, demo, csv, join(OUT, 'console'), DOCS);
      } finally {
        await browser.close();
      }
    },
  });
  if (code !== 0) return code;
  await rm(config);
  for (const [name, html] of Object.entries(actionPages())) await writeFile(join(DEMO, 'pages', `action-${name}.html`), html);

  const shots: { file: string; width: number; png: string }[] = [];
  for (const width of PAGE_WIDTHS) shots.push({ file: join(DEMO, 'report.html'), width, png: `report-${width}.png` });
  for (const name of (await readdir(join(DEMO, 'pages'))).sort()) {
    for (const width of PAGE_WIDTHS)
      shots.push({ file: join(DEMO, 'pages', name), width, png: `${name.replace(/\.html$/, '')}-${width}.png` });
  }
  for (const name of (await readdir(join(DEMO, 'emails'))).sort()) {
    shots.push({ file: join(DEMO, 'emails', name), width: MAIL_WIDTH, png: `mail-${name.replace(/\.html$/, '')}-${MAIL_WIDTH}.png` });
  }

  // For the README: a daily digest with invitations and moves, and a weekly digest with moves ahead.
  const mails = (await readdir(join(DEMO, 'emails'))).sort();
  const daily = mails.find((m) => /CSP-moves-for.*invitation.*moves?-today/.test(m)) ?? mails.find((m) => m.includes('CSP-moves-for'));
  const weekly = mails.find((m) => /weekly-digest.*-[2-9]-moves-in/.test(m)) ?? mails.find((m) => m.includes('weekly-digest'));
  const docs = [
    { file: join(DEMO, 'report.html'), width: 1280, png: 'report.png', height: DOCS_REPORT_HEIGHT },
    ...(daily ? [{ file: join(DEMO, 'emails', daily), width: MAIL_WIDTH, png: 'daily-digest.png' }] : []),
    ...(weekly ? [{ file: join(DEMO, 'emails', weekly), width: MAIL_WIDTH, png: 'weekly-digest.png' }] : []),
  ];

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    for (const shot of shots) {
      await page.setViewportSize({ width: shot.width, height: 800 });
      await page.goto(pathToFileURL(shot.file).href);
      await page.screenshot({ path: join(OUT, shot.png), fullPage: true });
    }
    for (const shot of docs) {
      await page.setViewportSize({ width: shot.width, height: shot.height ?? 800 });
      await page.goto(pathToFileURL(shot.file).href);
      await page.screenshot({ path: join(DOCS, shot.png), fullPage: shot.height === undefined });
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(
    `${shots.length + consoleShots.length} screenshots in ${OUT} (the pages they show: ${DEMO}; the console's in console/); the README's in ${DOCS}\n`,
  );
  return 0;
}

process.exitCode = await main();
