/**
 * The upload use case behind the S3 trigger: one uploaded CSV → plan in DynamoDB → plan.csv,
 * errors.csv, report.html in S3 → the report e-mail. Safe to run twice for the same object
 * (S3 delivers events at least once): the upload is claimed first, the report e-mail once.
 */
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { FileError } from '../domain/codes.js';
import { todayIn } from '../domain/dates.js';
import { logger, redact } from '../log.js';
import { renderFailureMail, renderReportMail } from '../mail/templates.js';
import { type OutgoingMail, sendMail } from '../mail/ses-sender.js';
import { fileErrorCsv } from '../csv/writers.js';
import { type PlanRun, runPlan, writeOutputs } from './plan-file.js';
import type { ReportModel } from '../report/model.js';
import { objectWriter, openObject, presignedUrl, putText } from '../storage/object-store.js';
import { planItems } from '../storage/dynamodb/plan-items.js';
import {
  type Invocation,
  claimUpload,
  clearFlag,
  getSettings,
  hasOtherUploads,
  markMissing,
  putItems,
  setOnce,
  subscriptionsNotFrom,
  updateUpload,
} from '../storage/dynamodb/table-client.js';
import { keys } from '../storage/dynamodb/table-design.js';

export interface UploadedObject {
  bucket: string;
  /** The object key, decoded (S3 events carry it URL-encoded). */
  key: string;
  versionId?: string | undefined;
  eTag?: string | undefined;
  size?: number | undefined;
}

export type UploadOutcome =
  | { outcome: 'planned'; partnerId: string; uploadId: string; planned: number; rejected: number; items: number; reportKeys: string[] }
  | { outcome: 'rejected'; partnerId: string; uploadId: string; code: string }
  | { outcome: 'duplicate' | 'ignored' | 'unknown_partner'; partnerId?: string | undefined; uploadId?: string | undefined };

/** uploads/{partnerId}/{name}.csv — the partner comes from the key only, never the file. */
const UPLOAD_KEY = /^uploads\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})\/([^/]+\.csv)$/i;

/** S3 event keys are URL-encoded with '+' for spaces; undefined when the encoding is broken. */
export function decodeS3Key(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined; // URIError: a stray '%' — not a key S3 sends
  }
}

/** Deterministic per object version: a repeated event is the same upload. */
export function uploadIdOf(o: UploadedObject): string {
  // S3 events give the ETag bare, API responses quoted: the same object either way.
  const version = o.versionId ?? o.eTag?.replace(/"/g, '') ?? '';
  return createHash('sha256').update(`${o.bucket}\n${o.key}\n${version}`).digest('hex').slice(0, 24);
}

export function reportPrefix(partnerId: string, uploadId: string): string {
  return `reports/${partnerId}/${uploadId}/`;
}

const ATTACH_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * Plans one uploaded object. `now` is the upload's time (the event's), which the plan is "as of";
 * `invocation` is this run (its clock and Lambda request id), which decides whether a claim left
 * by a run that died can be taken over.
 */
