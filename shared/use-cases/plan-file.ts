/**
 * The use case both the CLI and the upload Lambda run: read a CSV stream, validate, plan, and
 * write plan.csv / errors.csv / report.html to whatever sinks the caller gives.
 */
import type { Readable, Writable } from 'node:stream';
import type { DateFormat, PartnerSettings } from '../domain/partner-settings.js';
import type { Day } from '../domain/dates.js';
import { plannedRows, rowFacts } from '../domain/plan-rows.js';
import { type Plan, plan } from '../domain/planner/plan.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import { type IngestResult, ingest } from '../csv/ingest.js';
import { writeErrorsCsv, writePlanCsv } from '../csv/writers.js';
import { buildReportModel } from '../report/build-model.js';
import { renderReportHtml } from '../report/html.js';
import type { ReportModel } from '../report/model.js';

export interface PlanRunInput {
  source: Readable;
  fileName: string;
  settings: PartnerSettings;
  today: Day;
  dateFormat?: DateFormat | undefined;
  maxBytes?: number | undefined;
  maxRows?: number | undefined;
  onBytes?: ((total: number) => void) | undefined;
  /** The source's size in bytes when known (sizes the portfolio once). */
  sizeBytes?: number | undefined;
}

export interface PlanRun {
  fileName: string;
  settings: PartnerSettings;
  dateFormatSetting: DateFormat;
  ingest: IngestResult;
  portfolio: Portfolio;
  plan: Plan;
  /** Co-term mode: its overlap cost against moving each subscription on its own best day. */
  coTerm?: { coTermCost: number; perSubscriptionCost: number } | undefined;
}

/** Reads and plans; throws FileError for file-level failures. */
export async function runPlan(input: PlanRunInput): Promise<PlanRun> {
  const { settings, today } = input;
  const dateFormatSetting = input.dateFormat ?? settings.date_format;
  const ingested = await ingest(input.source, {
    settings,
    dateFormat: dateFormatSetting,
    maxBytes: input.maxBytes,
    maxRows: input.maxRows,
    onBytes: input.onBytes,
    sizeBytes: input.sizeBytes,
  });
  const portfolio = ingested.portfolio;
  const result = plan(portfolio, { today, settings });
  let coTerm: PlanRun['coTerm'];
  if (settings.co_term) {
    const perSubscription = plan(portfolio, { today, settings: { ...settings, co_term: false } });
    coTerm = { coTermCost: totalOverlapCost(portfolio, result, settings), perSubscriptionCost: totalOverlapCost(portfolio, perSubscription, settings) };
  }
  return { fileName: input.fileName, settings, dateFormatSetting, ingest: ingested, portfolio, plan: result, coTerm };
}

export function totalOverlapCost(p: Portfolio, result: Plan, settings: PartnerSettings): number {
  let total = 0;
  for (const i of plannedRows(p)) total += rowFacts(p, result, settings.country, i).overlapCost ?? 0;
  return total;
}

export interface OutputSinks {
  plan: Writable;
  errors: Writable;
  report: Writable;
}

/** Writes the three outputs; the caller ends the sinks. */
export async function writeOutputs(run: PlanRun, sinks: OutputSinks, generatedAt: Date): Promise<ReportModel> {
  await writePlanCsv(sinks.plan, run.portfolio, run.plan, run.settings.country);
  await writeErrorsCsv(sinks.errors, run.portfolio.problems);
  const model = buildReportModel(run, generatedAt);
  sinks.report.write(renderReportHtml(model));
  return model;
}
