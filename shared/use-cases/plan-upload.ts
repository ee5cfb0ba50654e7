/**
 * Plan an upload: a partner's CSV lands in S3 → the plan in DynamoDB → plan.csv, errors.csv and
 * report.html beside it in S3 → the report e-mail. Safe to run twice for the same object (S3
 * delivers events at least once): the upload is claimed first, its e-mail sent once.
 */
import { createHash } from 'node:crypto';
import { STALE_UPLOAD_CLAIM_MS } from '../config/service.js';
import { fileErrorCsv } from '../csv/writers.js';
import { FileError } from '../domain/codes.js';
import { dayToIso, todayIn } from '../domain/dates.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import { staleFrom } from '../domain/plan-staleness.js';
import { logger, redact } from '../log.js';
import type { OutgoingMail } from '../mail/ses-sender.js';
import { sendMail } from '../mail/ses-sender.js';
import { renderFailureMail, renderReportMail } from '../mail/templates.js';
import type { ReportModel } from '../report/model.js';
import { decodeEventKey, parseUploadKey, REPORT_FILES, reportKey } from '../storage/bucket-layout.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import { openUpload, putReport, reportLink, reportWriter, type UploadedObject } from '../storage/object-store.js';
import type { Invocation, UploadRef } from '../storage/plan-store.js';
import { planViews } from '../storage/plan-view/s3-plan-views.js';
import { type PlannedRun, planFile, writePlanOutputs } from './plan-file.js';

export type { UploadedObject } from '../storage/object-store.js';
export type { Invocation } from '../storage/plan-store.js';

export type UploadOutcome =
  | { outcome: 'planned'; partnerId: string; uploadId: string; planned: number; rejected: number; items: number; reportKeys: string[] }
  | { outcome: 'rejected'; partnerId: string; uploadId: string; code: string }
  | { outcome: 'duplicate' | 'ignored' | 'unknown_partner'; partnerId?: string | undefined; uploadId?: string | undefined };

/** An object as its S3 event names it: the key still URL-encoded, as events carry it. */
export type UploadEvent = Omit<UploadedObject, 'key'> & { encodedKey: string; eventTime: string };

/** Mailboxes take attachments up to about this size; larger reports are linked only. */
const ATTACH_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * Plans every object of an S3 event. A record that fails does not stop the others; the run then
 * fails as a whole, so Lambda retries the event: records already planned are skipped as
 * duplicates, and a claim left by an attempt that died is taken over by the retry (same request
 * id).
 */