export async function processUpload(object: UploadedObject, now: Date, invocation: Invocation = { at: now }): Promise<UploadOutcome> {
  const match = UPLOAD_KEY.exec(object.key);
  if (!match) {
    logger.warn('Ignored an object outside uploads/{partnerId}/*.csv', { key: object.key });
    return { outcome: 'ignored' };
  }
  const partnerId = match[1]!;
  const fileName = match[2]!;
  const uploadId = uploadIdOf(object);
  const prefix = reportPrefix(partnerId, uploadId);
  const log = logger.createChild({ persistentLogAttributes: { partnerId, uploadId } });

  const settings = await getSettings(partnerId);
  if (!settings) {
    log.error('Upload from an unknown partner: nothing planned', { key: object.key });
    await writeFailureReport(prefix, fileName, 'unknown_partner', `No partner "${partnerId}" is registered: create it (cspmove partner put) and upload again.`, now);
    return { outcome: 'unknown_partner', partnerId, uploadId };
  }

  const claim = await claimUpload(partnerId, uploadId, { key: object.key, fileName, size: object.size, uploadedAt: now.toISOString() }, invocation);
  if (claim === 'duplicate') {
    log.info('Repeated event for an upload already handled: skipped');
    return { outcome: 'duplicate', partnerId, uploadId };
  }

  const today = todayIn(settings.timezone, now);
  let run: PlanRun;
  try {
    run = await runPlan({ source: await openUpload(object, fileName), fileName, settings, today, sizeBytes: object.size });
  } catch (error) {
    if (!(error instanceof FileError)) {
      await updateUpload(partnerId, uploadId, { status: 'failed', error: String(error) });
      throw error; // transient (S3 read): the Lambda retry claims it again
    }
    log.warn('Upload rejected', { code: error.code, reason: redact(error.message) });
    await writeFailureReport(prefix, fileName, error.code, error.message, now);
    const email = settings.email;
    try {
      const mail = { to: [email!], ...renderFailureMail({ partnerName: settings.name, fileName, code: error.code, message: error.message, uploadedAt: now.toISOString() }) };
      await mailOnce(partnerId, uploadId, email, now, () => sendMail(mail));
    } catch (mailError) {
      await updateUpload(partnerId, uploadId, { status: 'failed', error: String(mailError) });
      throw mailError; // the retry claims it again and sends the failure e-mail
    }
    // Final only once the e-mail is out: a run that dies before this is run again.
    await updateUpload(partnerId, uploadId, { status: 'rejected', code: error.code, message: error.message });
    return { outcome: 'rejected', partnerId, uploadId, code: error.code };
  }

  try {
    const updatedAt = now.toISOString();
    const store = async () => {
      const stats = await putItems(planItems(run, partnerId, uploadId));
      // A full upload replaces the plan: subscriptions it no longer lists are flagged, not deleted.
      // Only another upload can have left any (a partner's first upload has nothing to flag).
      if (await hasOtherUploads(partnerId, uploadId)) {
        for await (const item of subscriptionsNotFrom(partnerId, uploadId)) await markMissing(item.pk, item.sk, uploadId, updatedAt);
      }
      return stats;
    };
    // The reports do not depend on the stored items: rendered and uploaded while DynamoDB
    // stores them. Both finish before anything fails or goes on, so nothing runs on unseen.
    const [stats, reports] = await both(store(), writeReports(run, prefix, now));
    const counts = { planned: run.portfolio.stats.keptRows, rejected: run.portfolio.stats.rejectedRows, items: stats.items };
    const email = settings.email;
    if (email) {
      const mail = await reportMail(email, reports, prefix);
      await mailOnce(partnerId, uploadId, email, now, () => sendMail(mail));
    }
    // Final only once the e-mail is out: a run that dies before this is run again (the e-mail
    // flag survives the new claim, so the e-mail is not sent twice).
    await updateUpload(partnerId, uploadId, { status: 'planned', ...counts, plannedAt: updatedAt });
    log.info('Upload planned', counts);
    return { outcome: 'planned', partnerId, uploadId, ...counts, reportKeys: ['plan.csv', 'errors.csv', 'report.html'].map((f) => prefix + f) };
  } catch (error) {
    await updateUpload(partnerId, uploadId, { status: 'failed', error: String(error) });
    throw error;
  }
}

/** Both results, once both have settled; the first failure otherwise. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * The uploaded object's bytes. An object deleted before it could be read (S3 answers NoSuchKey,
 * or NoSuchVersion for the event's version) will not come back on a retry: that is a final
 * `unreadable`, reported like any file-level failure, not an error Lambda retries.
 */
