/**
 * P8, what a user waits for in the browser (bench/README.md), in Debian's Chromium
 * (test/support/chromium.ts) on the local stack with its console (local/stack.ts):
 *
 *   prepare FILE CAPACITY OUT   plans FILE in process (not timed) and writes its plan view snapshot
 *                               to OUT, the same plan planned a minute later to OUT.replanned (the
 *                               same rows, another ETag: a re-plan), and to OUT.items.json the
 *                               stored plan items (planItems(), as the upload stores them) of the
 *                               rows of the plan page's first page and of their customers: the
 *                               live-state overlay reads those for the rows it shows
 *   measure SNAPSHOT            a fresh stack with its console: the snapshot at the partner's view
 *                               key, those items in the table, a console user for that partner and
 *                               one for a partner with no plan; Chromium signs both in through the
 *                               pages (not timed), then, interleaved, REPS times each:
 *                               - home cold / warm: `/` with the HTTP cache cleared / as the last
 *                                 load left it, navigation start → the tiles in the page;
 *                               - static cold / warm (baseline): the same Home as the app rendered
 *                                 it, saved as a static page of the console server (no script),
 *                                 same stylesheet: navigation start → the tiles in the page;
 *                               - empty home: the partner with no plan, → the "No plan yet" card;
 *                               - plan: `/plan` (default query: 50 rows by move day), navigation
 *                                 start → the first rows in the page; with the API's view warm,
 *                                 and just after a re-plan (the other snapshot put first: the API
 *                                 gets and decodes 1M rows again), and warm with the cache cleared;
 *                               - api (baseline): the page's own GET /api/plan from the same page
 *                                 by fetch, read to the end, warm and just after a re-plan.
 *
 * "In the page" is taken in the page: a MutationObserver installed before any script of the page
 * sees the element arrive, and the time is the next animation frame's (the frame that shows it),
 * as performance.now() (from the navigation's start). Bytes are the page's Resource Timing
 * transferSize (headers and body as received; 0 from the cache), by kind.
 *
 *   node --import tsx bench/workers/browser-pages.ts prepare|measure …
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { WEB_DIR } from '../../local/console/local-console.js';
import { LOCAL_NAMES, startLocalStack } from '../../local/stack.js';
import { PlanQuerySchema } from '../../shared/console/contract.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planViewKey } from '../../shared/storage/bucket-layout.js';
import { planItems } from '../../shared/storage/dynamodb/plan-items.js';
import { planItemKey } from '../../shared/storage/dynamodb/table-design.js';
import { PlanTable } from '../../shared/storage/plan-view/plan-table.js';
import { decodeSnapshot, encodeSnapshot, isGzip } from '../../shared/storage/plan-view/snapshot.js';
import { planFile } from '../../shared/use-cases/plan-file.js';
import { hasChromium, launchChromium, MISSING_CHROMIUM } from '../../test/support/chromium.js';
import { emit } from '../util.js';

const [mode, ...rest] = process.argv.slice(2);
const PARTNER = 'bench';
const EMPTY_PARTNER = 'bench-empty';
const PLANNED_AT = new Date('2026-12-01T08:00:00Z');
/** The static copy of the rendered Home, under the console's web folder while the worker runs (no-cache, as index.html). */
const STATIC_DIR = 'bench-static-home';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

async function prepare(file: string, capacity: number, out: string) {
  const settings = parseSettings({ partner_id: PARTNER, daily_capacity: capacity });
  const run = await planFile({ source: createReadStream(file), fileName: basename(file), settings, today: isoToDay('2026-12-01') });
  const bytes = await encodeSnapshot(PARTNER, run, PLANNED_AT);
  await writeFile(out, bytes);
  await writeFile(`${out}.replanned`, await encodeSnapshot(PARTNER, run, new Date(PLANNED_AT.getTime() + 60_000)));
  // The rows the page's first page shows (the web app's default query is the API's), and their customers.
  const first = new PlanTable(await decodeSnapshot(bytes)).page(PlanQuerySchema.parse({}));
  const wanted = new Set<string>();
  const slot = (kind: 'customer' | 'subscription', id: string) => planItemKey(PARTNER, kind, id).join('\n');
  for (const row of first.rows) {
    wanted.add(slot('subscription', row.subscriptionId));
    wanted.add(slot('customer', row.customerId));
  }
  const items = [...planItems(run, PARTNER, 'bench-upload')].filter((item) => wanted.has(`${item.pk}\n${item.sk}`));
  await writeFile(`${out}.items.json`, JSON.stringify(items));
  return { rows: run.portfolio.stats.keptRows, bytes: bytes.length, firstPageRows: first.rows.length, items: items.length };
}

