/** `cspmove demo --json` (what `npm start` runs): its last stdout line is the contract's JSON. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/cspmove.mjs');

describe('cspmove demo', () => {
  it('runs the pipeline on the local AWS and ends with one JSON line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cspmove-demo-'));
    const { stdout, stderr } = await run('node', [
      BIN,
      'demo',
      '--csv',
      'examples/customers.csv',
      '--today',
      '2026-12-01',
      '--days',
      '14',
      '--json',
      '--out',
      out,
    ]);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]!) as {
      planned: number;
      rejected: number;
      items: number;
      emails: { date: string; kind: string; to: string[]; subject: string }[];
    };
    expect(result).toMatchObject({ planned: 60, rejected: 0, items: 60 });
    expect(result.emails[0]).toMatchObject({ date: '2026-12-01', kind: 'report', to: ['partner@demo-partner.example'] });
    for (const e of result.emails) {
      expect(e.date >= '2026-12-01' && e.date <= '2026-12-14').toBe(true);
      expect(['report', 'daily', 'weekly', 'invitation']).toContain(e.kind);
      expect(e.subject.length).toBeGreaterThan(0);
    }
    // Mondays 2026-12-07 and 2026-12-14 bring the weekly digest.
    expect(result.emails.filter((e) => e.kind === 'weekly').map((e) => e.date)).toEqual(['2026-12-07', '2026-12-14']);
    expect(result.emails.map((e) => e.date)).toEqual([...result.emails.map((e) => e.date)].sort());
  });

  it('prints a readable summary by default, with where the report and e-mails are', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cspmove-demo-'));
    const { stdout } = await run('node', [BIN, 'demo', '--today', '2026-12-01', '--days', '3', '--out', out]);
    expect(stdout).toContain('planned 60 rows, rejected 0');
    expect(stdout).toContain(`Report: ${join(out, 'report.html')}`);
    expect(stdout).toContain(`e-mails: ${join(out, 'emails')}`);
  });

  it('with --simulate-acceptances, customers accept through their digest links, the digests stop asking them, and their moves follow', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cspmove-demo-'));
    const { stdout } = await run('node', [
      BIN,
      'demo',
      '--today',
      '2026-12-01',
      '--days',
      '30',
      '--simulate-acceptances',
      '--json',
      '--out',
      out,
    ]);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      emails: { date: string; kind: string }[];
      acceptances: { date: string; customerId: string; customerName: string }[];
      provisions: { date: string; subscriptionId: string; customerName: string }[];
    };
    expect(result.acceptances.length).toBeGreaterThan(0);
    // The sample's customers have all to accept first: each move is made only after its customer did.
    expect(result.provisions.length).toBeGreaterThan(0);
    for (const p of result.provisions)
      expect(
        result.acceptances.some((a) => a.customerName === p.customerName && a.date < p.date),
        p.subscriptionId,
      ).toBe(true);
    // The saved e-mails are numbered in the order the JSON lists them.
    const files = readdirSync(join(out, 'emails')).sort();
    expect(files).toHaveLength(result.emails.length);
    const askedIn = result.emails.map((e, i) => {
      if (e.kind !== 'daily') return [];
      const html = readFileSync(join(out, 'emails', files[i]!), 'utf8');
      return [...html.matchAll(/\?t=[\w-]+\.([\w-]+)\.[\w-]+"[^>]*>Accepted</g)].map(
        ([, payload]) => (JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { i: string }).i,
      );
    });
    const asked = (customerId: string) => result.emails.flatMap((e, i) => (askedIn[i]!.includes(customerId) ? [e.date] : []));
    for (const a of result.acceptances) {
      const days = asked(a.customerId);
      expect(
        days.some((d) => d < a.date),
        `${a.customerName} was asked before accepting`,
      ).toBe(true);
      expect(
        days.filter((d) => d >= a.date),
        `${a.customerName} is not asked once accepted`,
      ).toEqual([]);
    }
    // A customer that has not accepted keeps being asked: the reminders stop only by acceptance.
    const waiting = [...new Set(askedIn.flat())].filter((id) => !result.acceptances.some((a) => a.customerId === id));
    expect(waiting.some((id) => asked(id).length > 1)).toBe(true);
  });

  it('without --simulate-acceptances, its JSON is what it always was', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cspmove-demo-'));
    const { stdout } = await run('node', [BIN, 'demo', '--today', '2026-12-01', '--days', '2', '--json', '--out', out]);
    expect(Object.keys(JSON.parse(stdout.trim().split('\n').at(-1)!) as object).sort()).toEqual(['emails', 'items', 'planned', 'rejected']);
  });
});
