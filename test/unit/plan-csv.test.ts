/**
 * plan.csv is written by a fast line renderer (shared/csv/plan-csv.ts); the row's definition is
 * planRecord. Every line must be exactly csvLine(planRecord(…)), on files that exercise every
 * risk, ineligible reason, add-ons, odd characters and formula-like names.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.js';
import { csvCell, csvLine } from '../../shared/csv/csv-text.js';
import { PlanCsvLines } from '../../shared/csv/plan-csv.js';
import { PLAN_COLUMNS, plannedRows, planRecord } from '../../shared/domain/plan-rows.js';
import { RISKS } from '../../shared/domain/planner/plan.js';
import { type CsvRow, HEADER, planCsv } from '../support/plan-csv.js';

/** Compares every line; returns the risks the rows had. */
async function expectLinesEqualRecords(input: string | Buffer, settings = {}, today = '2026-12-01'): Promise<string[]> {
  const { run } = await planCsv(input, { settings, today });
  const render = new PlanCsvLines(run.portfolio, run.plan, run.settings.country);
  const risks: string[] = [];
  for (const i of plannedRows(run.portfolio)) {
    const record = planRecord(run.portfolio, run.plan, run.settings.country, i);
    expect(render.line(i)).toBe(csvLine(record));
    risks.push(String(record[PLAN_COLUMNS.indexOf('risk')]));
  }
  return risks;
}

describe('plan.csv lines', () => {
  it('equal csvLine(planRecord) on a generated file (every risk, add-ons, quotes and commas in names)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plan-csv-'));
    try {
      const path = join(dir, 'customers.csv');
      await generate({ rows: 3_000, seed: 7, path });
      const risks = await expectLinesEqualRecords(await readFile(path), { daily_capacity: 15 });
      expect(risks.length).toBeGreaterThan(2_900);
      expect(new Set(risks)).toEqual(new Set(RISKS));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('equal csvLine(planRecord) for formula-like, quoted and ineligible rows', async () => {
    const csv = [
      HEADER,
      'c1,=HYPERLINK("x"),+a@b.example,US,-s1,@Office 365 E3,,25,Open Value,2027-02-08,yes,20,,Active,',
      'c1,=HYPERLINK("x"),+a@b.example,US,s2,"Office ""365"" E1",,3,,2027-03-08,no,,-s1,,accepted',
      'c2,"Fabrikam, Inc.",,GB,s3,Office 365 E3,,1,,2027-04-08,,,,,',
      'c3,Contoso,x@y.example,,s4,Office 365 E4,,10,Enterprise,2026-10-01,,7,,Deleted,',
      'c3,Contoso,x@y.example,,s5,Office 365 E4,,10,Enterprise,2026-11-20,,7,,,',
      'c4, padded ,,,s6,Office 365 E3,Microsoft 365 E3,4,,2026-08-01,,,,provisioned,sent',
    ].join('\n');
    expect(await expectLinesEqualRecords(csv)).toEqual(['ok', 'ok', 'ineligible', 'ineligible', 'ineligible', 'ok']);
  });
});

describe('CSV cells', () => {
  it('neutralise cells that start like a formula, even with a line break inside', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+2`)).toBe(`"'${start}1+2"`);
    expect(csvCell('=1+2\n=3')).toBe(`"'=1+2\n=3"`);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('quote cells with delimiters, quotes, line breaks or edge spaces, and leave the rest bare', () => {
    expect(csvCell('Fabrikam, Inc.')).toBe('"Fabrikam, Inc."');
    expect(csvCell('The "Blue" Group')).toBe('"The ""Blue"" Group"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('Contoso')).toBe('Contoso');
    expect(csvCell('')).toBe('');
    expect(csvLine([2, -5, 'a,b', ''])).toBe('2,-5,"a,b",');
  });

  it('plan a plan.csv uploaded again the same, every column but row (examples/customers.csv)', async () => {
    const example = readFileSync(new URL('../../examples/customers.csv', import.meta.url));
    const first = await planCsv(example, { today: '2026-12-01' });
    const again = await planCsv(first.planCsv, { today: '2026-12-01' });
    const withoutRow = (rows: CsvRow[]) => rows.map(({ row: _row, ...rest }) => rest);
    expect(withoutRow(again.plan)).toEqual(withoutRow(first.plan));
    // What the planner needs from the columns after status is really there.
    expect(first.plan.some((r) => r.base_subscription_id && r.unit_price_monthly && r.start_date)).toBe(true);
    expect(again.model.money).toEqual(first.model.money);
  });

  it('plan a plan.csv uploaded again the same when names and ids start like a formula: the guard is read off, never kept', async () => {
    const csv = [
      HEADER,
      '=c1,"=HYPERLINK(""http://x"")",,US,=s1,@Office 365 E3,+E5,10,,2027-03-31,,20,,,',
      '-c2,-Minus Co,,US,-s2,Office 365 E3,,5,,2027-04-30,,20,,,',
      'c3,"@Fabrikam, Inc.",,US,s3,Office 365 E3,,5,,2027-05-31,,20,,,',
    ].join('\n');
    const first = await planCsv(csv, { today: '2026-12-01' });
    expect(first.plan.map((r) => r.customer_name)).toEqual(['\'=HYPERLINK("http://x")', "'-Minus Co", "'@Fabrikam, Inc."]);
    expect(first.plan.map((r) => r.subscription_id)).toEqual(["'=s1", "'-s2", 's3']);
    const again = await planCsv(first.planCsv, { today: '2026-12-01' });
    expect(again.planCsv).toBe(first.planCsv);
    // What is planned from the re-upload holds the names as uploaded, not "'=…".
    expect(again.model.costliestOverlaps.map((o) => o.customerName).sort()).toEqual([
      '-Minus Co',
      '=HYPERLINK("http://x")',
      '@Fabrikam, Inc.',
    ]);
  });
});