export async function planUploads(events: readonly UploadEvent[], invocation: Invocation): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  const failures: unknown[] = [];
  for (const event of events) {
    const key = decodeEventKey(event.encodedKey);
    if (key === undefined) {
      logger.warn('Ignored an event whose key is not URL-encoded', { key: event.encodedKey });
      outcomes.push({ outcome: 'ignored' });
      continue;
    }
    const { encodedKey, eventTime, ...object } = event;
    try {
      outcomes.push(await planUpload({ ...object, key }, new Date(eventTime), invocation));
    } catch (error) {
      logger.error('Upload failed; the event will be retried', { key: encodedKey, error: error as Error });
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${events.length} uploads failed`);
  return outcomes;
}

/** Deterministic per object version: a repeated event is the same upload. */
export function uploadIdOf(o: UploadedObject): string {
  // S3 events give the ETag bare, API responses quoted: the same object either way.
  const version = o.versionId ?? o.eTag?.replace(/"/g, '') ?? '';
  return createHash('sha256').update(`${o.bucket}\n${o.key}\n${version}`).digest('hex').slice(0, 24);
}

/**
 * Plans one uploaded object. `now` is the upload's time (the event's), which the plan is "as of";
 * `invocation` is this run (its clock and Lambda request id), which decides whether a claim left
 * by a run that died can be taken over.
 */
export async function planUpload(object: UploadedObject, now: Date, invocation: Invocation = { at: now }): Promise<UploadOutcome> {
  // 1. Whose file it is: the key says, never the file.
  const parsed = parseUploadKey(object.key);
  if (!parsed) {
    logger.warn('Ignored an object outside uploads/{partnerId}/*.csv', { key: object.key });
    return { outcome: 'ignored' };
  }
  const { partnerId, fileName } = parsed;
  const upload: UploadRef = { partnerId, uploadId: uploadIdOf(object) };
  const log = logger.createChild({ persistentLogAttributes: { ...upload } });

  // 2. The partner's settings: an unknown partner gets a report saying so, and nothing else.
  const settings = await store.partnerSettings(partnerId);
  if (!settings) {
    log.error('Upload from an unknown partner: nothing planned', { key: object.key });
    await putFailureReport(
      upload,
      fileName,
      'unknown_partner',
      `No partner "${partnerId}" is registered: create it (cspmove partner put) and upload again.`,
      now,
    );
    return { outcome: 'unknown_partner', ...upload };
  }

  // 3. Claim it: a repeated event, or a second run, finds it claimed and stops here.
  const details = { key: object.key, fileName, size: object.size, uploadedAt: now.toISOString() };
  if ((await store.claimUpload(upload, details, invocation, STALE_UPLOAD_CLAIM_MS)) === 'duplicate') {
    log.info('Repeated event for an upload already handled: skipped');
    return { outcome: 'duplicate', ...upload };
  }

  // 4. Read and plan the file, with where its moves stand by what was recorded since the last
  //    upload. One that cannot be planned at all is rejected, with a report.
  let run: PlannedRun;
  const today = todayIn(settings.timezone, now);
  try {
    const events = await store.partnerStatusEvents(partnerId);
    const source = await openUpload(object, fileName);
    run = await planFile({ source, fileName, settings, today, sizeBytes: object.size, events, capacitySearch: true });
  } catch (error) {
    if (error instanceof FileError) return rejectUpload(upload, fileName, settings, error, now);
    return failed(upload, error); // transient (S3 read): the Lambda retry claims it again
  }

  try {
    // 5. What the file says that is new becomes events (a retry records the same ones: no repeat).
    const news = run.statuses?.news ?? [];
    for (const { on, ...change } of news) {
      await store.recordStatusEvent(partnerId, {
        ...change,
        effective: dayToIso(on ?? today),
        recordedAt: now.toISOString(),
        source: 'upload',
        by: `upload ${fileName}`,
      });
    }
    if (news.length > 0) log.info('Upload recorded status changes', { changes: news.length });

    // 6. Store the plan and write the reports: side by side, both settled before going on.
    const [stats, reports] = await bothSettled(storePlan(upload, run, now), writeReports(upload, run, now));

    // 7. E-mail the report, once.
    if (settings.email) await mailOnce(upload, now, reportMail(settings.email, upload, reports));

    // 8. Planned: final only now, so a run that dies before this is run again (the e-mail claim
    //    survives the new claim, so the e-mail is not sent twice).
    const counts = { planned: run.portfolio.stats.keptRows, rejected: run.portfolio.stats.rejectedRows, items: stats.items };
    await store.recordUploadPlanned(upload, counts, now.toISOString());
    log.info('Upload planned', counts);
    return {
      outcome: 'planned',
      ...upload,
      ...counts,
      reportKeys: REPORT_FILES.map((file) => reportKey(partnerId, upload.uploadId, file)),
    };
  } catch (error) {
    return failed(upload, error);
  }
}

/**
 * The plan replaces the partner's: what it no longer lists is flagged, not deleted. It is as of
 * the upload's day, until one of its move days passes (the daily run plans it again then). The
 * console's snapshot of it follows once it is stored.
 */
async function storePlan(upload: UploadRef, run: PlannedRun, now: Date) {
  const stats = await store.savePlan(upload, run);
  await store.flagSubscriptionsNotIn(upload, now);
  await store.recordPlanned(
    upload.partnerId,
    now,
    dayToIso(staleFrom(run.portfolio, run.plan, run.settings.invite_lead_days, run.statuses?.subscriptionStates)),
  );
  await planViews.save(upload.partnerId, run, now);
  return stats;
}

/** A file that cannot be planned: a report saying what is wrong, an e-mail, and no plan. */
async function rejectUpload(
  upload: UploadRef,
  fileName: string,
  settings: PartnerSettings,
  error: FileError,
  now: Date,
): Promise<UploadOutcome> {
  logger.warn('Upload rejected', { ...upload, code: error.code, reason: redact(error.message) });
  await putFailureReport(upload, fileName, error.code, error.message, now);
  const email = settings.email;
  if (email) {
    const page = renderFailureMail({
      partnerName: settings.name,
      fileName,
      code: error.code,
      message: error.message,
      uploadedAt: now.toISOString(),
    });
    try {
      await mailOnce(upload, now, async () => ({ to: [email], ...page }));
    } catch (mailError) {
      return failed(upload, mailError); // the retry claims it again and sends the failure e-mail
    }
  }
  // Final only once the e-mail is out: a run that dies before this is run again.
  await store.recordUploadRejected(upload, error.code, error.message);
  return { outcome: 'rejected', ...upload, code: error.code };
}

/** Records the run as failed, so Lambda's retry can claim the upload again, and fails. */
async function failed(upload: UploadRef, error: unknown): Promise<never> {
  await store.recordUploadFailed(upload, String(error));
  throw error;
}

/**
 * Sends an upload's one e-mail: claimed on the upload first, so neither a repeated event nor a
 * re-run after a crash sends it again; a send that fails gives the claim back, so the retry sends
 * it. The message is composed before the claim, which leaves one window, as for the digests: a
 * run that dies during the send itself, after the claim, does not send it again (at most once).
 */
async function mailOnce(upload: UploadRef, now: Date, compose: () => Promise<OutgoingMail>): Promise<void> {
  const mail = await compose();
  if (!(await store.claimUploadMail(upload, now))) return;
  try {
    await sendMail(mail);
  } catch (error) {
    await store.releaseUploadMail(upload);
    throw error;
  }
}

interface WrittenReports {
  model: ReportModel;
  /** plan.csv and errors.csv as written, when small enough to attach to the e-mail. */
  attachable?: { plan: string; errors: string } | undefined;
}

async function writeReports(upload: UploadRef, run: PlannedRun, now: Date): Promise<WrittenReports> {
  // plan.csv and errors.csv are kept while written, when small enough to attach.
  const half = ATTACH_LIMIT_BYTES / 2;
  const files = {
    plan: reportWriter(upload, 'plan.csv', half),
    errors: reportWriter(upload, 'errors.csv', half),
    report: reportWriter(upload, 'report.html'),
  };
  const model = await writePlanOutputs(run, { plan: files.plan.stream, errors: files.errors.stream, report: files.report.stream }, now);
  for (const file of Object.values(files)) file.stream.end();
  await Promise.all(Object.values(files).map((file) => file.done));
  const [plan, errors] = [files.plan.kept(), files.errors.kept()];
  return { model, attachable: plan !== undefined && errors !== undefined ? { plan, errors } : undefined };
}

/** Composes the report e-mail: always linked (pre-signed, a week), attached when small enough. */
function reportMail(to: string, upload: UploadRef, reports: WrittenReports): () => Promise<OutgoingMail> {
  return async () => {
    const links = {
      plan: await reportLink(upload, 'plan.csv'),
      errors: await reportLink(upload, 'errors.csv'),
      report: await reportLink(upload, 'report.html'),
    };
    const { attachable } = reports;
    return {
      to: [to],
      ...renderReportMail({ report: reports.model, links }),
      attachments: attachable
        ? [
            { filename: 'plan.csv', content: attachable.plan, contentType: 'text/csv' },
            { filename: 'errors.csv', content: attachable.errors, contentType: 'text/csv' },
          ]
        : [],
    };
  };
}

/** A file-level failure still leaves a report in S3 saying what is wrong, and no plan. */
async function putFailureReport(upload: UploadRef, fileName: string, code: string, message: string, now: Date): Promise<void> {
  await putReport(upload, 'errors.csv', fileErrorCsv(code, message));
  const page = renderFailureMail({ fileName, code, message, uploadedAt: now.toISOString() });
  await putReport(upload, 'report.html', page.html);
}

/** Both results, once both have settled; the first failure otherwise. */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
