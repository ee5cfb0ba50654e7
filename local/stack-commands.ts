/** `serve`, `upload`, `remind` and `partner`: the stack kept running, and driving it by hand. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { REPLAN_DELAY_SECONDS } from '../shared/config/service.js';
import { dayToIso, isoToDay } from '../shared/domain/dates.js';
import { isDigestDay, nextDigestDay } from '../shared/domain/reminders.js';
import { count, plural } from '../shared/domain/words.js';
import { reportPrefix, uploadKey } from '../shared/storage/bucket-layout.js';
import { loadSettingsFile } from './settings-file.js';
import { startLocalStack } from './stack.js';
import { ENDPOINTS_FILE, LOCAL_DIR, saveEndpoints, useTarget } from './target.js';
import { localUsersFile } from './users/local-user-directory.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function serve(options: { dataDir: string; actionsPort: number; awsPort: number; consolePort: number }): Promise<number> {
  // A live clock: uploads and action links see the real time while the stack keeps running.
  const clock = {
    get now() {
      return new Date();
    },
  };
  const stack = await startLocalStack({
    dataDir: resolve(options.dataDir),
    actionsPort: options.actionsPort,
    awsPort: options.awsPort,
    consolePort: options.consolePort,
    clock,
    // Status changes are planned again a minute later, as on AWS.
    replanDelaySeconds: REPLAN_DELAY_SECONDS,
    pollWork: true,
    onActivity: (line) => out(`${new Date().toISOString().slice(11, 19)}  ${line}`),
  });
  await saveEndpoints(stack, stack.linkKeyFile!, localUsersFile(resolve(options.dataDir)));
  out(`Local AWS is running (data in ${options.dataDir}/, kept between runs):`);
  out(`  DynamoDB  ${stack.aws.endpoints.dynamodb}`);
  out(`  S3        ${stack.aws.endpoints.s3}   (uploads/{partnerId}/*.csv trigger the plan function)`);
  out(`  SES       ${stack.aws.endpoints.ses}`);
  out(`  SQS       ${stack.aws.endpoints.sqs}   (the partners' work queue: re-plans after status changes)`);
  out(`  Inbox     ${stack.aws.sesInboxUrl}   (open it in a browser: every e-mail sent)`);
  out(`  Actions   ${stack.actionsUrl}   (the one-click links in the digests)`);
  out(`  Console   ${stack.console!.url}/   (the partner console: sign in as a user of \`npx cspmove user add\`)`);
  out(
    'In another terminal: npx cspmove partner put --config partner.json, npx cspmove user add --partner ID --email E, ' +
      'npx cspmove upload FILE.csv --partner ID, npx cspmove remind',
  );
  out('Stop with Ctrl-C.');
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stack.settled().catch(() => undefined);
  await stack.stop();
  const { rm } = await import('node:fs/promises');
  await rm(ENDPOINTS_FILE, { force: true });
  out('Local AWS stopped.');
  return 0;
}

export async function upload(file: string, options: { partner: string; wait: boolean }): Promise<number> {
  const target = await useTarget();
  const { clientConfig, resourceNames } = await import('../shared/aws/client-config.js');
  const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
  if (!(await planStore.partnerSettings(options.partner))) {
    process.stderr.write(
      `cspmove: no partner "${options.partner}" on ${target.description}: store it first with \`npx cspmove partner put --config FILE\`.\n`,
    );
    return 2;
  }
  const key = uploadKey(options.partner, basename(file));
  const body = await readFile(file);
  const { uploadIdOf } = await import('../shared/use-cases/plan-upload.js');
  if (target.kind === 'local') {
    // The local S3 keeps no versions: the same bytes under the same name are the same object, so
    // the same upload (planned once). On AWS the bucket is versioned and every put is a new upload.
    const eTag = createHash('md5').update(body).digest('hex');
    const earlier = await planStore.findUpload({
      partnerId: options.partner,
      uploadId: uploadIdOf({ bucket: resourceNames().bucket, key, versionId: undefined, eTag }),
    });
    if (earlier) {
      out(
        `${file} was uploaded before, with the same content (${earlier.status}: ` +
          `${earlier.status === 'planned' ? `${String(earlier.planned)} rows planned` : (earlier.message ?? earlier.error ?? '')}): ` +
          'the local stack plans the same bytes under the same name once. Change the file or its name to plan it again.',
      );
      return 0;
    }
  }
  const s3 = new S3Client(clientConfig());
  const result = await s3.send(new PutObjectCommand({ Bucket: resourceNames().bucket, Key: key, Body: body, ContentType: 'text/csv' }));
  s3.destroy();
  out(`Uploaded ${file} to s3://${resourceNames().bucket}/${key} on ${target.description}.`);
  if (!options.wait) return 0;
  const uploadId = uploadIdOf({ bucket: resourceNames().bucket, key, versionId: result.VersionId, eTag: result.ETag });
  for (let waited = 0; waited < 300_000; waited += 250) {
    const record = await planStore.findUpload({ partnerId: options.partner, uploadId });
    if (record && record.status !== 'processing') {
      if (record.status === 'planned')
        out(
          `Planned ${String(record.planned)} rows, rejected ${String(record.rejected)}: ` +
            `reports in s3://${resourceNames().bucket}/${reportPrefix(options.partner, uploadId)}`,
        );
      else out(`Not planned (${record.status}${record.code ? `: ${record.code}` : ''}): ${record.message ?? record.error ?? ''}`);
      return record.status === 'planned' ? 0 : 2;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  out('The plan is not ready after 5 minutes; check the stack.');
  return 1;
}

export async function remind(options: { date?: string | undefined }): Promise<number> {
  const target = await useTarget();
  const time = options.date ? new Date(isoToDay(options.date) * 86_400_000 + 7 * 3_600_000) : new Date();
  // Here, one partner after another: what the scheduled runs queue, run at once by hand.
  const { runDailyReminders } = await import('../shared/use-cases/daily-reminders.js');
  const { runWeeklyDigest } = await import('../shared/use-cases/weekly-digest.js');
  const d = await runDailyReminders(time);
  const w = await runWeeklyDigest(time);
  const date = dayToIso(Math.floor(time.getTime() / 86_400_000));
  out(
    `Reminders for ${date} on ${target.description}: ` +
      `${plural(d.sent, 'daily digest', 'daily digests')} sent (${plural(d.partners, 'partner', 'partners')}, ` +
      `${count(d.skipped)} with nothing due), ${plural(w.sent, 'weekly digest', 'weekly digests')}.`,
  );
  if (d.sent === 0) for (const line of await whyNothingWentOut(date)) out(line);
  return 0;
}

/** Why a reminder run sent no daily digest: no partner, no plan, or each partner's next reminder day. */
async function whyNothingWentOut(date: string): Promise<string[]> {
  const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
  const lines: string[] = [];
  for await (const partnerId of planStore.partnerIds()) {
    const settings = await planStore.partnerSettings(partnerId);
    if (settings && !isDigestDay(settings, isoToDay(date))) {
      const next = dayToIso(nextDigestDay(settings, isoToDay(date)));
      lines.push(
        `  ${partnerId}: ${date} is not a business day in ${settings.country}, and daily digests go out on business days ` +
          `(setting daily_digest_days); what is due goes in the next one, on ${next} (npx cspmove remind --date ${next}).`,
      );
      continue;
    }
    const due = await planStore.nextReminderAfter(partnerId, date);
    const next = due && settings ? dayToIso(nextDigestDay(settings, isoToDay(due))) : due;
    lines.push(
      next
        ? `  ${partnerId}: no digest to send on ${date} (none due, or sent already); its next reminder is on ${next} (npx cspmove remind --date ${next}).`
        : `  ${partnerId}: no reminder is scheduled: no plan uploaded yet, or every invitation accepted and every move made.`,
    );
  }
  return lines.length > 0
    ? lines
    : ['  No partner is stored: npx cspmove partner put --config FILE, then npx cspmove upload FILE.csv --partner ID.'];
}

export async function partnerPut(options: { config: string; id?: string | undefined }): Promise<number> {
  const settings = await loadSettingsFile(options.config);
  const partnerId = options.id ?? settings.partner_id;
  if (!partnerId) {
    process.stderr.write('cspmove: the partner id is missing: set "partner_id" in the file or pass --id.\n');
    return 2;
  }
  const target = await useTarget();
  const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
  await planStore.savePartnerSettings({ ...settings, partner_id: partnerId });
  out(`Stored partner ${partnerId} on ${target.description}.`);
  return 0;
}

export async function partnerGet(id: string): Promise<number> {
  await useTarget();
  const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
  const settings = await planStore.partnerSettings(id);
  if (!settings) {
    process.stderr.write(`cspmove: no partner "${id}".\n`);
    return 2;
  }
  out(JSON.stringify(settings, null, 2));
  return 0;
}

export { LOCAL_DIR };
