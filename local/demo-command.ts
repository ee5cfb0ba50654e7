/**
 * `cspmove demo` (= `npm start`): the whole pipeline on the embedded AWS. Uploads a CSV for a
 * partner, waits for the plan, then runs the daily and weekly schedules for each simulated day
 * and reports every e-mail the SES emulator received, by simulated day.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dayToIso, isoToDay, todayIn } from '../shared/domain/dates.js';
import { type PartnerSettings, parseSettings } from '../shared/domain/partner-settings.js';
import { REPORT_FILES, reportKey, uploadKey } from '../shared/storage/bucket-layout.js';
import type { UploadRecord } from '../shared/storage/plan-store.js';
import { listSentEmails, type SentEmail } from './aws/local-aws.js';
import { loadSettingsFile } from './settings-file.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from './stack.js';

export interface DemoOptions {
  csv: string;
  config?: string | undefined;
  today?: string | undefined;
  days: number;
  json?: boolean | undefined;
  out: string;
  /**
   * Some customers accept their invitations on later simulated days, and the partner records each
   * move provisioned on its day: both by the links in the digests.
   */
  simulateAcceptances?: boolean | undefined;
  /**
   * Then keep the stack running with the partner console on this port, a demo user signed up, until
   * Ctrl-C (`npm start`). No console when absent.
   */
  consolePort?: number | undefined;
  /**
   * With a console: called with it instead of waiting for Ctrl-C; the stack stops once it resolves
   * (`npm run screenshots` photographs the console on the demo's plan).
   */
  whileServing?: ((demo: DemoConsole) => Promise<void>) | undefined;
}

/** The running console on the demo's plan, and its user. */
export interface DemoConsole {
  url: string;
  email: string;
  password: string;
  stack: LocalStack;
}

/** A move the simulated partner recorded as provisioned, by its digest's "Provisioned" link. */
export interface DemoProvision {
  date: string;
  subscriptionId: string;
  customerName: string;
  offer: string;
  seats: number;
}

/** A simulated acceptance: a click on a digest's "Accepted" link and its confirmation. */
export interface DemoAcceptance {
  date: string;
  customerId: string;
  customerName: string;
}

export interface DemoEmail {
  date: string;
  kind: 'report' | 'daily' | 'weekly' | 'invitation';
  to: string[];
  subject: string;
}

export const DEMO_PARTNER = {
  partner_id: 'demo-partner',
  name: 'Demo Partner Ltd',
  email: 'partner@demo-partner.example',
  reseller_link:
    'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=00000000-0000-0000-0000-000000000000' +
    '#/BillingAccounts/partner-invitation',
} as const;

/** The hour (UTC) of the simulated upload, of the scheduled runs each day, and of the simulated clicks. */
const UPLOAD_HOUR = 6;
const SCHEDULE_HOUR = 7;
const ACCEPT_HOUR = 12;

