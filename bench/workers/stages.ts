/**
 * Where the offline plan's time and memory go, stage by stage (informational, for P1/P2):
 *
 *   parse     papaparse (header: false, chunk callback) over the file: the floor ingest builds on
 *   validate  parse + header mapping + row validation as ingest does it (RowValidator: the zod
 *             schemas with each column's results remembered), nothing kept
 *   pipeline  what `cspmove plan` does, timed per stage in one process: ingest (decode + parse +
 *             validate + build the portfolio + finish), plan, write plan.csv, write errors.csv,
 *             build and render report.html; with RSS and heap after each stage
 *
 *   node --import tsx --expose-gc bench/workers/stages.ts parse|validate|pipeline FILE CAPACITY OUTDIR
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import Papa from 'papaparse';
import { mapHeaders } from '../../shared/csv/header-aliases.js';
import { ingest } from '../../shared/csv/ingest.js';
import { RowValidator } from '../../shared/csv/row-validator.js';
import { writeErrorsCsv, writePlanCsv } from '../../shared/csv/writers.js';
import type { ColumnName } from '../../shared/domain/columns.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { plan } from '../../shared/domain/planner/plan.js';
import { subscriptionRowSchema } from '../../shared/domain/subscription-row.js';
import { renderReportHtml } from '../../shared/report/html.js';
import { type PlannedRun, planReport } from '../../shared/use-cases/plan-file.js';
import { emit } from '../util.js';

const [stage, file, capacity, outDir] = process.argv.slice(2) as [string, string, string, string];
const settings = parseSettings({ daily_capacity: Number(capacity) });
const today = isoToDay('2026-12-01');

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return {
    rssMB: m.rss / 2 ** 20,
    heapUsedMB: m.heapUsed / 2 ** 20,
    externalMB: m.external / 2 ** 20,
    arrayBuffersMB: m.arrayBuffers / 2 ** 20,
  };
}

function parseChunks(onRows: (rows: string[][]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(createReadStream(file, 'utf8') as NodeJS.ReadableStream, {
      header: false,
      chunk: (r) => onRows(r.data),
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
}

if (stage === 'parse') {
  let rows = 0;
  const t0 = performance.now();
  await parseChunks((data) => (rows += data.length));
  emit({ stage, rows, ms: performance.now() - t0, maxRssMB: process.resourceUsage().maxRSS / 1024 });
} else if (stage === 'validate') {
  let rows = 0;
  let invalid = 0;
  let validator: RowValidator | undefined;
  const t0 = performance.now();
  await parseChunks((data) => {
    for (const record of data) {
      if (!validator) {
        validator = new RowValidator(subscriptionRowSchema(false), Object.entries(mapHeaders(record).index) as [ColumnName, number][]);
        continue;
      }
      rows++;
      if (!validator.validate(record).ok) invalid++;
    }
  });
  emit({ stage, rows, invalid, ms: performance.now() - t0, maxRssMB: process.resourceUsage().maxRSS / 1024 });
} else if (stage === 'pipeline') {
  await mkdir(outDir, { recursive: true });
  const ms: Record<string, number> = {};
  const mem: Record<string, ReturnType<typeof memory>> = { start: memory() };
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = now - t;
    mem[name] = memory();
    t = performance.now(); // the forced GC is not part of the next stage
  };
  const ingested = await ingest(createReadStream(file), { settings, today });
  lap('ingest');
  const result = plan(ingested.portfolio, { today, settings });
  lap('plan');
  const run: PlannedRun = {
    fileName: 'bench.csv',
    settings,
    dateFormatSetting: settings.date_format,
    ingest: ingested,
    portfolio: ingested.portfolio,
    plan: result,
  };
  const planOut = createWriteStream(join(outDir, 'plan.csv'));
  await writePlanCsv(planOut, run.portfolio, run.plan, settings.country);
  await finished(planOut.end());
  lap('writePlanCsv');
  const errorsOut = createWriteStream(join(outDir, 'errors.csv'));
  await writeErrorsCsv(errorsOut, run.portfolio.problems);
  await finished(errorsOut.end());
  lap('writeErrorsCsv');
  const html = renderReportHtml(planReport(run, new Date('2026-12-01T09:00:00Z')));
  lap('report');
  emit({
    stage,
    rows: run.portfolio.stats.dataRows,
    kept: run.portfolio.stats.keptRows,
    problems: run.portfolio.problems.length,
    reportBytes: html.length,
    ms,
    mem,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  });
} else {
  throw new Error(`unknown stage ${stage}`);
}
