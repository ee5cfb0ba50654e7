/**
 * Plan a CSV file: what `cspmove plan` does offline and what an upload does on AWS. Reads the CSV
 * stream, validates and plans it, then writes plan.csv, errors.csv and report.html to whatever
 * sinks the caller gives.
 */
import type { Readable, Writable } from 'node:stream';
import { type IngestResult, ingest, type RowReader } from '../csv/ingest.js';
import type { IngestOptions } from '../csv/read-rows.js';
import { writeErrorsCsv, writePlanCsv } from '../csv/writers.js';
import { type CoTermCost, coTermCost } from '../domain/co-term.js';
import { dayToIso } from '../domain/dates.js';
import { type LifecycleDates, lifecycleDates } from '../domain/lifecycle-dates.js';
import type { DateFormat, PartnerSettings } from '../domain/partner-settings.js';
import { tableText } from '../domain/plan-rows.js';
import { type CapacityNeed, capacityNeed } from '../domain/planner/capacity-need.js';
import { type Plan, plan } from '../domain/planner/plan.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import type { StatusEvent } from '../domain/status-events.js';
import { currentStates, type ReconciledStatuses, reconcileStatuses } from '../domain/upload-statuses.js';
import { buildReportModel } from '../report/build-model.js';
import { renderReportHtml } from '../report/html.js';
import type { ReportModel } from '../report/model.js';

/** The file and how to read it: the ingest's options (settings, today, limits, …) besides. */
export interface PlanFileInput extends IngestOptions {
  source: Readable;
  fileName: string;
  /** Reads the rows on a worker thread instead of this one (the CLI's opt-in). */
  reader?: RowReader | undefined;
  /** The partner's status events (upload-statuses.ts): the file is planned with the states they give. */
  events?: readonly StatusEvent[] | undefined;
  /** Searches the daily capacity the moves need (capacity-need.ts), for the report. */
  capacitySearch?: boolean | undefined;
}

export interface PlannedRun {
  fileName: string;
  settings: PartnerSettings;
  dateFormatSetting: DateFormat;
  ingest: IngestResult;
  portfolio: Portfolio;
  plan: Plan;
  /** Co-term mode: its overlap cost against moving each subscription on its own best day. */
  coTerm?: CoTermCost | undefined;
  /** With events: where moves stand, what the file says that is new, and the days of each state. */
  statuses?: ReconciledStatuses | undefined;
  lifecycle?: LifecycleDates | undefined;
  /** With capacitySearch: the daily capacity the moves need against the partner's. */
  capacity?: CapacityNeed | undefined;
}

/** Reads and plans a file; throws FileError when the file cannot be planned at all. */
export async function planFile(input: PlanFileInput): Promise<PlannedRun> {
  const { settings, today } = input;
  const dateFormatSetting = input.dateFormat ?? settings.date_format;

  // 1. Read and validate the rows into the portfolio.
  const { source, fileName: _fileName, reader, events, capacitySearch, ...options } = input;
  const ingested = await ingest(source, { ...options, dateFormat: dateFormatSetting }, reader);
  const portfolio = ingested.portfolio;

  // 2. Where moves stand: what was recorded since, and what the file says that is new (it takes
  //    effect on the day the file gives for it, else today).
  const statuses = events
    ? reconcileStatuses(portfolio, currentStates(events), (i) => tableText(portfolio, portfolio.status[i]!))
    : undefined;
  const news = (statuses?.news ?? []).map(
    ({ on, ...n }): StatusEvent => ({
      ...n,
      effective: dayToIso(on ?? today),
      recordedAt: `${dayToIso(today)}T23:59:59.999Z`,
      source: 'upload',
      by: input.fileName,
    }),
  );
  const lifecycle = events ? lifecycleDates([...events, ...news]) : undefined;

  // 3. Plan it as of today; with the search, also the least daily capacity with which nothing
  //    that can be on time is at risk, on the plan's own units.
  let capacity: CapacityNeed | undefined;
  const result = plan(
    portfolio,
    { today, settings },
    capacitySearch
      ? (planned, units, windows) => {
          capacity = capacityNeed(portfolio, { today, settings }, planned, { units, windows });
        }
      : undefined,
  );

  // 4. In co-term mode, weigh one day per customer against a day per subscription.
  const coTerm = settings.co_term ? coTermCost(portfolio, result, { today, settings }) : undefined;

  return {
    fileName: input.fileName,
    settings,
    dateFormatSetting,
    ingest: ingested,
    portfolio,
    plan: result,
    coTerm,
    statuses,
    lifecycle,
    capacity,
  };
}

export interface OutputSinks {
  plan: Writable;
  errors: Writable;
  report: Writable;
}

/** Writes plan.csv, errors.csv and report.html; the caller ends the sinks. */
export async function writePlanOutputs(run: PlannedRun, sinks: OutputSinks, generatedAt: Date): Promise<ReportModel> {
  await writePlanCsv(sinks.plan, run.portfolio, run.plan, run.settings.country, run.lifecycle);
  await writeErrorsCsv(sinks.errors, run.portfolio.problems);
  const model = planReport(run, generatedAt);
  sinks.report.write(renderReportHtml(model));
  return model;
}

/** What report.html, the CLI summary and the report e-mail say of a planned file. */
export function planReport(run: PlannedRun, generatedAt: Date): ReportModel {
  const read = { delimiter: run.ingest.delimiter, encoding: run.ingest.encoding, ignoredColumns: run.ingest.headers.ignored };
  return buildReportModel({ ...run, read }, generatedAt);
}