export async function runDemo(options: DemoOptions, now = new Date()): Promise<number> {
  const settings = withDemoDefaults(options.config ? await loadSettingsFile(options.config) : parseSettings({}));
  const partnerId = settings.partner_id;
  const start = options.today ? isoToDay(options.today) : todayIn(settings.timezone, now);
  const dataDir = await mkdtemp(join(tmpdir(), 'cspmove-demo-'));
  const stack = await startLocalStack({ dataDir, consolePort: options.json ? undefined : options.consolePort });
  const say = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  try {
    say(`Local AWS started: DynamoDB ${stack.aws.endpoints.dynamodb}, S3 ${stack.aws.endpoints.s3}, SES ${stack.aws.endpoints.ses}`);
    const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
    await planStore.savePartnerSettings(settings);

    const key = uploadKey(partnerId, basename(options.csv));
    stack.clock.now = at(start, UPLOAD_HOUR);
    const s3 = new S3Client(stack.aws.clientConfig('s3'));
    await s3.send(
      new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key, Body: await readFile(options.csv), ContentType: 'text/csv' }),
    );
    await stack.settled();
    const emails: DemoEmail[] = [];
    const raw: SentEmail[] = [];
    await collect(stack, emails, raw, dayToIso(start), 'report', settings.email);

    const uploads: UploadRecord[] = [];
    for await (const record of planStore.uploads(partnerId)) uploads.push(record);
    const upload = uploads.find((u) => u.key === key);
    if (!upload || upload.status === 'failed' || upload.status === 'processing') {
      throw new Error(`The upload was not planned (status ${String(upload?.status ?? 'missing')}).`);
    }
    const items = (await planStore.trackedPlan(partnerId)).subscriptions.length;
    const outcome =
      upload.status === 'rejected'
        ? `rejected (${String(upload.code)}): ${String(upload.message)}`
        : `planned ${String(upload.planned)} rows, rejected ${String(upload.rejected)}; ${items} subscription plans in DynamoDB.`;
    say(`Uploaded ${options.csv} as s3://${LOCAL_NAMES.bucket}/${key}: ${outcome}`);

    const customers = new SimulatedCustomers();
    const acceptances: DemoAcceptance[] = [];
    const provisions: DemoProvision[] = [];
    for (let d = 0; d < options.days; d++) {
      const day = start + d;
      await stack.runSchedules(at(day, SCHEDULE_HOUR));
      const sent = await collect(stack, emails, raw, dayToIso(day), 'daily', settings.email);
      if (!options.simulateAcceptances) continue;
      for (const mail of sent) customers.invited(mail, day);
      stack.clock.now = at(day, ACCEPT_HOUR);
      for (const { url, customerId } of customers.acceptingOn(day)) {
        await click(url);
        const record = await planStore.trackedRecord(partnerId, { kind: 'customer', id: customerId });
        acceptances.push({
          date: dayToIso(day),
          customerId,
          customerName: record?.kind === 'customer' ? record.customer.customerName : customerId,
        });
      }
      // The partner provisions today's moves, and says so by each row's link.
      for (const url of sent.flatMap((mail) => actionLinks(mail, 'Provisioned'))) {
        await click(url);
        const subscriptionId = claimedId(url);
        const record = await planStore.trackedRecord(partnerId, { kind: 'subscription', id: subscriptionId });
        if (record?.kind !== 'subscription') continue;
        const { customerName, targetOffer, seats } = record.subscription;
        provisions.push({ date: dayToIso(day), subscriptionId, customerName, offer: targetOffer, seats });
      }
    }

    const saved = await saveOutputs(s3, options.out, partnerId, upload.uploadId, raw);
    s3.destroy();
    if (options.json) {
      const result = { planned: Number(upload.planned ?? 0), rejected: Number(upload.rejected ?? 0), items, emails };
      process.stdout.write(`${JSON.stringify(options.simulateAcceptances ? { ...result, acceptances, provisions } : result)}\n`);
      return 0;
    }
    say(`Simulated ${options.days} days from ${dayToIso(start)} to ${dayToIso(start + options.days - 1)}: ${emails.length} e-mails.`);
    const timeline = [
      ...emails.map((e) => ({ date: e.date, line: `${e.kind.padEnd(11)} ${e.subject}` })),
      ...acceptances.map((a) => ({
        date: a.date,
        line: `${'accepted'.padEnd(11)} ${a.customerName} accepted the invitation (simulated: its "Accepted" link)`,
      })),
      ...provisions.map((p) => ({
        date: p.date,
        line: `${'provisioned'.padEnd(11)} ${p.offer} × ${p.seats} for ${p.customerName} (simulated: its "Provisioned" link)`,
      })),
    ];
    // Stable: on a day, the e-mails (sent in the morning) come before the clicks.
    for (const entry of timeline.sort((a, b) => a.date.localeCompare(b.date))) say(`  ${entry.date}  ${entry.line}`);
    say(`Report: ${saved.report} (with plan.csv and errors.csv); e-mails: ${saved.emails}`);
    if (stack.console) return await serveConsole(stack, partnerId, start + options.days - 1, say, options.whileServing);
    say('The local AWS stops now. For one that keeps running, with a web inbox, run: npx cspmove serve');
    return 0;
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The demo's console user: an operations person of the demo partner. */
export const DEMO_USER = 'ops@demo-partner.example';

/**
 * The console on the demo's plan, until Ctrl-C: a user of the demo partner to sign in as, and the
 * clock running on from the last simulated day, so what a user records comes after the plan.
 */
async function serveConsole(
  stack: LocalStack,
  partnerId: string,
  lastDay: number,
  say: (line: string) => void,
  whileServing: DemoOptions['whileServing'],
): Promise<number> {
  const added = await stack.console!.users.addUser(partnerId, DEMO_USER);
  const password = added.outcome === 'added' && added.delivery.kind === 'password' ? added.delivery.password : undefined;
  const from = at(lastDay, ACCEPT_HOUR + 1).getTime();
  const started = Date.now();
  Object.defineProperty(stack.clock, 'now', { get: () => new Date(from + (Date.now() - started)), configurable: true });
  // The last day's clicks asked for a re-plan, and so does each change a user records: run them, as
  // Lambda would, or the console says "the plan is updating" for good.
  await stack.drainWork();
  stack.pollWork();
  say('');
  say(`The partner console: ${stack.console!.url}/`);
  say(`  Sign in as ${DEMO_USER}${password ? `, password ${password}` : ''} (made for this run).`);
  say(`  It shows the demo partner's plan as of ${dayToIso(lastDay)}, the last simulated day; the e-mails' links open it too.`);
  if (whileServing) {
    if (!password) throw new Error(`The demo user ${DEMO_USER} was not made with a password.`);
    await whileServing({ url: stack.console!.url, email: DEMO_USER, password, stack });
  } else {
    say('Stop with Ctrl-C.');
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
  }
  await stack.settled().catch(() => undefined);
  return 0;
}

