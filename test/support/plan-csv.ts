/** Test helper: plan CSV text in memory and read the outputs back as the contract's rows. */
import { PassThrough, Readable } from 'node:stream';
import Papa from 'papaparse';
import { writeErrorsCsv, writePlanCsv } from '../../shared/csv/writers.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { type PartnerSettings, type PartnerSettingsInput, parseSettings } from '../../shared/domain/partner-settings.js';
import { plan } from '../../shared/domain/planner/plan.js';
import type { Portfolio } from '../../shared/domain/portfolio/portfolio.js';
import type { StatusEvent } from '../../shared/domain/status-events.js';
import type { ReportModel } from '../../shared/report/model.js';
import { type PlannedRun, planFile, writePlanOutputs } from '../../shared/use-cases/plan-file.js';

export type CsvRow = Record<string, string>;

export interface PlannedCsv {
  run: PlannedRun;
  plan: CsvRow[];
  errors: CsvRow[];
  planCsv: string;
  errorsCsv: string;
  reportHtml: string;
  model: ReportModel;
}

function collect(stream: PassThrough): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))));
}

export function parseCsv(text: string): CsvRow[] {
  return Papa.parse<CsvRow>(text, { header: true, skipEmptyLines: true }).data;
}

export async function planCsv(
  input: string | Buffer,
  options: {
    today?: string;
    settings?: PartnerSettingsInput;
    dateFormat?: 'auto' | 'iso' | 'dmy' | 'mdy';
    maxBytes?: number;
    maxRows?: number;
    events?: readonly StatusEvent[];
    capacitySearch?: boolean;
  } = {},
): Promise<PlannedCsv> {
  const settings = parseSettings(options.settings ?? {});
  const run = await planFile({
    source: Readable.from([typeof input === 'string' ? Buffer.from(input) : input]),
    fileName: 'test.csv',
    settings,
    today: isoToDay(options.today ?? '2026-12-01'),
    dateFormat: options.dateFormat,
    maxBytes: options.maxBytes,
    maxRows: options.maxRows,
    events: options.events,
    capacitySearch: options.capacitySearch,
  });
  const sinks = { plan: new PassThrough(), errors: new PassThrough(), report: new PassThrough() };
  const texts = Promise.all([collect(sinks.plan), collect(sinks.errors), collect(sinks.report)]);
  const model = await writePlanOutputs(run, sinks, new Date('2026-12-01T08:00:00Z'));
  for (const s of Object.values(sinks)) s.end();
  const [planCsvText, errorsCsvText, reportHtml] = await texts;
  return {
    run,
    plan: parseCsv(planCsvText),
    errors: parseCsv(errorsCsvText),
    planCsv: planCsvText,
    errorsCsv: errorsCsvText,
    reportHtml,
    model,
  };
}

export const HEADER =
  'customer_id,customer_name,contact_email,country,subscription_id,offer,target_offer,seats,licensing_program,end_date,auto_renew,unit_price_monthly,base_subscription_id,status,invitation_status';

export interface RowSpec {
  customer?: string;
  name?: string;
  email?: string;
  country?: string;
  sub: string;
  offer?: string;
  target?: string;
  seats?: number | string;
  program?: string;
  end: string;
  autoRenew?: string;
  price?: number | string;
  base?: string;
  status?: string;
  invitation?: string;
}

/** A canonical CSV from row specs, with sensible defaults for what a test does not care about. */
export function csvOf(rows: RowSpec[]): string {
  const cell = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) =>
    [
      r.customer ?? 'cust-1',
      r.name ?? `Customer ${r.customer ?? 'cust-1'}`,
      r.email ?? 'admin@contoso.com',
      r.country ?? '',
      r.sub,
      r.offer ?? 'Office 365 E3',
      r.target ?? '',
      r.seats ?? 10,
      r.program ?? 'Open',
      r.end,
      r.autoRenew ?? '',
      r.price ?? 20,
      r.base ?? '',
      r.status ?? '',
      r.invitation ?? '',
    ]
      .map(cell)
      .join(','),
  );
  return `${HEADER}\n${lines.join('\n')}\n`;
}

/** plan.csv then errors.csv of a portfolio planned as of 2026-12-01: one text to compare two reads by. */
export async function portfolioOutputs(p: Portfolio, settings: PartnerSettings): Promise<string> {
  const out = new PassThrough();
  const text = collect(out);
  await writePlanCsv(out, p, plan(p, { today: isoToDay('2026-12-01'), settings }), settings.country);
  await writeErrorsCsv(out, p.problems);
  out.end();
  return text;
}
