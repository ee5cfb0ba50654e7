/**
 * The console's HTTP API on the local stack, called with crafted requests: who may call it (only a
 * valid ID token of the issuer, for this client, naming a partner), what it refuses at its edge,
 * and that a partner sees and changes only its own data. Partner A and partner B each uploaded
 * examples/customers.csv (B's ids prefixed, so each id names one partner's customer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../local/stack.js';
import { MAX_UPLOAD_BYTES } from '../../shared/config/service.js';
import {
  API_PREFIX,
  MAX_CHANGES,
  type NewUpload,
  type Problem,
  type UploadDetail,
  type UploadView,
} from '../../shared/console/contract.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { useLocalStack } from '../support/local-stack.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

const local = useLocalStack('console-api');
const at = (iso: string, hour: number) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);
/** The time tokens are issued and checked at: fixed, so no test reads the wall clock for them. */
const TOKEN_TIME = at('2026-12-01', 8);

const A = 'p-console-a';
const B = 'p-console-b';
const SAMPLE = readFileSync(join(import.meta.dirname, '../../examples/customers.csv'), 'utf8');
/** B's copy of the sample: the same rows under ids of its own. */
const B_SAMPLE = SAMPLE.split('\n')
  .map((line, i) => {
    if (i === 0 || line === '') return line;
    const cells = line.split(',');
    for (const c of [0, 4, 13]) if (cells[c]) cells[c] = `b-${cells[c]}`;
    return cells.join(',');
  })
  .join('\n');
const firstRow = SAMPLE.split('\n')[1]!.split(',');
const A_CUSTOMER = firstRow[0]!;
const A_SUBSCRIPTION = firstRow[4]!;
const B_CUSTOMER = `b-${A_CUSTOMER}`;
const B_SUBSCRIPTION = `b-${A_SUBSCRIPTION}`;

let issuer: TestIssuer;
let app: Hono<any>;
let tokenA: string;

beforeAll(async () => {
  const { stack, s3, store } = local;
  issuer = await startTestIssuer();
  const { consoleApp } = await import('../../functions/console-api/app.js');
  const { planViews } = await import('../../shared/use-cases/console/plan-views.js');
  app = consoleApp({ now: () => stack.clock.now, planViews, identity: issuer.config, tokenTime: () => TOKEN_TIME });
  tokenA = await issuer.token({ partnerId: A, email: 'ops@a.example', at: TOKEN_TIME });

  for (const [partner, name] of [
    [A, 'Partner A'],
    [B, 'Partner B'],
  ] as const) {
    await store.savePartnerSettings({ ...parseSettings({ name, email: `ops@${partner}.example` }), partner_id: partner });
  }
  stack.clock.now = at('2026-12-01', 6);
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${A}/customers.csv`, Body: SAMPLE }));
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${B}/customers.csv`, Body: B_SAMPLE }));
  await stack.settled();
  stack.clock.now = at('2026-12-02', 9);
}, 120_000);

afterAll(() => issuer?.close());

interface Call {
  token?: string | undefined;
  body?: unknown;
  /** A body sent as it is, with this content type. */
  raw?: { type: string; text: string };
  headers?: Record<string, string>;
}

