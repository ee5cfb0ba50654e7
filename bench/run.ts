/**
 * `npm run bench` — measures P1–P8 (bench/README.md) in one run, each figure against a baseline
 * measured in the same run, prints a table and ends with ONE JSON line holding every figure,
 * its target and whether it is met. See bench/README.md.
 *
 *   npm run bench                 full sizes (1M-row plan, 100k-row upload, 500k stored plans)
 *   npm run bench -- --quick      every size / 10 (under a minute)
 *   options: --reps N (P1 repetitions, default 2) · --stages / --no-stages (the per-stage
 *   breakdown of the offline plan; default on in full, off in quick) · --keep (keep the generated
 *   CSVs) · --check (exit 1 when a target is missed) · --only P7[,P3…] (only these cases)
 *
 * Every measurement runs in its own child process, one at a time (this is a 2-core machine).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Bundle, buildBundles, importTimes } from './bundles.js';
import { generate } from './generate.js';
import { FILTERED_VIEW_QUERY } from './plan-view-query.js';
import { argValue, BENCH_DIR, buildCli, GNU_TIME, MB, median, REPO_DIR, runNode, runWorker } from './util.js';
import type { ApiCall, Load } from './workers/browser-pages.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const scale = quick ? 0.1 : 1;
const reps = Math.max(1, Number(argValue(args, '--reps') ?? 2));
const stagesOn = args.includes('--stages') || (!quick && !args.includes('--no-stages'));
/** `--only P7,P3`: only these cases (P1 stands for P1, P2, P6 and the stages, measured together). */
const only = argValue(args, '--only')?.split(',');
const wanted = (...ids: string[]) => !only || ids.some((id) => only.includes(id));
/** The cases each generated file is for. */
const USES = { big: ['P1', 'D1', 'D2', 'P7', 'P8'], small: ['P1', 'P3'] } as const;
const SEED = 42;

const SIZES = {
  big: Math.round(1_000_000 * scale), // P1, P2 (upper)
  small: Math.round(100_000 * scale), // P2 (lower), P3
  sequentialSample: quick ? 500 : 5_000,
  viewRuns: 3,
  browserRuns: 5,
  storedSmall: Math.round(10_000 * scale),
  storedLarge: Math.round(500_000 * scale),
  due: 200,
  partners: 4,
  importRuns: 5,
};

const TARGETS = {
  p1Ratio: 2.0,
  p2RssBytes: 256 * MB,
  p2GrowthBytesPerRow: 80,
  p3VsSequential: 8,
  p3VsRaw: 0.8,
  p4Ratio: 1.5,
  p6Ratio: 1.25,
  p5BundleBytes: 1 * MB,
  p5ImportMs: 150,
  d1UploadSeconds: 300,
  d2WrittenShare: 0.03,
  d2ReadSeconds: 60,
  p7FirstPageMs: 1000,
  p7ColdVsGet: 2.5,
  p7WarmVsGet: 1,
  p7PageRows: 200,
  p8PageMs: 1000,
  p8HomeVsStatic: 3,
  p8PlanVsApi: 3,
  p8ReplannedVsApi: 1.5,
  /** scripts/build-web.mjs's WEB_JS_BUDGET: the most JavaScript the console ships, gzipped. */
  p8JsGzipBytes: 150 * 1024,
  p8PlanBytes: 128 * 1024,
  p8PageRows: 200,
};

interface Figure {
  id: string;
  measure: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
  baseline: string;
}

const started = performance.now();
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const s = (ms: number) => `${fmt(ms / 1000)} s`;
const mb = (bytes: number) => `${fmt(bytes / MB, 1)} MB`;
const rows = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

/** The commit measured, and whether the product code had uncommitted changes. */
function gitState(): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'shared', 'functions', 'local', 'bin', 'scripts/build-cli.mjs', 'package.json'], {
        cwd: REPO_DIR,
        encoding: 'utf8',
      }).trim() !== '';
    return { commit, dirty };
  } catch {
    return undefined;
  }
}
const gitAtStart = gitState();
buildCli();
const loadAtStart = loadavg()[0]!;

const buildDir = join(BENCH_DIR, '.build');
await mkdir(buildDir, { recursive: true });
const dataDir = await mkdtemp(join(tmpdir(), 'cspmove-bench-'));

