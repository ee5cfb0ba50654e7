/**
 * `cspmove serve` and the commands that drive it, as a user runs them in two terminals: the real
 * bin, a stack kept running in a child process, and `partner put`, `user add`, `upload`, `status set|show`
 * against it. A status change is planned again by the running stack, through its work queue.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../local/local-names.js';
import type { LocalEndpoints } from '../../local/target.js';
import { keys } from '../../shared/storage/dynamodb/table-design.js';
import { parseCsv } from '../support/plan-csv.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/cspmove.mjs');
const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const PARTNER = 'serve-e2e';

let cwd: string;
let serve: ChildProcess;
let served = '';
let endpoints: LocalEndpoints;
let ports: number;

/** A command in the second terminal; the re-plan it asks for is not held back (see replan-request.ts). */
const cspmove = (args: string[]) =>
  run('node', [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', REPLAN_DELAY_SECONDS: '0' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** `count` consecutive free ports on 127.0.0.1, in a range no other test asks for. */
async function freePorts(count: number): Promise<number> {
  for (let base = 20_000 + Math.floor(Math.random() * 20_000); ; base += count) {
    let all = true;
    for (let p = base; p < base + count && all; p++) all = await free(p);
    if (all) return base;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}. serve said:\n${served}`);
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cspmove-serve-'));
  ports = await freePorts(6);
  const portOptions = ['--actions-port', String(ports), '--aws-port', String(ports + 1), '--console-port', String(ports + 5)];
  serve = spawn('node', [BIN, 'serve', '--data-dir', join(cwd, 'data'), ...portOptions], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  serve.stdout!.on('data', (chunk) => (served += String(chunk)));
  serve.stderr!.on('data', (chunk) => (served += String(chunk)));
  const file = join(cwd, '.local', 'endpoints.json');
  endpoints = await until('serve to start', () =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints) : undefined,
  );
  writeFileSync(join(cwd, 'partner.json'), JSON.stringify({ partner_id: PARTNER, name: 'Serve Partner', email: 'ops@serve.example' }));
}, 60_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
});

describe('cspmove serve, driven from a second terminal', () => {
  it('says where each service is, the work queue included, on the ports it was given', () => {
    expect(served).toContain('SQS');
    expect(endpoints.endpoints).toEqual({
      dynamodb: `http://127.0.0.1:${ports + 1}`,
      s3: `http://127.0.0.1:${ports + 2}`,
      ses: `http://127.0.0.1:${ports + 3}`,
      sqs: `http://127.0.0.1:${ports + 4}`,
    });
    expect(served).toContain(endpoints.endpoints.sqs);
  });

  it('serves the partner console, built, on its port: every page is the web app, and its sign-in is on the same origin', async () => {
    const console = `http://localhost:${ports + 5}`;
    expect(served).toContain(`Console   ${console}/`);
    const page = await fetch(`${console}/customers/C-1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);
    expect(((await (await fetch(`${console}/config.json`)).json()) as { authority: string }).authority).toBe(`${console}/oidc`);
  });

  it('a second serve on the same ports stops at once, naming the port that is taken', async () => {
    const second = await run(
      'node',
      [BIN, 'serve', '--data-dir', join(cwd, 'data2'), '--actions-port', String(ports + 10), '--aws-port', String(ports + 1)],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
      },
    ).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(
      `cspmove: port ${ports + 1} on 127.0.0.1 (DynamoDB) is taken by another program: stop it (an earlier \`cspmove serve\`?), or pass --aws-port to use others.\n`,
    );
  });

  it('partner put, upload --wait, status set and show; the running stack plans the partner again', async () => {
    expect(await cspmove(['partner', 'put', '--config', 'partner.json'])).toMatchObject({ code: 0 });
    // A console user: kept in the data folder serve was given, readable by this user only.
    const user = await cspmove(['user', 'add', '--partner', PARTNER, '--email', 'ops@serve.example']);
    expect(user).toMatchObject({ code: 0, stderr: '' });
    expect(user.stdout).toMatch(/^Password: \S+$/m);
    expect(statSync(join(cwd, 'data', 'console-users.json')).mode & 0o777).toBe(0o600);
    const upload = await cspmove(['upload', SAMPLE, '--partner', PARTNER]);
    expect(upload.stdout).toMatch(/^Planned 60 rows, rejected 0/m);

    const customer = parseCsv(readFileSync(SAMPLE, 'utf8'))[0]!.customer_id!;
    const set = await cspmove(['status', 'set', '--partner', PARTNER, '--customer', customer, 'accepted', '--by', 'ops@serve.example']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toContain(`customer ${customer} is accepted; the plan follows within minutes.`);

    // The change was recorded by the CLI; the stack's partner-work function plans it again.
    const ddb = new DynamoDBClient({
      region: endpoints.region,
      endpoint: endpoints.endpoints.dynamodb,
      credentials: endpoints.credentials,
    });
    try {
      const replanned = await until('the re-plan', async () => {
        const { Item } = await ddb.send(
          new GetItemCommand({ TableName: LOCAL_NAMES.table, Key: { pk: { S: keys.partner(PARTNER) }, sk: { S: keys.replan } } }),
        );
        const changed = Item?.changedAt?.S;
        return changed && Item.plannedAt?.S && Item.plannedAt.S >= changed && !Item.requestedAt ? Item : undefined;
      });
      expect(replanned.plannedAt?.S).toBeDefined();
    } finally {
      ddb.destroy();
    }

    // The terminal running serve says what it did, one line each.
    await until('serve to report the upload and the re-plan', () =>
      served.includes(`uploads/${PARTNER}/customers.csv: planned 60 rows, rejected 0`) &&
      served.includes(`replan for partner ${PARTNER}: done`)
        ? true
        : undefined,
    );

    // The same bytes again: the local S3 keeps no versions, so it is the same upload, and it says so.
    const again = await cspmove(['upload', SAMPLE, '--partner', PARTNER]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain('was uploaded before, with the same content (planned: 60 rows planned)');

    // A reminder run that sends nothing says why, partner by partner.
    writeFileSync(join(cwd, 'empty.json'), JSON.stringify({ partner_id: 'serve-empty', email: 'ops@empty.example' }));
    await cspmove(['partner', 'put', '--config', 'empty.json']);
    const remind = await cspmove(['remind', '--date', '2026-11-03']);
    expect(remind.stdout).toContain('0 daily digests sent (2 partners, 2 with nothing due), 0 weekly digests.');
    expect(remind.stdout).toMatch(
      new RegExp(
        `  ${PARTNER}: no digest to send on 2026-11-03 \\(none due, or sent already\\); its next reminder is on \\d{4}-\\d{2}-\\d{2} `,
      ),
    );
    expect(remind.stdout).toContain('  serve-empty: no reminder is scheduled: no plan uploaded yet');
    // On a Sunday, no daily digest goes out, and it says so.
    const sunday = await cspmove(['remind', '--date', '2026-11-01']);
    expect(sunday.stdout).toContain(
      `  ${PARTNER}: 2026-11-01 is not a business day in US, and daily digests go out on business days (setting daily_digest_days); ` +
        'what is due goes in the next one, on 2026-11-02 (npx cspmove remind --date 2026-11-02).',
    );

    const show = await cspmove(['status', 'show', '--partner', PARTNER, '--customer', customer]);
    expect(show.stdout).toContain(`customer ${customer}: accepted`);
    expect(show.stdout).toMatch(/accepted\s+cli by ops@serve\.example/);
  }, 90_000);

  it('stops on SIGTERM, and removes what told the commands where it runs', async () => {
    serve.kill('SIGTERM');
    const code = await new Promise((r) => serve.once('exit', r));
    expect(code).toBe(0);
    expect(existsSync(join(cwd, '.local', 'endpoints.json'))).toBe(false);
    expect(served).toContain('Local AWS stopped.');
  });
});