export interface Transfer {
  /** Resource Timing transferSize (headers + body as received; 0 when from the cache), by kind. */
  document: number;
  js: number;
  css: number;
  api: number;
  other: number;
  /** Each API call: path and query, bytes received (transferSize) and of its body, when it started and ended. */
  apiCalls: { path: string; bytes: number; body: number; startMs: number; endMs: number }[];
}

export interface Load {
  /** Navigation start → the element in the page, at the next animation frame. */
  shownMs: number;
  /** When the element was seen in the DOM (before that frame). */
  inDomMs: number;
  responseEndMs: number;
  domContentLoadedMs: number;
  transfer: Transfer;
  /** How many elements matched when seen, and when counted after the load (rows of the table). */
  count: number;
}

async function measure(snapshotFile: string, reps: number) {
  if (!hasChromium) throw new Error(MISSING_CHROMIUM);
  const body = await readFile(snapshotFile);
  const replanned = await readFile(`${snapshotFile}.replanned`);
  const items = JSON.parse(await readFile(`${snapshotFile}.items.json`, 'utf8')) as Record<string, unknown>[];
  const dataDir = await mkdtemp(join(tmpdir(), 'cspmove-bench-browser-'));
  // The partner's today is the plan's: Home counts the week of 2026-12-01.
  const started = Date.now();
  const clock = {
    get now() {
      return new Date(Date.parse('2026-12-01T09:00:00Z') + (Date.now() - started));
    },
  };
  const stack = await startLocalStack({ dataDir, clock, consolePort: 0 });
  const staticDir = join(WEB_DIR, STATIC_DIR);
  let browser: Browser | undefined;
  try {
    const consoleUrl = stack.console!.url;
    const s3 = new S3Client(stack.aws.clientConfig('s3'));
    const putSnapshot = async (bytes: Buffer) => {
      const ContentType = isGzip(bytes) ? 'application/gzip' : 'application/octet-stream';
      await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: planViewKey(PARTNER), Body: bytes, ContentType }));
    };
    await putSnapshot(body);
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(stack.aws.clientConfig('dynamodb')), {
      marshallOptions: { removeUndefinedValues: true },
    });
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      const answer = await ddb.send(new BatchWriteCommand({ RequestItems: { [LOCAL_NAMES.table]: batch } }));
      if (Object.keys(answer.UnprocessedItems ?? {}).length) throw new Error('items left unprocessed');
    }
    ddb.destroy();
    const { planStore } = await import('../../shared/storage/dynamodb/dynamodb-plan-store.js');
    const users: Record<string, { email: string; password: string }> = {};
    for (const [id, name] of [
      [PARTNER, 'Bench Partner'],
      [EMPTY_PARTNER, 'Empty Partner'],
    ] as const) {
      await planStore.savePartnerSettings({ ...parseSettings({ name }), partner_id: id });
      const email = `user@${id}.example`;
      const added = await stack.console!.users.addUser(id, email);
      if (added.outcome !== 'added' || added.delivery.kind !== 'password') throw new Error('no local password');
      users[id] = { email, password: added.delivery.password };
    }

    browser = await launchChromium();
    const open = async (partnerId: string) => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${consoleUrl}/`);
      await page.getByLabel('E-mail address').fill(users[partnerId]!.email);
      await page.getByLabel('Password').fill(users[partnerId]!.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.addInitScript(WATCH);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      return { page, cdp, errors };
    };
    const main = await open(PARTNER);
    const empty = await open(EMPTY_PARTNER);

    // The baseline: Home as the app rendered it, as a static page of the console server.
    await main.page.locator('.tiles li').first().waitFor();
    await main.page.waitForLoadState('networkidle');
    const rendered = (await main.page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, 'index.html'), rendered);

    const visit = (who: typeof main, path: string, selector: string, cold: boolean) =>
      load(who.page, who.cdp, `${consoleUrl}${path}`, selector, cold);
    const TILES = '.tiles li';
    const ROWS = 'table.plan-table tbody tr';
    const NO_PLAN = 'section.card h2';
    const runs: Record<string, (Load | ApiCall)[]> = {};
    const add = (name: string, value: Load | ApiCall) => {
      runs[name] = [...(runs[name] ?? []), value];
    };
    let current = body;
    const replan = async () => {
      current = current === body ? replanned : body;
      await putSnapshot(current);
    };
    // A first round not kept: the page's code and the API's routes compiled, as in any session.
    await visit(main, '/', TILES, false);
    await visit(main, '/plan', ROWS, false);
    // Each round: a cold load clears the browser's HTTP cache first (Network.clearBrowserCache),
    // and each warm load follows a load of the same page, so its files are in the cache.
    for (let r = 0; r < reps; r++) {
      add('staticCold', await visit(main, `/${STATIC_DIR}/index.html`, TILES, true));
      add('staticWarm', await visit(main, `/${STATIC_DIR}/index.html`, TILES, false));
      add('emptyHomeCold', await visit(empty, '/', NO_PLAN, true));
      add('emptyHomeWarm', await visit(empty, '/', NO_PLAN, false));
      add('homeCold', await visit(main, '/', TILES, true));
      add('homeWarm', await visit(main, '/', TILES, false));
      add('planWarm', await visit(main, '/plan', ROWS, false));
      add('apiWarm', await apiCall(main.page));
      await replan();
      add('planReplanned', await visit(main, '/plan', ROWS, false));
      await replan();
      add('apiReplanned', await apiCall(main.page));
      add('planBrowserCold', await visit(main, '/plan', ROWS, true));
    }
    s3.destroy();
    const emptyText = await empty.page.locator(NO_PLAN).first().textContent();
    if (emptyText !== 'No plan yet') throw new Error(`the empty partner's Home shows "${emptyText}"`);
    return {
      snapshotBytes: body.length,
      items: items.length,
      runs,
      errors: [...main.errors, ...empty.errors],
      chromium: browser.version(),
      staticBytes: Buffer.byteLength(rendered),
    };
  } finally {
    await browser?.close();
    await rm(staticDir, { recursive: true, force: true });
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Installed before any script of each page: the first time `window.__benchSelector` matches,
 * the time it was seen and the next animation frame's, from the navigation's start.
 */
const WATCH = `(() => {
  const w = window;
  w.__bench = {};
  const selector = () => sessionStorage.getItem('bench.selector');
  const check = () => {
    const s = selector();
    if (!s || w.__bench.inDom !== undefined) return;
    const found = document.querySelectorAll(s);
    if (!found.length) return;
    w.__bench.inDom = performance.now();
    w.__bench.count = found.length;
    requestAnimationFrame(() => { w.__bench.shown = performance.now(); });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  check();
})();`;

async function load(page: Page, cdp: CDPSession, url: string, selector: string, cold: boolean): Promise<Load> {
  // The selector travels in sessionStorage (the origin's, kept across its navigations).
  await page.evaluate((s) => sessionStorage.setItem('bench.selector', s), selector);
  if (cold) await cdp.send('Network.clearBrowserCache');
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __bench?: { shown?: number } }).__bench?.shown !== undefined, undefined, {
    timeout: 30_000,
    polling: 50,
  });
  await page.waitForLoadState('networkidle');
  const result = await page.evaluate((s) => {
    const mark = (window as unknown as { __bench: { inDom: number; shown: number; count: number } }).__bench;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const transfer = {
      document: nav.transferSize,
      js: 0,
      css: 0,
      api: 0,
      other: 0,
      apiCalls: [] as { path: string; bytes: number; body: number; startMs: number; endMs: number }[],
    };
    for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const path = new URL(e.name).pathname;
      if (path.startsWith('/api/')) {
        transfer.api += e.transferSize;
        transfer.apiCalls.push({
          path: path + new URL(e.name).search,
          bytes: e.transferSize,
          body: e.decodedBodySize,
          startMs: e.startTime,
          endMs: e.responseEnd,
        });
      } else if (path.endsWith('.js')) transfer.js += e.transferSize;
      else if (path.endsWith('.css')) transfer.css += e.transferSize;
      else transfer.other += e.transferSize;
    }
    return {
      shownMs: mark.shown,
      inDomMs: mark.inDom,
      responseEndMs: nav.responseEnd,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      transfer,
      count: document.querySelectorAll(s).length,
    };
  }, selector);
  return result;
}

export interface ApiCall {
  ms: number;
  bytes: number;
  rows: number;
}

/** The plan page's own API call (the default query), from the page by fetch with its token, read to the end. */
async function apiCall(page: Page): Promise<ApiCall> {
  return page.evaluate(async () => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))!;
    const token = (JSON.parse(sessionStorage.getItem(key)!) as { id_token: string }).id_token;
    const t0 = performance.now();
    const response = await fetch('/api/plan', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    const text = await response.text();
    const ms = performance.now() - t0;
    if (!response.ok) throw new Error(`GET /api/plan answered ${response.status}`);
    return { ms, bytes: text.length, rows: (JSON.parse(text) as { rows: unknown[] }).rows.length };
  });
}

// Last: the constants above are initialised by then.
if (mode === 'prepare') emit(await prepare(rest[0]!, Number(rest[1]), rest[2]!));
else if (mode === 'measure') emit(await measure(rest[0]!, Number(rest[1] ?? 5)));
else throw new Error(`unknown mode ${mode}`);
