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

/** The hour (UTC) of the simulated upload and of the scheduled runs each day. */
const UPLOAD_HOUR = 6;
const SCHEDULE_HOUR = 7;

export async function runDemo(options: DemoOptions, now = new Date()): Promise<number> {
  const settings = withDemoDefaults(options.config ? await loadSettingsFile(options.config) : parseSettings({}));
  const partnerId = settings.partner_id;
  const start = options.today ? isoToDay(options.today) : todayIn(settings.timezone, now);
  const dataDir = await mkdtemp(join(tmpdir(), 'cspmove-demo-'));
  const stack = await startLocalStack({ dataDir });
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

    for (let d = 0; d < options.days; d++) {
      const day = start + d;
      await stack.runSchedules(at(day, SCHEDULE_HOUR));
      await collect(stack, emails, raw, dayToIso(day), 'daily', settings.email);
    }

    const saved = await saveOutputs(s3, options.out, partnerId, upload.uploadId, raw);
    s3.destroy();
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ planned: Number(upload.planned ?? 0), rejected: Number(upload.rejected ?? 0), items, emails })}\n`,
      );
      return 0;
    }
    say(`Simulated ${options.days} days from ${dayToIso(start)} to ${dayToIso(start + options.days - 1)}: ${emails.length} e-mails.`);
    for (const e of emails) say(`  ${e.date}  ${e.kind.padEnd(10)} ${e.subject}`);
    say(`Report: ${saved.report} (with plan.csv and errors.csv); e-mails: ${saved.emails}`);
    say('The local AWS stops now. For one that keeps running, with a web inbox, run: npx cspmove serve');
    return 0;
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
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

/** Attributes each new e-mail in the emulator to the simulated day and step that sent it. */
async function collect(
  stack: LocalStack,
  emails: DemoEmail[],
  raw: SentEmail[],
  date: string,
  step: 'report' | 'daily',
  partnerEmail: string,
): Promise<void> {
  const all = await listSentEmails(stack.aws);
  for (const mail of all.slice(raw.length)) {
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