async function openUpload(object: UploadedObject, fileName: string): Promise<Readable> {
  try {
    return await openObject(object.bucket, object.key, object.versionId);
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === 'NoSuchKey' || name === 'NoSuchVersion' || $metadata?.httpStatusCode === 404) {
      throw new FileError('unreadable', `The file ${fileName} was deleted before it could be read; upload it again.`);
    }
    throw error;
  }
}

/**
 * Sends an upload's one e-mail: flagged on the upload item first, so neither a repeated event nor
 * a re-run after a crash sends it again; a send that fails clears the flag, so the retry sends it.
 * The message is composed before the flag is set, which leaves one window, as for the digests:
 * a run that dies during the send itself, after the flag, does not send it again (at most once).
 */
async function mailOnce(partnerId: string, uploadId: string, email: string | undefined, now: Date, send: () => Promise<unknown>): Promise<void> {
  if (!email) return;
  const [pk, sk] = [keys.partner(partnerId), keys.upload(uploadId)];
  if (!(await setOnce(pk, sk, 'mailedAt', now.toISOString()))) return;
  try {
    await send();
  } catch (error) {
    await clearFlag(pk, sk, 'mailedAt');
    throw error;
  }
}

interface WrittenReports {
  model: ReportModel;
  /** plan.csv and errors.csv as written, when small enough to attach to the e-mail. */
  attachable?: { plan: string; errors: string } | undefined;
}

async function writeReports(run: PlanRun, prefix: string, now: Date): Promise<WrittenReports> {
  const outputs = {
    plan: objectWriter(`${prefix}plan.csv`, 'text/csv; charset=utf-8'),
    errors: objectWriter(`${prefix}errors.csv`, 'text/csv; charset=utf-8'),
    report: objectWriter(`${prefix}report.html`, 'text/html; charset=utf-8'),
  };
  // Attached when small enough for a mailbox: kept while written rather than read back from S3.
  const half = ATTACH_LIMIT_BYTES / 2;
  const plan = new KeepSmall(half);
  const errors = new KeepSmall(half);
  plan.pipe(outputs.plan.stream);
  errors.pipe(outputs.errors.stream);
  const model = await writeOutputs(run, { plan, errors, report: outputs.report.stream }, now);
  plan.end();
  errors.end();
  outputs.report.stream.end();
  await Promise.all(Object.values(outputs).map((o) => o.done));
  const [planCsv, errorsCsv] = [plan.text(), errors.text()];
  return { model, attachable: planCsv !== undefined && errorsCsv !== undefined ? { plan: planCsv, errors: errorsCsv } : undefined };
}

/** Passes bytes through and keeps a copy while they total at most `limit`. */
class KeepSmall extends PassThrough {
  private kept: Buffer[] | undefined = [];
  private size = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null, data?: unknown) => void): void {
    if (this.kept) {
      this.size += chunk.length;
      if (this.size > this.limit) this.kept = undefined;
      else this.kept.push(Buffer.from(chunk));
    }
    done(null, chunk);
  }

  /** The text written, or undefined when it was over the limit. */
  text(): string | undefined {
    return this.kept && Buffer.concat(this.kept).toString('utf8');
  }
}

/** The report e-mail, ready to send. */
async function reportMail(to: string, reports: WrittenReports, prefix: string): Promise<OutgoingMail> {
  // Always linked (pre-signed, a week); attached when small enough.
  const links = {
    plan: await presignedUrl(`${prefix}plan.csv`),
    errors: await presignedUrl(`${prefix}errors.csv`),
    report: await presignedUrl(`${prefix}report.html`),
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
}

/** A file-level failure still leaves a report in S3 saying what is wrong, and no plan. */
async function writeFailureReport(prefix: string, fileName: string, code: string, message: string, now: Date): Promise<void> {
  await putText(`${prefix}errors.csv`, fileErrorCsv(code, message), 'text/csv; charset=utf-8');
  const page = renderFailureMail({ fileName, code, message, uploadedAt: now.toISOString() });
  await putText(`${prefix}report.html`, page.html, 'text/html; charset=utf-8');
}