try {
  // --- data -----------------------------------------------------------------------------------
  const files: Record<'big' | 'small', { path: string; rows: number; config: string; capacity: number; bytes: number }> = {} as never;
  for (const size of (['big', 'small'] as const).filter((size) => wanted(...USES[size]))) {
    const n = SIZES[size];
    const path = join(dataDir, `customers-${rows(n)}.csv`);
    const t0 = performance.now();
    const g = await generate({ rows: n, seed: SEED, path });
    // A realistic team capacity for the file's size: 1M rows → 5,000 moves a business day.
    const capacity = Math.max(20, Math.round(n / 200));
    const config = join(dataDir, `partner-${rows(n)}.json`);
    await writeFile(config, JSON.stringify({ partner_id: 'bench', daily_capacity: capacity }));
    files[size] = { path, rows: n, config, capacity, bytes: g.bytes };
    details[`data_${size}`] = { ...g, capacity, seed: SEED };
    log(
      `generated ${rows(n)} rows (${mb(g.bytes)}, ${g.customers} customers, ${g.addOns} add-ons, ${g.invalid} invalid, ${g.foreign} foreign) in ${s(performance.now() - t0)}`,
    );
  }

  const planCli = (file: (typeof files)['big'], out: string, env?: NodeJS.ProcessEnv) =>
    runNode(['bin/cspmove.mjs', 'plan', file.path, '--today', '2026-12-01', '--out', out, '--config', file.config, '--quiet'], {
      rss: true,
      env,
    });

  const big = files.big;
  const small = files.small;

  // --- P1 / P2 --------------------------------------------------------------------------------
  if (wanted('P1')) {
    const baselineRuns: { ms: number; rss: number | undefined }[] = [];
    const planRuns: { ms: number; rss: number | undefined }[] = [];
    const noSearchRuns: { ms: number; rss: number | undefined }[] = [];
    for (let r = 0; r < reps; r++) {
      const b = await runWorker<{ rows: number }>('parse-baseline.ts', [big.path], { rss: true });
      if (b.rows !== big.rows) throw new Error(`baseline parsed ${b.rows} rows, expected ${big.rows}`);
      baselineRuns.push({ ms: b.wallMs, rss: b.maxRssBytes });
      log(`P1 baseline papaparse parse ${rows(big.rows)}: ${s(b.wallMs)}, ${mb(b.maxRssBytes ?? 0)}`);
      const p = await planCli(big, join(dataDir, 'out-big'));
      if (p.code !== 0) throw new Error(`cspmove plan exited ${p.code}: ${p.stderr}`);
      planRuns.push({ ms: p.wallMs, rss: p.maxRssBytes });
      log(`P1 cspmove plan ${rows(big.rows)}: ${s(p.wallMs)}, ${mb(p.maxRssBytes ?? 0)}`);
      // P6's baseline: the same plan without the capacity search.
      const n = await planCli(big, join(dataDir, 'out-big'), { CSPMOVE_CAPACITY_SEARCH: '0' });
      if (n.code !== 0) throw new Error(`cspmove plan exited ${n.code}: ${n.stderr}`);
      noSearchRuns.push({ ms: n.wallMs, rss: n.maxRssBytes });
      log(`P6 cspmove plan ${rows(big.rows)} without the capacity search: ${s(n.wallMs)}, ${mb(n.maxRssBytes ?? 0)}`);
    }
    const baselineMs = Math.min(...baselineRuns.map((r) => r.ms));
    const planMs = Math.min(...planRuns.map((r) => r.ms));
    const p1 = planMs / baselineMs;
    figures.push({
      id: 'P1',
      measure: `offline plan of ${rows(big.rows)} rows (cspmove plan) ÷ bare papaparse header-mode parse, wall time`,
      value: p1,
      unit: '×',
      target: `≤ ${TARGETS.p1Ratio}×`,
      met: p1 <= TARGETS.p1Ratio,
      baseline: `plan ${s(planMs)} vs parse ${s(baselineMs)} (best of ${reps}, separate processes)`,
    });
    const noSearchMs = Math.min(...noSearchRuns.map((r) => r.ms));
    const p6 = planMs / noSearchMs;
    figures.push({
      id: 'P6',
      measure: `offline plan of ${rows(big.rows)} rows (cspmove plan) with the capacity search ÷ without it (CSPMOVE_CAPACITY_SEARCH=0), wall time`,
      value: p6,
      unit: '×',
      target: `≤ ${TARGETS.p6Ratio}×`,
      met: p6 <= TARGETS.p6Ratio,
      baseline: `with ${s(planMs)} vs without ${s(noSearchMs)} (best of ${reps}, separate processes, interleaved); peak RSS ${mb(
        Math.max(...planRuns.map((r) => r.rss ?? 0)),
      )} vs ${mb(Math.max(...noSearchRuns.map((r) => r.rss ?? 0)))}`,
    });
    details.P6 = {
      planMs: planRuns.map((r) => r.ms),
      noSearchMs: noSearchRuns.map((r) => r.ms),
      noSearchRssBytes: noSearchRuns.map((r) => r.rss),
    };
    details.P1 = {
      planMs: planRuns.map((r) => r.ms),
      baselineMs: baselineRuns.map((r) => r.ms),
      baselineRssBytes: baselineRuns.map((r) => r.rss),
    };

    const smallRun = await planCli(small, join(dataDir, 'out-small'));
    if (smallRun.code !== 0) throw new Error(`cspmove plan exited ${smallRun.code}: ${smallRun.stderr}`);
    log(`P2 cspmove plan ${rows(small.rows)}: ${s(smallRun.wallMs)}, ${mb(smallRun.maxRssBytes ?? 0)}`);
    const rssBig = Math.max(...planRuns.map((r) => r.rss ?? NaN));
    const rssSmall = smallRun.maxRssBytes ?? NaN;
    const growth = (rssBig - rssSmall) / (big.rows - small.rows);
    const rssSource = GNU_TIME ? `${GNU_TIME} (Maximum resident set size)` : 'process.resourceUsage().maxRSS at exit';
    figures.push({
      id: 'P2a',
      measure: `peak RSS of cspmove plan at ${rows(big.rows)} rows`,
      value: rssBig / MB,
      unit: 'MB',
      target: `≤ ${TARGETS.p2RssBytes / MB} MB`,
      met: rssBig <= TARGETS.p2RssBytes,
      baseline: `${rows(small.rows)} rows: ${mb(rssSmall)}; papaparse parse of ${rows(big.rows)}: ${mb(Math.max(...baselineRuns.map((r) => r.rss ?? 0)))}`,
    });
    figures.push({
      id: 'P2b',
      measure: `RSS growth per row, (RSS ${rows(big.rows)} − RSS ${rows(small.rows)}) ÷ ${rows(big.rows - small.rows)}`,
      value: growth,
      unit: 'B/row',
      target: `≤ ${TARGETS.p2GrowthBytesPerRow} B/row`,
      met: growth <= TARGETS.p2GrowthBytesPerRow,
      baseline: `separate processes; RSS from ${rssSource}`,
    });
    details.P2 = { rssBigBytes: rssBig, rssSmallBytes: rssSmall, smallPlanMs: smallRun.wallMs, source: rssSource };
  }

  // --- where the offline plan's time goes (informational) --------------------------------------
  if (wanted('P1')) {
    if (stagesOn) {
      const out = join(dataDir, 'out-stages');
      const parse = await runWorker<{ ms: number; maxRssMB: number }>('stages.ts', ['parse', big.path, String(big.capacity), out]);
      const validate = await runWorker<{ ms: number; maxRssMB: number }>('stages.ts', ['validate', big.path, String(big.capacity), out]);
      const pipeline = await runWorker<{
        ms: Record<string, number>;
        mem: Record<string, { rssMB: number; heapUsedMB: number; arrayBuffersMB: number }>;
        maxRssMB: number;
      }>('stages.ts', ['pipeline', big.path, String(big.capacity), out]);
      details.stages = { parse, validate, pipeline };
      log(
        `stages: parse ${s(parse.ms)} · parse+validate ${s(validate.ms)} · ${Object.entries(pipeline.ms)
          .map(([k, v]) => `${k} ${s(v)}`)
          .join(' · ')}`,
      );
    }
  }

  // --- P3 -------------------------------------------------------------------------------------
  if (wanted('P3')) {
    type Phases = {
      untilFirstWriteMs: number;
      writesMs: number;
      afterWritesMs: number;
      afterWrites: { queryMs: number; s3Ms: number; sesMs: number };
    };
    type IngestResult = {
      items: number;
      ms: number;
      itemsPerSecond: number;
      sample?: number;
      storedBefore?: number;
      planMs?: number;
      putObjectMs?: number;
      phases?: Phases;
    };
    const p3Args = [small.path, String(small.capacity), String(SIZES.sequentialSample)];
    const pipe = await runWorker<IngestResult>('aws-ingest.ts', ['pipeline', ...p3Args]);
    const ph = pipe.phases;
    const phaseText = ph
      ? `until the first write ${s(ph.untilFirstWriteMs)} · writes ${s(ph.writesMs)} · after the writes ${s(ph.afterWritesMs)} (Query ${s(ph.afterWrites.queryMs)}, S3 ${s(ph.afterWrites.s3Ms)}, SES ${s(ph.afterWrites.sesMs)})`
      : '';
    log(
      `P3 pipeline ${rows(small.rows)} rows → ${pipe.items} items in ${s(pipe.ms)} (${fmt(pipe.itemsPerSecond, 0)} items/s): ${phaseText}`,
    );
    const seq = await runWorker<IngestResult>('aws-ingest.ts', ['sequential', ...p3Args]);
    log(
      `P3 sequential PutItem: ${seq.sample} items in ${s(seq.ms)} with ${seq.storedBefore} stored (${fmt(seq.itemsPerSecond, 0)} items/s)`,
    );
    const raw = await runWorker<IngestResult>('aws-ingest.ts', ['batch', ...p3Args]);
    log(`P3 raw BatchWriteItem: ${raw.items} items in ${s(raw.ms)} (${fmt(raw.itemsPerSecond, 0)} items/s)`);
    if (seq.items !== pipe.items || raw.items !== pipe.items)
      log(`P3 warning: baselines wrote ${seq.items}/${raw.items} items, the pipeline ${pipe.items}`);
    const vsSeq = pipe.itemsPerSecond / seq.itemsPerSecond;
    const vsRaw = pipe.itemsPerSecond / raw.itemsPerSecond;
    figures.push({
      id: 'P3a',
      measure: `local AWS ingest of ${rows(small.rows)} rows (PutObject → settled) vs sequential PutItem, items/s`,
      value: vsSeq,
      unit: '×',
      target: `≥ ${TARGETS.p3VsSequential}×`,
      met: vsSeq >= TARGETS.p3VsSequential,
      baseline: `pipeline ${fmt(pipe.itemsPerSecond, 0)} items/s (${pipe.items} items in ${s(pipe.ms)}); sequential ${fmt(seq.itemsPerSecond, 0)} items/s, measured on ${seq.sample} items at mid-table (${seq.storedBefore} stored) and extrapolated`,
    });
    figures.push({
      id: 'P3b',
      measure: `local AWS ingest of ${rows(small.rows)} rows vs raw BatchWriteItem (25/request, 8 in flight), items/s`,
      value: vsRaw * 100,
      unit: '%',
      target: `≥ ${TARGETS.p3VsRaw * 100}%`,
      met: vsRaw >= TARGETS.p3VsRaw,
      baseline: `raw ${fmt(raw.itemsPerSecond, 0)} items/s (${raw.items} items in ${s(raw.ms)}); pipeline: ${phaseText}`,
    });
    details.P3 = { pipeline: pipe, sequential: seq, raw };
  }

  // --- P4 -------------------------------------------------------------------------------------
  if (wanted('P4')) {
    type RemindResult = { stored: number; due: number; ms: number; queryMs: number; seedMs: number; seedItemsPerSecond: number };
    const remind = async (n: number) => {
      const r = await runWorker<RemindResult>('reminders.ts', [String(n), String(SIZES.due), String(SIZES.partners)]);
      log(
        `P4 ${rows(n)} stored, ${r.due} due: daily run ${s(r.ms)} (due query ${s(r.queryMs)}; seeded at ${fmt(r.seedItemsPerSecond, 0)} items/s)`,
      );
      return r;
    };
    const r1 = await remind(SIZES.storedSmall);
    const r2 = await remind(SIZES.storedLarge);
    const p4 = r2.ms / r1.ms;
    figures.push({
      id: 'P4',
      measure: `daily reminder run, ${SIZES.due} due over ${SIZES.partners} partners: ${rows(SIZES.storedLarge)} ÷ ${rows(SIZES.storedSmall)} stored plans`,
      value: p4,
      unit: '×',
      target: `≤ ${TARGETS.p4Ratio}×`,
      met: p4 <= TARGETS.p4Ratio,
      baseline: `${s(r2.ms)} vs ${s(r1.ms)}`,
    });
    details.P4 = { small: r1, large: r2 };
  }

  // --- D1: the upload's writes on real DynamoDB, modelled (bench/dynamodb-model.ts) --------------
  if (wanted('D1')) {
    type WriteModel = import('./dynamodb-model.js').WriteModel & { rows: number };
    const d1 = await runWorker<WriteModel>('dynamodb-model.ts', [big.path, String(big.capacity)]);
    const hottest = d1.busiest[0];
    log(
      `D1 ${rows(d1.rows)} rows: ${fmt(d1.items, 0)} items, ${fmt(d1.writeUnits, 0)} write units; busiest ${hottest?.partition} ${fmt(hottest?.writeUnits ?? 0, 0)}`,
    );
    figures.push({
      id: 'D1',
      measure: `least time DynamoDB can take to store a ${rows(d1.rows)}-row upload: busiest partition ÷ 1,000 WCU/s, or the table's or an index's writes ÷ 4,000 WCU/s (modelled)`,
      value: d1.minSeconds,
      unit: 's',
      target: `≤ ${TARGETS.d1UploadSeconds} s`,
      met: d1.minSeconds <= TARGETS.d1UploadSeconds,
      baseline: `${fmt(d1.writeUnits, 0)} write units for ${fmt(d1.items, 0)} items (${Object.entries(d1.byTable)
        .map(([name, units]) => `${name} ${fmt(units, 0)}`)
        .join(', ')}); busiest partitions ${d1.busiest
        .slice(0, 2)
        .map((b) => `${b.partition} ${fmt(b.writeUnits, 0)}`)
        .join(', ')}`,
    });
    details.D1 = d1;
  }

  // --- D2: a daily re-plan on real DynamoDB, modelled: 1 % of the subscriptions provisioned ----
  if (wanted('D2')) {
    type ReplanModel = {
      day: {
        from: string;
        days: string[];
        changedSubscriptions: number;
        written: number;
        writtenShare: number;
        writes: import('./dynamodb-model.js').WriteModel;
      };
      rows: number;
      subscriptions: number;
      changedSubscriptions: number;
      items: number;
      written: number;
      writtenShare: number;
      reads: import('./dynamodb-model.js').ReadModel;
      writes: import('./dynamodb-model.js').WriteModel;
      planMs: number;
    };
    const d2 = await runWorker<ReplanModel>('replan-model.ts', [big.path, String(big.capacity)]);
    log(
      `D2 ${rows(d2.rows)} rows: ${fmt(d2.day.written, 0)} of ${fmt(d2.items, 0)} items written after a day of moves, ` +
        `${fmt(d2.written, 0)} in the stress case; ${fmt(d2.reads.readUnits, 0)} read units`,
    );
    figures.push({
      id: 'D2 writes',
      measure:
        `share of a ${rows(d2.rows)}-row partner's items a daily re-plan writes after 1 % of its subscriptions were provisioned ` +
        'on their planned days (every customer accepted, the plan under way)',
      value: d2.day.writtenShare * 100,
      unit: '%',
      target: `≤ ${TARGETS.d2WrittenShare * 100} %`,
      met: d2.day.writtenShare <= TARGETS.d2WrittenShare,
      baseline: `${fmt(d2.day.written, 0)} of ${fmt(d2.items, 0)} items for the ${fmt(d2.day.changedSubscriptions, 0)} moves of ${d2.day.days.join(', ')}; writes ${s(d2.day.writes.minSeconds * 1000)} modelled`,
    });
    figures.push({
      id: 'D2 writes, stress case',
      measure: `the same when the 1 % provisioned are every hundredth subscription, across the whole plan, on the upload day`,
      value: d2.writtenShare * 100,
      unit: '%',
      target: `≤ ${TARGETS.d2WrittenShare * 100} %`,
      met: d2.writtenShare <= TARGETS.d2WrittenShare,
      baseline: `${fmt(d2.written, 0)} of ${fmt(d2.items, 0)} items for ${fmt(d2.changedSubscriptions, 0)} subscriptions provisioned; writes ${s(d2.writes.minSeconds * 1000)} modelled`,
    });
    figures.push({
      id: 'D2 reads',
      measure: `least time DynamoDB can take to read the whole plan for that re-plan: busiest partition ÷ 3,000 RCU/s, or all ÷ 12,000 RCU/s (modelled)`,
      value: d2.reads.minSeconds,
      unit: 's',
      target: `≤ ${TARGETS.d2ReadSeconds} s`,
      met: d2.reads.minSeconds <= TARGETS.d2ReadSeconds,
      baseline: `${fmt(d2.reads.readUnits, 0)} read units (eventually consistent) over ${d2.reads.busiest.length}+ partitions; planning took ${s(d2.planMs)}`,
    });
    details.D2 = d2;
  }

  // --- P7: the console's plan page on a 1M-row plan (shared/storage/plan-view/) ---------------
  if (wanted('P7')) {
    type Prepared = { rows: number; customers: number; bytes: number; otherBytes: number; encodeMs: number; otherEncodeMs: number };
    type Page = { ms: number; total: number; rows: number; json: number };
    type ViewRun = {
      bytes: number;
      gzip: boolean;
      rows: number;
      putMs: number;
      getMs: number[];
      cold: Page & { loadMs: number };
      warm: Page[];
      glance: { ms: number; warmMs: number };
      customer: { ms: number };
      breakdown: { gunzipMs: number; decodeMs: number };
      memory: { rssBytes: number };
    };
    const snapshot = join(dataDir, 'plan-view.bin');
    const prepared = await runWorker<Prepared>('plan-view.ts', ['prepare', big.path, String(big.capacity), snapshot]);
    log(
      `P7 snapshot of ${rows(prepared.rows)} rows: ${mb(prepared.bytes)} in ${s(prepared.encodeMs)} (the other encoding ${mb(prepared.otherBytes)} in ${s(prepared.otherEncodeMs)})`,
    );
    // Each run a fresh process and a fresh local AWS: its first load is a cold container's.
    const runs: ViewRun[] = [];
    const others: ViewRun[] = [];
    for (let r = 0; r < SIZES.viewRuns; r++) {
      runs.push(await runWorker<ViewRun>('plan-view.ts', ['measure', snapshot]));
      others.push(await runWorker<ViewRun>('plan-view.ts', ['measure', `${snapshot}.other`]));
      const [v, o] = [runs.at(-1)!, others.at(-1)!];
      log(
        `P7 run ${r + 1}: GetObject ${s(Math.min(...v.getMs))}, cold first page ${s(v.cold.ms)}, warm filtered page ${s(v.warm[0]!.ms)} then ${s(Math.min(...v.warm.slice(1).map((w) => w.ms)))}; ` +
          `${o.gzip ? 'gzipped' : 'not gzipped'}: GetObject ${s(Math.min(...o.getMs))}, cold ${s(o.cold.ms)}`,
      );
    }
    const median3 = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const getMs = median3(runs.map((r) => Math.min(...r.getMs)));
    const coldMs = median3(runs.map((r) => r.cold.ms));
    const warmFirstMs = median3(runs.map((r) => r.warm[0]!.ms));
    const warmMs = median3(runs.map((r) => Math.min(...r.warm.slice(1).map((w) => w.ms))));
    const otherColdMs = median3(others.map((r) => r.cold.ms));
    const run0 = runs[0]!;
    figures.push({
      id: 'P7 cold',
      measure: `console plan page, ${rows(prepared.rows)} rows: first page in a fresh process (GetObject of the snapshot, decode, default sort, page), wall time`,
      value: coldMs,
      unit: 'ms',
      target: `≤ ${TARGETS.p7FirstPageMs} ms`,
      met: coldMs <= TARGETS.p7FirstPageMs,
      baseline: `median of ${SIZES.viewRuns} processes; snapshot ${mb(prepared.bytes)} (${fmt(prepared.bytes / prepared.rows, 0)} B/row), GetObject of it alone ${s(getMs)}; ${others[0]!.gzip ? 'gzipped' : 'not gzipped'} (${mb(prepared.otherBytes)}) ${s(otherColdMs)}`,
    });
    figures.push({
      id: 'P7 cold ÷ GetObject',
      measure: 'the same first page ÷ a GetObject of the same bytes read to the end, same process',
      value: coldMs / getMs,
      unit: '×',
      target: `≤ ${TARGETS.p7ColdVsGet}×`,
      met: coldMs / getMs <= TARGETS.p7ColdVsGet,
      baseline: `${s(coldMs)} vs ${s(getMs)} (best of 3 GetObjects per process, median over processes)`,
    });
    figures.push({
      id: 'P7 warm',
      measure: `a filtered, text-searched, sorted page (${Object.entries(FILTERED_VIEW_QUERY)
        .map(([k, v]) => `${k}=${v}`)
        .join('&')}) in a warm process: load (ETag revalidated, 304) and page, its first time (its order and search computed)`,
      value: warmFirstMs,
      unit: 'ms',
      target: `≤ ${TARGETS.p7WarmVsGet}× GetObject (${s(getMs)})`,
      met: warmFirstMs <= TARGETS.p7WarmVsGet * getMs,
      baseline: `again (kept): ${s(warmMs)}; ${fmt(run0.warm[0]!.total, 0)} rows match`,
    });
    const largest = Math.max(...runs.flatMap((r) => [r.cold.rows, ...r.warm.map((w) => w.rows)]));
    figures.push({
      id: 'P7 page',
      measure: 'rows the browser gets in one answer (never the whole plan)',
      value: largest,
      unit: 'rows',
      target: `≤ ${TARGETS.p7PageRows} rows`,
      met: largest <= TARGETS.p7PageRows,
      baseline: `a 200-row page is ${fmt(run0.warm[0]!.json / 1024, 0)} KB of JSON; the snapshot ${mb(prepared.bytes)}`,
    });
    details.P7 = { prepared, runs, others };
  }

  // --- P8: what a user waits for in the browser (Chromium, the local stack's console) ----------
  if (wanted('P8')) {
    type Runs = {
      snapshotBytes: number;
      items: number;
      chromium: string;
      errors: string[];
      staticBytes: number;
      runs: {
        staticCold: Load[];
        staticWarm: Load[];
        emptyHomeCold: Load[];
        emptyHomeWarm: Load[];
        homeCold: Load[];
        homeWarm: Load[];
        planWarm: Load[];
        planReplanned: Load[];
        planBrowserCold: Load[];
        apiWarm: ApiCall[];
        apiReplanned: ApiCall[];
      };
    };
    // The console's web app, built from the sources as they are (npm run build's second half).
    execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: REPO_DIR, stdio: ['ignore', 2, 2] });
    const snapshot = join(dataDir, 'browser-view.bin');
    const prepared = await runWorker<{ rows: number; bytes: number; firstPageRows: number; items: number }>('browser-pages.ts', [
      'prepare',
      big.path,
      String(big.capacity),
      snapshot,
    ]);
    log(`P8 snapshot of ${rows(prepared.rows)} rows (${mb(prepared.bytes)}), ${prepared.items} stored items for the first page's rows`);
    const b = await runWorker<Runs>('browser-pages.ts', ['measure', snapshot, String(SIZES.browserRuns)]);
    if (b.errors.length) log(`P8 page errors: ${b.errors.join('; ')}`);
    const r = b.runs;
    const shown = (loads: Load[]) => median(loads.map((l) => l.shownMs));
    const callMs = (calls: ApiCall[]) => median(calls.map((c) => c.ms));
    const range = (loads: Load[]) =>
      `${fmt(Math.min(...loads.map((l) => l.shownMs)), 0)}–${fmt(Math.max(...loads.map((l) => l.shownMs)), 0)} ms`;
    const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;
    const m = {
      staticCold: shown(r.staticCold),
      staticWarm: shown(r.staticWarm),
      homeCold: shown(r.homeCold),
      homeWarm: shown(r.homeWarm),
      emptyCold: shown(r.emptyHomeCold),
      emptyWarm: shown(r.emptyHomeWarm),
      planWarm: shown(r.planWarm),
      planReplanned: shown(r.planReplanned),
      planBrowserCold: shown(r.planBrowserCold),
      apiWarm: callMs(r.apiWarm),
      apiReplanned: callMs(r.apiReplanned),
    };
    log(
      `P8 medians of ${SIZES.browserRuns}: static ${fmt(m.staticCold, 0)}/${fmt(m.staticWarm, 0)} ms, Home ${fmt(m.homeCold, 0)}/${fmt(m.homeWarm, 0)} ms, ` +
        `no-plan Home ${fmt(m.emptyCold, 0)}/${fmt(m.emptyWarm, 0)} ms (cold/warm cache); plan ${fmt(m.planWarm, 0)} ms, after a re-plan ${fmt(m.planReplanned, 0)} ms, ` +
        `cold cache ${fmt(m.planBrowserCold, 0)} ms; API alone ${fmt(m.apiWarm, 0)} ms, after a re-plan ${fmt(m.apiReplanned, 0)} ms`,
    );
    // What the Home load transferred from the local console server (which does not compress), and
    // the same files gzipped, as CloudFront would send them.
    const assets = join(REPO_DIR, 'dist', 'web', 'assets');
    const gz: Record<'js' | 'css', number> = { js: 0, css: 0 };
    for (const file of await readdir(assets)) {
      const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : undefined;
      if (kind) gz[kind] += gzipSync(await readFile(join(assets, file)), { level: 9 }).length;
    }
    const coldBytes = Math.max(...r.homeCold.map((l) => l.transfer.js + l.transfer.css));
    const warmBytes = Math.max(...r.homeWarm.map((l) => l.transfer.js + l.transfer.css));
    const home0 = r.homeCold[0]!.transfer;
    const planLoads = [...r.planWarm, ...r.planReplanned, ...r.planBrowserCold];
    const planCalls = planLoads.flatMap((l) => l.transfer.apiCalls.filter((c) => c.path.startsWith('/api/plan')));
    const planBytes = Math.max(...planCalls.map((c) => c.bytes));
    const rowsShown = Math.max(...planLoads.map((l) => l.count));
    const callsPerLoad = Math.max(...planLoads.map((l) => l.transfer.apiCalls.filter((c) => c.path.startsWith('/api/plan')).length));
    const allApiBytes = Math.max(...planLoads.map((l) => l.transfer.api));
    // Where a /plan load's time goes: until its GET /api/plan starts (document, script, config,
    // the stored sign-in), the request, and from its answer to the rows shown (render).
    const phases = (loads: Load[]) => {
      const calls = loads.map((l) => l.transfer.apiCalls.find((c) => c.path.startsWith('/api/plan'))!);
      return `request sent at ${fmt(median(calls.map((c) => c.startMs)), 0)} ms, answered at ${fmt(median(calls.map((c) => c.endMs)), 0)} ms, rows shown at ${fmt(shown(loads), 0)} ms`;
    };
    const homeDetail = `median of ${SIZES.browserRuns}; signed in, navigation start → the 6 tiles in the page (the next animation frame)`;
    figures.push(
      {
        id: 'P8 home cold',
        measure: `console Home in Chromium, ${rows(prepared.rows)}-row partner, HTTP cache cleared: navigation start → the tiles shown`,
        value: m.homeCold,
        unit: 'ms',
        target: `≤ ${TARGETS.p8PageMs} ms`,
        met: m.homeCold <= TARGETS.p8PageMs,
        baseline: `${homeDetail} (${range(r.homeCold)}); a partner with no plan → "No plan yet" ${fmt(m.emptyCold, 0)} ms`,
      },
      {
        id: 'P8 home warm',
        measure: 'the same Home again, its script and stylesheet in the cache',
        value: m.homeWarm,
        unit: 'ms',
        target: `≤ ${TARGETS.p8PageMs} ms`,
        met: m.homeWarm <= TARGETS.p8PageMs,
        baseline: `${homeDetail} (${range(r.homeWarm)}); a partner with no plan ${fmt(m.emptyWarm, 0)} ms`,
      },
      {
        id: 'P8 home cold ÷ static',
        measure: 'Home (cold cache) ÷ the same Home saved as a static page of the console server (no script, same stylesheet, cold cache)',
        value: m.homeCold / m.staticCold,
        unit: '×',
        target: `≤ ${TARGETS.p8HomeVsStatic}×`,
        met: m.homeCold / m.staticCold <= TARGETS.p8HomeVsStatic,
        baseline: `${fmt(m.homeCold, 0)} ms vs static ${fmt(m.staticCold, 0)} ms (${range(r.staticCold)}; ${kb(b.staticBytes)} of HTML)`,
      },
      {
        id: 'P8 home warm ÷ static',
        measure: 'Home (warm cache) ÷ the static page (warm cache)',
        value: m.homeWarm / m.staticWarm,
        unit: '×',
        target: `≤ ${TARGETS.p8HomeVsStatic}×`,
        met: m.homeWarm / m.staticWarm <= TARGETS.p8HomeVsStatic,
        baseline: `${fmt(m.homeWarm, 0)} ms vs static ${fmt(m.staticWarm, 0)} ms (${range(r.staticWarm)})`,
      },
      {
        id: 'P8 home JS+CSS',
        measure: 'JavaScript and CSS a cold Home load transferred (Resource Timing transferSize; the local server does not compress)',
        value: coldBytes / 1024,
        unit: 'KB',
        target: `JS gzipped ≤ ${TARGETS.p8JsGzipBytes / 1024} KB (WEB_JS_BUDGET)`,
        met: gz.js <= TARGETS.p8JsGzipBytes,
        baseline: `gzipped, as CloudFront sends them: JS ${kb(gz.js)}, CSS ${kb(gz.css)}; as sent here: JS ${kb(home0.js)}, CSS ${kb(home0.css)}; warm cache: ${kb(warmBytes)}; the document ${kb(home0.document)}, the API's answers ${kb(home0.api)}`,
      },
      {
        id: 'P8 plan',
        measure: `/plan in Chromium, ${rows(prepared.rows)}-row partner, the API's view warm, script cached: navigation start → the first rows shown`,
        value: m.planWarm,
        unit: 'ms',
        target: `≤ ${TARGETS.p8PageMs} ms`,
        met: m.planWarm <= TARGETS.p8PageMs,
        baseline: `median of ${SIZES.browserRuns} (${range(r.planWarm)}): ${phases(r.planWarm)}; ${rowsShown} rows; cold HTTP cache ${fmt(m.planBrowserCold, 0)} ms (${range(r.planBrowserCold)})`,
      },
      {
        id: 'P8 plan after a re-plan',
        measure: `the same just after a re-plan (a new snapshot: the API gets and decodes the ${rows(prepared.rows)} rows again)`,
        value: m.planReplanned,
        unit: 'ms',
        target: `≤ ${TARGETS.p8PageMs} ms`,
        met: m.planReplanned <= TARGETS.p8PageMs,
        baseline: `median of ${SIZES.browserRuns} (${range(r.planReplanned)}): ${phases(r.planReplanned)}; snapshot ${mb(b.snapshotBytes)}`,
      },
      {
        id: 'P8 plan ÷ API',
        measure: "/plan (view warm) ÷ the page's GET /api/plan alone, fetched from the same page and read to the end",
        value: m.planWarm / m.apiWarm,
        unit: '×',
        target: `≤ ${TARGETS.p8PlanVsApi}×`,
        met: m.planWarm / m.apiWarm <= TARGETS.p8PlanVsApi,
        baseline: `${fmt(m.planWarm, 0)} ms vs API ${fmt(m.apiWarm, 0)} ms (${fmt(Math.min(...r.apiWarm.map((c) => c.ms)), 0)}–${fmt(Math.max(...r.apiWarm.map((c) => c.ms)), 0)} ms)`,
      },
      {
        id: 'P8 plan after a re-plan ÷ API',
        measure: 'the same after a re-plan ÷ the API call alone after a re-plan',
        value: m.planReplanned / m.apiReplanned,
        unit: '×',
        target: `≤ ${TARGETS.p8ReplannedVsApi}×`,
        met: m.planReplanned / m.apiReplanned <= TARGETS.p8ReplannedVsApi,
        baseline: `${fmt(m.planReplanned, 0)} ms vs API ${fmt(m.apiReplanned, 0)} ms (${fmt(Math.min(...r.apiReplanned.map((c) => c.ms)), 0)}–${fmt(Math.max(...r.apiReplanned.map((c) => c.ms)), 0)} ms)`,
      },
      {
        id: 'P8 plan bytes',
        measure:
          'bytes the browser received for the plan in one /plan load (the GET /api/plan answer, headers and body): one page, not the plan',
        value: planBytes / 1024,
        unit: 'KB',
        target: `≤ ${TARGETS.p8PlanBytes / 1024} KB and ≤ ${TARGETS.p8PageRows} rows`,
        met: planBytes <= TARGETS.p8PlanBytes && rowsShown <= TARGETS.p8PageRows && callsPerLoad === 1,
        baseline: `${rowsShown} rows, ${callsPerLoad} plan request a load; every API answer of a load ${kb(allApiBytes)}; the plan's snapshot ${mb(b.snapshotBytes)} (${fmt(b.snapshotBytes / planBytes, 0)}× the page)`,
      },
    );
    details.P8 = { prepared, ...b, gzipped: gz, medians: m };
  }

  // --- P5 -------------------------------------------------------------------------------------
  if (wanted('P5')) {
    const bundles: Bundle[] = await buildBundles(join(buildDir, 'bundles'));
    const imports = await importTimes(bundles, join(buildDir, 'empty.mjs'), SIZES.importRuns);
    for (const b of bundles) {
      figures.push({
        id: `P5 size ${b.name}`,
        measure: `Lambda bundle ${b.name} (esbuild ESM, minified, @aws-sdk external)`,
        value: b.bytes / MB,
        unit: 'MB',
        target: `≤ ${TARGETS.p5BundleBytes / MB} MB`,
        met: b.bytes <= TARGETS.p5BundleBytes,
        baseline: `biggest inputs: ${b.topInputs
          .slice(0, 3)
          .map((i) => `${i.path.replace(/^node_modules\//, '')} ${fmt(i.bytes / 1024, 0)} KB`)
          .join(', ')}`,
      });
    }
    for (const t of imports.times) {
      figures.push({
        id: `P5 import ${t.name}`,
        measure: `cold import of the ${t.name} bundle in a fresh node`,
        value: t.ms,
        unit: 'ms',
        target: `≤ ${TARGETS.p5ImportMs} ms`,
        met: t.ms <= TARGETS.p5ImportMs,
        baseline: `median of ${SIZES.importRuns} (runs ${fmt(Math.min(...t.runsMs), 0)}–${fmt(Math.max(...t.runsMs), 0)} ms) minus empty-module import ${fmt(imports.baselineMs, 0)} ms`,
      });
    }
    details.P5 = { bundles: bundles.map((b) => ({ ...b, file: relative(REPO_DIR, b.file) })), imports };
    log(
      `P5 ${bundles.map((b) => `${b.name} ${mb(b.bytes)}`).join(', ')}; imports ${imports.times.map((t) => `${fmt(t.ms, 0)} ms`).join(', ')}`,
    );
  }
} finally {
  if (!args.includes('--keep')) await rm(dataDir, { recursive: true, force: true });
  else log(`kept ${dataDir}`);
}

// --- report -----------------------------------------------------------------------------------
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim(),
  memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  /** 1-minute load average at the start and the end: other work on the machine skews timings. */
  loadAverage: [Math.round(loadAtStart * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
};
const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
    : `node --expose-gc --import tsx bench/run.ts ${args.join(' ')}`.trim();

const git = gitState();
if (JSON.stringify(git) !== JSON.stringify(gitAtStart))
  log(`warning: the code changed during the run (${JSON.stringify(gitAtStart)} → ${JSON.stringify(git)})`);
const valueText = (f: Figure) =>
  `${fmt(f.value, f.unit === 'ms' || f.unit === 'B/row' || f.unit === '%' ? 0 : 2)}${f.unit === '×' || f.unit === '%' ? f.unit : ` ${f.unit}`}`;
const table = [
  ['#', 'value', 'target', 'met', 'measure', 'baseline / detail'],
  ...figures.map((f) => [f.id, valueText(f), f.target, f.met ? 'yes' : 'NO', f.measure, f.baseline]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
const line = (r: string[]) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ');
const totalMs = performance.now() - started;
process.stdout.write(
  `\nCSP Move Planner benchmarks (${quick ? 'quick: sizes ÷ 10' : 'full'}), ${machine.cpus} CPUs ${machine.cpuModel ?? ''}, ${machine.memoryGB} GB, Node ${machine.node}; ${s(totalMs)}\n\n` +
    `${line(table[0]!)}\n${table.slice(1).map(line).join('\n')}\n\n`,
);

const result = {
  bench: 'csp-move-planner',
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  command,
  machine,
  git: { ...git, changedDuringRun: JSON.stringify(git) !== JSON.stringify(gitAtStart) },
  durationSeconds: Math.round(totalMs / 100) / 10,
  allMet: figures.every((f) => f.met),
  figures: figures.map((f) => ({
    id: f.id,
    value: Math.round(f.value * 1000) / 1000,
    unit: f.unit,
    target: f.target,
    met: f.met,
    measure: f.measure,
    baseline: f.baseline,
  })),
  details,
};
await mkdir(join(BENCH_DIR, 'results'), { recursive: true });
// A run of chosen cases keeps its own file: the full and quick results stay whole.
if (only) await writeFile(join(BENCH_DIR, 'results', `only-${only.join('-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
else {
  await writeFile(join(BENCH_DIR, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(BENCH_DIR, 'results', `${result.mode}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
const { details: _details, ...summary } = result;
process.stdout.write(`${JSON.stringify(summary)}\n`);
if (args.includes('--check') && !result.allMet) process.exitCode = 1;
