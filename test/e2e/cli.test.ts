/**
 * `cspmove plan` as a partner runs it: the real bin, real files, exit codes and outputs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ERROR_COLUMNS } from '../../shared/csv/writers.js';
import { PLAN_COLUMNS } from '../../shared/domain/plan-rows.js';
import { type CsvRow, parseCsv } from '../support/plan-csv.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/cspmove.mjs');
const FIXTURES = join(import.meta.dirname, '../fixtures');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
  plan: CsvRow[];
  errors: CsvRow[];
  planText: string;
}

async function cspmove(
  args: string[],
  out = mkdtempSync(join(tmpdir(), 'cspmove-')),
  env: Record<string, string> = {},
): Promise<CliResult> {
  const result = await run('node', [BIN, ...args, '--out', out], { env: { ...process.env, NO_COLOR: '1', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const read = (name: string) => (existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8') : '');
  const planText = read('plan.csv');
  return { ...result, out, planText, plan: parseCsv(planText), errors: parseCsv(read('errors.csv')) };
}

function config(json: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cspmove-config-')), 'partner.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('cspmove plan', () => {
  it('says one of a thing in the singular: one row, one customer, one error, one row without a price', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cspmove-one-')), 'one.csv');
    writeFileSync(
      file,
      'customer_id,customer_name,subscription_id,offer,seats,end_date\n' +
        'c-1,Contoso,s-1,Office 365 E3,10,2027-06-30\n' +
        'c-1,Contoso,s-2,Office 365 E3,10,not a date\n',
    );
    const r = await cspmove(['plan', file, '--today', '2026-12-01']);
    expect(r.stdout).toMatch(/^Planned 1 of 2 rows for 1 customer \(1 rejected\)/);
    expect(r.stdout).toContain('(1 row has no price.)');
    expect(r.stdout).toMatch(/Problems: 1 error, 0 ineligible, 0 warnings/);
  });

  it('plans the sample file: every row accounted for, the contract columns in order', async () => {
    const r = await cspmove(['plan', 'examples/customers.csv', '--today', '2026-12-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.planText.split('\r\n')[0]).toBe(PLAN_COLUMNS.join(','));
    expect(readFileSync(join(r.out, 'errors.csv'), 'utf8').split('\r\n')[0]).toBe(ERROR_COLUMNS.join(','));
    const input = parseCsv(readFileSync('examples/customers.csv', 'utf8'));
    expect(r.plan.map((p) => p.subscription_id)).toEqual(input.map((i) => i.subscription_id));
    const risks = new Set(r.plan.map((p) => p.risk));
    expect([...risks].sort()).toEqual(['at_risk', 'expired_grace', 'ineligible', 'lapsed', 'ok']);
    expect(r.stdout).toMatch(/^Planned 60 of 60 rows for \d+ customers \(0 rejected\), as of 2026-12-01\./);
    expect(r.stdout).toContain(`${r.out}/plan.csv`);
    const html = readFileSync(join(r.out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
  });

  it("reads Microsoft's batch migration tool subscriptions.csv (month-first dates, ISO timestamps)", async () => {
    const r = await cspmove(['plan', join(FIXTURES, 'new-commerce-subscriptions.csv'), '--today', '2026-12-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dates read as MM/DD/YYYY');
    expect(r.plan).toHaveLength(12);
    const source = parseCsv(readFileSync(join(FIXTURES, 'new-commerce-subscriptions.csv'), 'utf8'));
    source.forEach((s, i) => {
      expect(r.plan[i]!.subscription_id).toBe(s.LegacySubscriptionId);
      expect(r.plan[i]!.offer).toBe(s.LegacyProductName);
      expect(Number(r.plan[i]!.seats)).toBe(Number(s.CurrentSeatCount));
      const m = /^(\d+)\/(\d+)\/(\d{4})$/.exec(s.ExpirationDate!);
      const iso = m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : s.ExpirationDate!.slice(0, 10);
      expect(r.plan[i]!.end_date).toBe(iso);
      expect(r.plan[i]!.auto_renew).toBe(s.AutoRenewEnabled === 'True' ? 'yes' : 'no');
    });
    // Add-ons move with their base.
    for (const s of source.filter((x) => x.BaseSubscriptionId)) {
      const addon = r.plan.find((p) => p.subscription_id === s.LegacySubscriptionId)!;
      const base = r.plan.find((p) => p.subscription_id === s.BaseSubscriptionId)!;
      expect(addon.move_on).toBe(base.move_on);
    }
  });

  it('reads an Italian Excel export: BOM, CRLF, semicolons, DD/MM/YYYY, decimal comma', async () => {
    const r = await cspmove([
      'plan',
      join(FIXTURES, 'italian-excel.csv'),
      '--today',
      '2026-12-01',
      '--config',
      config({ country: 'IT', currency: 'EUR' }),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dates read as DD/MM/YYYY');
    // The report says the format as the partner writes it, as the summary does.
    expect(readFileSync(join(r.out, 'report.html'), 'utf8')).toContain('Dates were read as <strong>DD/MM/YYYY</strong>');
    expect(r.errors).toEqual([]);
    const source = parseCsv(
      readFileSync(join(FIXTURES, 'italian-excel.csv'), 'utf8')
        .replace(/^\uFEFF/, '')
        .replace(/;/g, ','),
    );
    expect(r.plan).toHaveLength(8);
    expect(r.plan[0]!.customer_id).toBe(source[0]!.customer_id); // no BOM in the first header/value
    expect(r.plan.map((p) => p.customer_name)).toContain('Società Cooperativa Edilizia Güell');
    const feb28 = r.plan.find((p) => p.end_date === '2027-02-28');
    expect(feb28).toBeDefined();
    // 12,50 a seat a month is 12.5: overlap_cost = overlap_days × seats × 12.5 × 12 / 365.
    const priced = r.plan.find((p) => p.overlap_cost !== '')!;
    expect(Number(priced.overlap_cost)).toBeGreaterThan(0);
  });

  it('keeps commas, quotes and line breaks in quoted fields intact in plan.csv', async () => {
    const r = await cspmove(['plan', join(FIXTURES, 'quoted-fields.csv'), '--today', '2026-12-01']);
    expect(r.code).toBe(0);
    const source = parseCsv(readFileSync(join(FIXTURES, 'quoted-fields.csv'), 'utf8'));
    expect(r.plan.map((p) => p.customer_name)).toEqual(source.map((s) => s.customer_name));
    expect(r.plan.map((p) => p.offer)).toEqual(source.map((s) => s.offer));
    expect(r.plan.some((p) => p.customer_name!.includes('\n'))).toBe(true);
    // Spreadsheet rows, not physical lines.
    expect(r.plan.map((p) => p.row)).toEqual(source.map((_, i) => String(i + 2)));
  });

  it('replaces the outputs of an earlier run in the same folder, leaving no temporary files', async () => {
    const first = await cspmove(['plan', 'examples/customers.csv', '--today', '2026-12-01']);
    const file = join(mkdtempSync(join(tmpdir(), 'cspmove-in-')), 'one.csv');
    writeFileSync(file, 'customer_id,customer_name,subscription_id,offer,seats,end_date\nc1,A,s1,E3,5,2027-06-30\n');
    const second = await cspmove(['plan', file, '--today', '2026-12-01'], first.out);
    expect(second.code).toBe(0);
    expect(second.plan.map((p) => p.subscription_id)).toEqual(['s1']);
    expect(readdirSync(first.out).sort()).toEqual(['errors.csv', 'plan.csv', 'report.html']);
  });

  it('neutralises spreadsheet formulas in every CSV cell', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cspmove-in-')), 'evil.csv');
    writeFileSync(
      file,
      'customer_id,customer_name,subscription_id,offer,seats,end_date\n"=cmd|\' /C calc\'!A0",@SUM(1),+s1,-Office,5,2027-06-30\n',
    );
    const r = await cspmove(['plan', file, '--today', '2026-12-01']);
    expect(r.plan[0]).toMatchObject({
      customer_id: "'=cmd|' /C calc'!A0",
      customer_name: "'@SUM(1)",
      subscription_id: "'+s1",
      offer: "'-Office",
    });
    expect(r.planText).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it('honours --date-format over the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cspmove-in-')), 'dates.csv');
    writeFileSync(file, 'customer_id,customer_name,subscription_id,offer,seats,end_date\nc1,A,s1,E3,5,03/04/2027\n');
    const dmy = await cspmove(['plan', file, '--today', '2026-12-01', '--date-format', 'dmy']);
    expect(dmy.plan[0]!.end_date).toBe('2027-04-03');
    const mdy = await cspmove(['plan', file, '--today', '2026-12-01', '--date-format', 'mdy']);
    expect(mdy.plan[0]!.end_date).toBe('2027-03-04');
    const iso = await cspmove(['plan', file, '--today', '2026-12-01', '--date-format', 'iso']);
    expect(iso.errors[0]).toMatchObject({ code: 'invalid_date', row: '2' });
    // auto, no decisive value: the partner's country decides (US: month-first).
    const auto = await cspmove(['plan', file, '--today', '2026-12-01']);
    expect(auto.plan[0]!.end_date).toBe('2027-03-04');
    expect(auto.stdout).toContain("partner's country (US)");
  });

  describe('file-level failures exit 2 with one message and write nothing', () => {
    it.each([
      [
        'missing columns',
        'customer_id,offer\nc1,E3\n',
        /Required columns missing: customer_name, subscription_id, seats, end_date\. Headers found: "customer_id", "offer"/,
      ],
      ['an empty file', '', /empty/],
      ['a workbook', 'PK\x03\x04rest-of-zip', /workbook/],
    ])('%s', async (_name, content, message) => {
      const dir = mkdtempSync(join(tmpdir(), 'cspmove-in-'));
      const file = join(dir, 'bad.csv');
      writeFileSync(file, content, 'latin1');
      const r = await cspmove(['plan', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(readdirSync(r.out)).toEqual([]);
    });

    it('a file that does not exist', async () => {
      const r = await cspmove(['plan', '/no/such/file.csv']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/does not exist/);
    });

    it('settings with an unknown key, naming the key', async () => {
      const r = await cspmove(['plan', 'examples/customers.csv', '--config', config({ daily_capacty: 5 })]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown key "daily_capacty"/);
    });

    it('an --out folder that cannot be made', async () => {
      const blocker = join(mkdtempSync(join(tmpdir(), 'cspmove-out-')), 'a-file');
      writeFileSync(blocker, '');
      const r = await cspmove(['plan', 'examples/customers.csv'], join(blocker, 'out'));
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^cspmove: cannot write to .*a-file\/out: a file is in the way of that folder\.$/);
    });

    it('a malformed --today', async () => {
      const r = await cspmove(['plan', 'examples/customers.csv', '--today', '01/12/2026']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/YYYY-MM-DD/);
    });

    it('a --today outside 2000–2100', async () => {
      const r = await cspmove(['plan', 'examples/customers.csv', '--today', '2150-01-01']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/from 2000-01-01 to 2100-12-31/);
    });
  });

  it('plans the same with the opt-in ingest worker (CSPMOVE_INGEST_WORKER=1)', async () => {
    const args = ['plan', join(FIXTURES, 'new-commerce-subscriptions.csv'), '--today', '2026-12-01'];
    const oneThread = await cspmove(args, undefined, { CSPMOVE_INGEST_WORKER: '0' });
    const twoThreads = await cspmove(args, undefined, { CSPMOVE_INGEST_WORKER: '1' });
    expect(twoThreads.stderr).toBe('');
    expect(twoThreads.code).toBe(0);
    expect(twoThreads.stdout.replaceAll(twoThreads.out, 'OUT')).toBe(oneThread.stdout.replaceAll(oneThread.out, 'OUT'));
    expect(twoThreads.planText).toBe(oneThread.planText);
    expect(twoThreads.errors).toEqual(oneThread.errors);
  });

  it('--help explains the command, its options and exit codes', async () => {
    const r = await run('node', [BIN, 'plan', '--help']);
    for (const option of ['--today', '--out', '--config', '--date-format', 'auto', 'Exit status']) expect(r.stdout).toContain(option);
  });
});

describe('cspmove --version', () => {
  it("prints package.json's version, with -V too, and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run('node', [BIN, flag]);
      expect(r).toEqual({ stdout: `${version}\n`, stderr: '' });
    }
  });
});