async function call(method: string, path: string, options: Call = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const token = 'token' in options ? options.token : tokenA;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
  let body: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await app.request(`${API_PREFIX}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expectProblem(res: { status: number; headers: Headers; body: Problem }, status: number, fields?: string[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, type: 'about:blank' });
  expect(res.body.title).toEqual(expect.any(String));
  if (fields) expect(res.body.errors?.map((e) => e.path).sort()).toEqual([...fields].sort());
}

const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/me'],
  ['GET', '/home'],
  ['GET', '/plan'],
  ['GET', `/customers/${A_CUSTOMER}`],
  ['POST', '/status', { changes: [{ kind: 'customer', id: A_CUSTOMER, state: 'sent' }] }],
  ['GET', '/uploads'],
  ['POST', '/uploads', { fileName: 'x.csv', size: 10 }],
  ['GET', '/uploads/0123456789abcdef01234567'],
  ['GET', '/uploads/0123456789abcdef01234567/files/plan.csv'],
  ['GET', '/settings'],
  ['PUT', '/settings', { name: 'Taken over' }],
];

describe('who may call the API', () => {
  const badTokens: [what: string, make: () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['a token of another key', () => issuer.token({ partnerId: A, at: TOKEN_TIME, key: 'stranger' })],
    ['a token of another issuer', () => issuer.token({ partnerId: A, at: TOKEN_TIME, claims: { iss: 'https://elsewhere.example' } })],
    ['a token for another client', () => issuer.token({ partnerId: A, at: TOKEN_TIME, claims: { aud: 'another-client' } })],
    ['an expired token', () => issuer.token({ partnerId: A, at: new Date(TOKEN_TIME.getTime() - 2 * 3_600_000) })],
    ['an access token', () => issuer.token({ partnerId: A, at: TOKEN_TIME, claims: { token_use: 'access' } })],
    ['a token naming no partner', () => issuer.token({ at: TOKEN_TIME })],
    ['a token naming a partner id no partner can have', () => issuer.token({ partnerId: '../b', at: TOKEN_TIME })],
    ['a token without an e-mail', () => issuer.token({ partnerId: A, at: TOKEN_TIME, claims: { email: undefined } })],
    ['a token that is not a JWT', async () => 'not-a-token'],
  ];

  it.each(badTokens)('answers 401 to %s, on every route, and changes nothing', async (_what, make) => {
    const token = await make();
    for (const [method, path, body] of ROUTES) {
      const res = await call(method, path, { token, body });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await local.store.partnerSettings(A))?.name).toBe('Partner A');
    expect(await local.store.statusEvents(A, { kind: 'customer', id: A_CUSTOMER })).toEqual([]);
  });

  it('answers 401 to a header that is not a bearer token', async () => {
    const res = await call('GET', '/me', { token: undefined, headers: { authorization: 'Basic b3BzOnNlY3JldA==' } });
    expectProblem(res, 401);
  });

  it("answers 500 without internals when the issuer's keys cannot be had", async () => {
    const { consoleApp } = await import('../../functions/console-api/app.js');
    const { planViews } = await import('../../shared/use-cases/console/plan-views.js');
    const keyless = consoleApp({
      now: () => local.stack.clock.now,
      planViews,
      identity: { ...issuer.config, jwksUrl: 'http://127.0.0.1:9/jwks.json' },
      tokenTime: () => TOKEN_TIME,
    });
    const res = await keyless.request(`${API_PREFIX}/me`, { headers: { authorization: `Bearer ${tokenA}` } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request could not be completed; try again.',
    });
  });

  it('knows the user and the partner from a valid ID token', async () => {
    const res = await call('GET', '/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ email: 'ops@a.example', partnerId: A, partnerName: 'Partner A' });
  });
});

describe('what the API refuses at its edge', () => {
  it('names each bad query parameter of the plan', async () => {
    const res = await call('GET', '/plan?risk=at_risk,bogus&size=0&sort=price&move_from=2027-02-01&partner=p-console-b');
    expectProblem(res, 400, ['partner', 'risk.1', 'size', 'sort']);
    // A range is checked once its ends are dates.
    expectProblem(await call('GET', '/plan?move_from=2027-02-01&move_to=2027-01-01'), 400, ['move_to']);
    expectProblem(await call('GET', '/plan?invite_from=2027-02-31'), 400, ['invite_from']);
  });

  it('names each bad field of a status change, and wants JSON', async () => {
    const bad = await call('POST', '/status', {
      body: {
        changes: [
          { kind: 'customer', id: A_CUSTOMER, state: 'done' },
          { kind: 'subscription', id: '', state: 'done', partner: B },
        ],
      },
    });
    expectProblem(bad, 400, ['changes.0.state', 'changes.1.id', 'changes.1.partner']);
    expectProblem(await call('POST', '/status', { body: { changes: [] } }), 400, ['changes']);
    const many = Array.from({ length: MAX_CHANGES + 1 }, (_, i) => ({ kind: 'customer', id: `c-${i}`, state: 'sent' }));
    expectProblem(await call('POST', '/status', { body: { changes: many } }), 400, ['changes']);
    expectProblem(await call('POST', '/status', { raw: { type: 'text/plain', text: '{}' } }), 415);
    expectProblem(await call('POST', '/status', { raw: { type: 'application/json', text: '{"changes": [' } }), 400);
  });

  it('refuses a body larger than it takes with 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(300 * 1024) });
    expectProblem(await call('PUT', '/settings', { raw: { type: 'application/json', text: huge } }), 413);
  });

  it('answers 404 to an unknown route and 405, with Allow, to a method a route has not', async () => {
    expectProblem(await call('GET', '/nothing-here'), 404);
    const del = await call('DELETE', '/settings');
    expectProblem(del, 405);
    expect(del.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'PUT']);
  });

  it('names the fields of an upload it cannot take: not a CSV, not a plain name, too large', async () => {
    expectProblem(await call('POST', '/uploads', { body: { fileName: 'plan.xlsx', size: 0 } }), 400, ['fileName', 'size']);
    expectProblem(await call('POST', '/uploads', { body: { fileName: `../${B}/customers.csv`, size: 10 } }), 422, ['fileName']);
    expectProblem(await call('POST', '/uploads', { body: { fileName: '.hidden.csv', size: 10 } }), 422, ['fileName']);
    expectProblem(await call('POST', '/uploads', { body: { fileName: 'big.csv', size: MAX_UPLOAD_BYTES + 1 } }), 422, ['size']);
  });

  it('names each bad setting beside its key, and stores none of them', async () => {
    const res = await call('PUT', '/settings', { body: { name: 'Changed', daily_capacity: 0, timezone: 'Mars/Olympus', invite_lead: 3 } });
    expectProblem(res, 422, ['daily_capacity', 'invite_lead', 'timezone']);
    expect((await local.store.partnerSettings(A))?.name).toBe('Partner A');
  });
});

describe('the plan', () => {
  const rowsOf = SAMPLE.trim().split('\n').length - 1;

  it('shows this week at a glance, as of the partner today', async () => {
    const res = await call('GET', '/home');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      today: '2026-12-02',
      week: { start: '2026-11-30', end: '2026-12-06' },
      plan: { plannedAt: at('2026-12-01', 6).toISOString(), updating: false },
      dailyCapacity: 20,
    });
    expect(res.body.weeks.length).toBeGreaterThan(0);
  });

  it('pages the plan, filtered and sorted on the server', async () => {
    const first = await call('GET', '/plan?size=5&sort=customer');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, size: 5 });
    expect(first.body.rows).toHaveLength(5);
    expect(first.body.total).toBeLessThanOrEqual(rowsOf);
    expect(first.body.total).toBeGreaterThan(5);
    const names = first.body.rows.map((r: { customerName: string }) => r.customerName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const one = await call('GET', `/plan?q=${A_CUSTOMER}&size=200`);
    expect(one.body.rows.length).toBeGreaterThan(0);
    expect(one.body.rows.every((r: { customerId: string }) => r.customerId === A_CUSTOMER)).toBe(true);
  });

  it('shows a customer with its subscriptions', async () => {
    const res = await call('GET', `/customers/${A_CUSTOMER}`);
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({ customerId: A_CUSTOMER, customerName: 'Contoso Ltd', invitation: 'not_sent' });
    expect(res.body.subscriptions.map((r: { subscriptionId: string }) => r.subscriptionId)).toContain(A_SUBSCRIPTION);
    expect(res.body.history).toEqual([]);
    expectProblem(await call('GET', '/customers/no-such-customer'), 404);
  });
});

describe("a partner's data only", () => {
  const eventsOf = (partner: string, kind: 'customer' | 'subscription', id: string) => local.store.statusEvents(partner, { kind, id });

  it("does not find another partner's customer, nor list it", async () => {
    expectProblem(await call('GET', `/customers/${B_CUSTOMER}`), 404);
    expect((await call('GET', `/plan?q=${B_CUSTOMER}`)).body).toMatchObject({ rows: [], total: 0 });
  });

  it("changes nothing when a change names another partner's customer or subscription, its own included", async () => {
    const beforeB = await local.store.trackedRecords(B, [
      { kind: 'customer', id: B_CUSTOMER },
      { kind: 'subscription', id: B_SUBSCRIPTION },
    ]);
    const beforeA = await local.store.trackedRecord(A, { kind: 'customer', id: A_CUSTOMER });
    for (const changes of [
      [{ kind: 'customer', id: B_CUSTOMER, state: 'accepted' }],
      [{ kind: 'subscription', id: B_SUBSCRIPTION, state: 'excluded', reason: 'not ours' }],
      [
        { kind: 'customer', id: A_CUSTOMER, state: 'sent' },
        { kind: 'subscription', id: B_SUBSCRIPTION, state: 'provisioned' },
      ],
    ]) {
      expectProblem(await call('POST', '/status', { body: { changes } }), 404);
    }
    expect(
      await local.store.trackedRecords(B, [
        { kind: 'customer', id: B_CUSTOMER },
        { kind: 'subscription', id: B_SUBSCRIPTION },
      ]),
    ).toEqual(beforeB);
    expect(await local.store.trackedRecord(A, { kind: 'customer', id: A_CUSTOMER })).toEqual(beforeA);
    expect(await eventsOf(B, 'customer', B_CUSTOMER)).toEqual([]);
    expect(await eventsOf(B, 'subscription', B_SUBSCRIPTION)).toEqual([]);
    expect(await eventsOf(A, 'customer', A_CUSTOMER)).toEqual([]);
  });

  it("lists only its own uploads, and does not find another partner's upload or its files", async () => {
    const mine = await call('GET', '/uploads');
    expect(mine.status).toBe(200);
    expect((mine.body as UploadView[]).map((u) => u.key)).toEqual([`uploads/${A}/customers.csv`]);
    const [theirs] = await collect(local.store.uploads(B));
    expect(theirs?.status).toBe('planned');
    expectProblem(await call('GET', `/uploads/${theirs!.uploadId}`), 404);
    for (const file of ['plan.csv', 'errors.csv', 'report.html']) {
      expectProblem(await call('GET', `/uploads/${theirs!.uploadId}/files/${file}`), 404);
    }
    // The same question from B's own user is answered.
    const tokenB = await issuer.token({ partnerId: B, at: TOKEN_TIME });
    expect((await call('GET', `/uploads/${theirs!.uploadId}`, { token: tokenB })).status).toBe(200);
  });

  it("stores the settings under the token's partner, and refuses a body naming another", async () => {
    const other = await call('PUT', '/settings', { body: { partner_id: B, name: 'Mine now' } });
    expectProblem(other, 422, ['partner_id']);
    expect((await local.store.partnerSettings(B))?.name).toBe('Partner B');

    const own = await call('PUT', '/settings', {
      body: { partner_id: A, name: 'Partner A', email: 'ops@p-console-a.example', daily_capacity: 25 },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ partner_id: A, daily_capacity: 25, timezone: 'UTC' });
    expect(await local.store.partnerSettings(A)).toMatchObject({ partner_id: A, daily_capacity: 25 });
    expect((await call('GET', '/settings')).body).toMatchObject({ partner_id: A, name: 'Partner A', daily_capacity: 25 });
  });
});

describe('status changes', () => {
  it('refuses a selection with one change that may not be made, naming it, and makes none', async () => {
    const res = await call('POST', '/status', {
      body: {
        changes: [
          { kind: 'customer', id: A_CUSTOMER, state: 'sent' },
          { kind: 'subscription', id: A_SUBSCRIPTION, state: 'provisioned', on: '2027-06-01' },
        ],
      },
    });
    expectProblem(res, 422, ['changes.1']);
    expect(await local.store.statusEvents(A, { kind: 'customer', id: A_CUSTOMER })).toEqual([]);
  });

  it('refuses two changes of one subject in one request', async () => {
    const twice = [
      { kind: 'customer', id: A_CUSTOMER, state: 'sent' },
      { kind: 'customer', id: A_CUSTOMER, state: 'accepted' },
    ];
    expectProblem(await call('POST', '/status', { body: { changes: twice } }), 422, ['changes.1']);
  });

  it('records a selection by the signed-in user, from the console, and shows it at once', async () => {
    const res = await call('POST', '/status', {
      body: {
        changes: [
          { kind: 'customer', id: A_CUSTOMER, state: 'accepted', on: '2026-12-01' },
          { kind: 'subscription', id: A_SUBSCRIPTION, state: 'excluded', reason: 'moved by the customer' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { kind: 'customer', id: A_CUSTOMER, state: 'accepted', recorded: true },
      { kind: 'subscription', id: A_SUBSCRIPTION, state: 'excluded', recorded: true },
    ]);
    const [event] = await local.store.statusEvents(A, { kind: 'customer', id: A_CUSTOMER });
    expect(event).toMatchObject({ source: 'api', by: 'ops@a.example', effective: '2026-12-01', state: 'accepted' });
    expect(await local.store.trackedRecord(A, { kind: 'subscription', id: A_SUBSCRIPTION })).toMatchObject({
      subscription: { state: 'excluded' },
    });

    // The plan lists it at once, and says its counts follow at the re-plan.
    const page = await call('GET', `/plan?q=${A_SUBSCRIPTION}`);
    expect(page.body.rows).toEqual([
      expect.objectContaining({ subscriptionId: A_SUBSCRIPTION, customerId: A_CUSTOMER, invitation: 'accepted', state: 'excluded' }),
    ]);
    expect(page.body.plan).toEqual({ plannedAt: at('2026-12-01', 6).toISOString(), updating: true });
    // So does the customer's page, with the history newest first.
    const customer = await call('GET', `/customers/${A_CUSTOMER}`);
    expect(customer.body.customer).toMatchObject({ customerId: A_CUSTOMER, invitation: 'accepted' });
    expect(customer.body.subscriptions.find((r: { subscriptionId: string }) => r.subscriptionId === A_SUBSCRIPTION).state).toBe('excluded');
    expect(customer.body.history.map((e: { subject: { id: string }; state: string }) => [e.subject.id, e.state])).toEqual([
      [A_SUBSCRIPTION, 'excluded'],
      [A_CUSTOMER, 'accepted'],
    ]);
    expect(customer.body.history[0]).toMatchObject({ source: 'api', by: 'ops@a.example', reason: 'moved by the customer' });

    // The same again records nothing.
    const again = await call('POST', '/status', { body: { changes: [{ kind: 'customer', id: A_CUSTOMER, state: 'accepted' }] } });
    expect(again.body.results).toEqual([{ kind: 'customer', id: A_CUSTOMER, state: 'accepted', recorded: false }]);
  });
});

describe('uploads', () => {
  it('lists an upload with when it was made, and its problems as rows', async () => {
    const [upload] = (await call('GET', `/uploads?key=${encodeURIComponent(`uploads/${A}/customers.csv`)}`)).body as UploadView[];
    expect(upload).toMatchObject({ fileName: 'customers.csv', status: 'planned', uploadedAt: at('2026-12-01', 6).toISOString() });
    expect(upload!.files).toEqual(['plan.csv', 'errors.csv', 'report.html']);
    const detail = (await call('GET', `/uploads/${upload!.uploadId}`)).body as UploadDetail;
    expect(detail.upload).toEqual(upload);
    expect(detail.errors.columns).toEqual(['row', 'column', 'value', 'code', 'message']);
    expect(detail.errors.total).toBe(detail.errors.rows.length);
    expectProblem(await call('GET', '/uploads?other=1'), 400, ['other']);
  });

  it('gives a download link of minutes that saves the file', async () => {
    const [upload] = (await call('GET', '/uploads')).body as UploadView[];
    const link = await call('GET', `/uploads/${upload!.uploadId}/files/plan.csv`);
    expect(link.status).toBe(200);
    const url = new URL(link.body.url);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-plan\.csv"/);
    expect(await file.text()).toContain('subscription_id');
    expectProblem(await call('GET', `/uploads/${upload!.uploadId}/files/secrets.txt`), 404);
  });

  it('signs a POST for exactly the partner upload key, 1 byte to the limit, for minutes; the posted file is planned', async () => {
    const res = await call('POST', '/uploads', { body: { fileName: 'second upload.csv', size: SAMPLE.length } });
    expect(res.status).toBe(200);
    const form = res.body as NewUpload;
    // The name stamped with the time: a key of its own, so the page follows this upload and no earlier one of the name.
    const stamp = local.stack.clock.now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    expect(form.key).toBe(`uploads/${A}/second upload-${stamp}.csv`);
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([['eq', '$key', form.key], ['content-length-range', 1, MAX_UPLOAD_BYTES], { key: form.key }]),
    );
    expect(policy.conditions.filter((c: unknown) => Array.isArray(c) && c[0] === 'starts-with')).toEqual([]);
    expect(policy.expiration).toBe(form.expiresAt);
    const minutes =
      (Date.parse(policy.expiration) -
        Date.parse(`${form.fields['X-Amz-Date']!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')}`)) /
      60_000;
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThanOrEqual(15);

    // The browser's post: the fields, then the file.
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append('file', new Blob([SAMPLE], { type: 'text/csv' }), 'second upload.csv');
    const posted = await fetch(form.url, { method: 'POST', body });
    expect(posted.status).toBe(204);
    await local.stack.settled();

    const [upload] = (await call('GET', `/uploads?key=${encodeURIComponent(form.key)}`)).body as UploadView[];
    expect(upload).toMatchObject({ fileName: `second upload-${stamp}.csv`, status: 'planned', key: form.key });
  });
});

describe('behind API Gateway', () => {
  it('answers an HTTP API event as the app answers the request', async () => {
    const { handle } = await import('hono/aws-lambda');
    const lambda = handle(app);
    const event = (path: string, token?: string) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: 'risk=at_risk&risk=lapsed',
      headers: { host: 'console.example', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, stage: '$default' },
    });
    const me = await lambda(event(`${API_PREFIX}/me`, tokenA) as any);
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ partnerId: A });
    expect(me.headers?.['cache-control']).toBe('no-store');
    const anonymous = await lambda(event(`${API_PREFIX}/plan`) as any);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers?.['content-type']).toBe('application/problem+json');
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