function withDemoDefaults(settings: PartnerSettings): PartnerSettings & { partner_id: string; email: string } {
  return {
    ...settings,
    partner_id: settings.partner_id ?? DEMO_PARTNER.partner_id,
    name: settings.name ?? DEMO_PARTNER.name,
    email: settings.email ?? DEMO_PARTNER.email,
    reseller_link: settings.reseller_link ?? DEMO_PARTNER.reseller_link,
  };
}

function at(day: number, hour: number): Date {
  return new Date(day * 86_400_000 + hour * 3_600_000);
}

/**
 * Which customers accept, and when: a fixed choice by customer id, so every run tells the same
 * story. One in four never accepts (its moves stay blocked); the others accept two to eight days
 * after the first digest that asks for their invitation, by clicking that digest's link.
 */
class SimulatedCustomers {
  private readonly pending = new Map<string, { url: string; on: number }>();
  private readonly seen = new Set<string>();

  invited(mail: SentEmail, day: number): void {
    for (const url of actionLinks(mail, 'Accepted')) {
      const customerId = claimedId(url);
      if (this.seen.has(customerId)) continue;
      this.seen.add(customerId);
      const hash = [...customerId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
      if (hash % 4 !== 0) this.pending.set(customerId, { url, on: day + 2 + (hash % 7) });
    }
  }

  acceptingOn(day: number): { url: string; customerId: string }[] {
    const due = [...this.pending].filter(([, p]) => p.on === day);
    for (const [id] of due) this.pending.delete(id);
    return due.map(([customerId, p]) => ({ url: p.url, customerId }));
  }
}

/** The links of a digest with this label. */
function actionLinks(mail: SentEmail, label: string): string[] {
  return [...(mail.html ?? '').matchAll(new RegExp(`<a href="([^"]+)"[^>]*>${label}</a>`, 'g'))].map(([, href]) =>
    href!.replaceAll('&amp;', '&'),
  );
}

/** The customer or subscription id a link's token names (read, not verified: the endpoint verifies it). */
function claimedId(url: string): string {
  const token = new URL(url).searchParams.get('t') ?? '';
  return String((JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { i?: unknown }).i);
}

/** What a click does: open the link (its confirmation page), then press its button. */
async function click(url: string): Promise<void> {
  const page = await fetch(url);
  await page.arrayBuffer();
  const token = new URL(url).searchParams.get('t') ?? '';
  const done = await fetch(url, { method: 'POST', body: new URLSearchParams({ token }) });
  await done.arrayBuffer();
  if (!page.ok || !done.ok) throw new Error(`A link in the demo's digest was refused (${page.status}, ${done.status}).`);
}

/** Attributes each new e-mail in the emulator to the simulated day and step that sent it. */
async function collect(
  stack: LocalStack,
  emails: DemoEmail[],
  raw: SentEmail[],
  date: string,
  step: 'report' | 'daily',
  partnerEmail: string,
): Promise<SentEmail[]> {
  const all = await listSentEmails(stack.aws);
  const fresh = all.slice(raw.length);
  for (const mail of fresh) {
    raw.push(mail);
    const toPartner = mail.to.includes(partnerEmail);
    const kind: DemoEmail['kind'] = !toPartner
      ? 'invitation'
      : step === 'report'
        ? 'report'
        : /weekly/i.test(mail.subject)
          ? 'weekly'
          : 'daily';
    emails.push({ date, kind, to: mail.to, subject: mail.subject });
  }
  return fresh.filter((mail) => mail.to.includes(partnerEmail));
}

async function saveOutputs(s3: S3Client, out: string, partnerId: string, uploadId: string, mails: SentEmail[]) {
  await mkdir(join(out, 'emails'), { recursive: true });
  for (const name of REPORT_FILES) {
    const object = await s3
      .send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: reportKey(partnerId, uploadId, name) }))
      .catch(() => undefined);
    if (object?.Body) await writeFile(join(out, name), await object.Body.transformToByteArray());
  }
  let n = 0;
  for (const mail of mails) {
    n++;
    const file = `${String(n).padStart(3, '0')}-${mail.subject.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.html`;
    await writeFile(
      join(out, 'emails', file),
      mail.html ?? `<pre>${(mail.text ?? '').replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`,
    );
  }
  return { report: join(out, 'report.html'), emails: join(out, 'emails') };
}
