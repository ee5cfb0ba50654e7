/**
 * What the use cases keep between runs, said in their words: partners, uploads, the tracked plan,
 * reminders due, and the e-mails sent at most once. One implementation, on DynamoDB
 * (dynamodb/dynamodb-plan-store.ts); keys, indexes and item encodings stay behind it.
 */
import type { Day } from '../domain/dates.js';
import type { PartnerSettings } from '../domain/partner-settings.js';
import type { Plan } from '../domain/planner/plan.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import type { StatusEvent, StatusSubject } from '../domain/status-events.js';
import type { TrackedCustomer, TrackedRecord, TrackedSubscription } from '../domain/tracked-plan.js';
import type { ReconciledStatuses } from '../domain/upload-statuses.js';

/** One upload of a partner; its id is derived from the S3 object version (use-cases/plan-upload.ts). */
export interface UploadRef {
  partnerId: string;
  uploadId: string;
}

/** One run of a function: when it started and, on Lambda, its request id. */
export interface Invocation {
  at: Date;
  /** Lambda keeps an asynchronous event's request id across its retries of that event. */
  requestId?: string | undefined;
}

export type UploadStatus = 'processing' | 'planned' | 'rejected' | 'failed';

/** What is recorded of an upload. */
export interface UploadRecord {
  uploadId: string;
  key: string;
  fileName: string;
  /** When it was uploaded (ISO time, its S3 event's); absent on records from before it was kept. */
  uploadedAt?: string | undefined;
  status: UploadStatus;
  /** Once planned: rows planned and rejected, and subscription and customer plans stored. */
  planned?: number | undefined;
  rejected?: number | undefined;
  items?: number | undefined;
  /** Once rejected: the file-level code and message. */
  code?: string | undefined;
  message?: string | undefined;
  /** Once failed: what went wrong (the run is retried). */
  error?: string | undefined;
}

/** A file's plan, as stored: the portfolio, its plan, and the settings that planned it. */
export interface PlannedFile {
  portfolio: Portfolio;
  plan: Plan;
  settings: PartnerSettings;
  /** Where moves stand by the recorded events and the file (absent: as the file says). */
  statuses?: ReconciledStatuses | undefined;
}

export interface ReplanState {
  /** ISO times: the last planning, and the last status change. */
  plannedAt: string;
  changedAt?: string | undefined;
  /** The first day (ISO) one of its moves has passed unmade. */
  staleFrom: string;
}

/** A partner's plan as stored: what it was planned from, read in one pass. */
export interface StoredPlan {
  partnerId: string;
  /** Input rows (cells in the input columns' order), in the file's row order. */
  rows: string[][];
  /** Each customer's invitation deadline as stored (ISO). */
  inviteBy: Map<string, string>;
  withoutInputs: number;
  /** What each item held when read, so a re-plan writes only what changed: opaque to the use cases. */
  readonly position: unknown;
}

export interface WriteStats {
  items: number;
  requests: number;
  retries: number;
}

/** A reminder due, as the daily run reads it. */
export type DueReminder = TrackedRecord & {
  partnerId: string;
  /** The day it was due on. */
  dueDay: Day;
  /** Where the store keeps it, to move it on: opaque to the use cases. */
  readonly position: unknown;
};

/** An e-mail a partner or a customer gets at most once. */
export type OnceMail =
  | { kind: 'daily-digest'; date: string }
  | { kind: 'weekly-digest'; date: string }
  | { kind: 'invitation'; customerId: string };

/** `sending` from the claim until the send is recorded: a claim left there counts as sent. */
export type MailStatus = 'sending' | 'sent' | 'failed' | 'empty';

export type MailClaim = { claimed: true } | { claimed: false; status: MailStatus };

export interface PlanStore {
  // --- partners ----------------------------------------------------------------------------
  partnerSettings(partnerId: string): Promise<PartnerSettings | undefined>;
  savePartnerSettings(settings: PartnerSettings & { partner_id: string }): Promise<void>;
  partnerIds(): AsyncIterable<string>;

  // --- uploads -----------------------------------------------------------------------------
  /**
   * Claims an upload for this run. A repeated S3 event (delivered at least once) finds it claimed
   * and gets 'duplicate'. A claim can be taken again when its run failed; when it is still
   * `processing` but its run died (a crash or a timeout leaves no chance to mark it), by Lambda's
   * retry of the same invocation (same request id) or, from any run, once older than `staleAfterMs`
   * on the invocation's clock. What an earlier attempt recorded of its e-mail stays.
   */
  claimUpload(
    upload: UploadRef,
    details: { key: string; fileName: string; size?: number | undefined; uploadedAt: string },
    invocation: Invocation,
    staleAfterMs: number,
  ): Promise<'claimed' | 'duplicate'>;
  recordUploadPlanned(upload: UploadRef, counts: { planned: number; rejected: number; items: number }, plannedAt: string): Promise<void>;
  recordUploadRejected(upload: UploadRef, code: string, message: string): Promise<void>;
  /** The run failed: the upload can be claimed again by the retry. */
  recordUploadFailed(upload: UploadRef, error: string): Promise<void>;
  /** Claims the upload's one e-mail: false when an earlier run claimed it already. */
  claimUploadMail(upload: UploadRef, at: Date): Promise<boolean>;
  /** Gives the e-mail claim back after a send that failed, so the retry sends it. */
  releaseUploadMail(upload: UploadRef): Promise<void>;
  findUpload(upload: UploadRef): Promise<UploadRecord | undefined>;
  uploads(partnerId: string): AsyncIterable<UploadRecord>;

  // --- the tracked plan --------------------------------------------------------------------
  /** Stores a subscription and a customer record per planned row, with their first reminders. */
  savePlan(upload: UploadRef, planned: PlannedFile): Promise<WriteStats>;
  /**
   * A full upload replaces the plan: the partner's subscriptions that another upload stored and
   * this one no longer lists are flagged missing (kept, without reminders), not deleted.
   */
  flagSubscriptionsNotIn(upload: UploadRef, at: Date): Promise<void>;
  trackedPlan(partnerId: string): Promise<{ subscriptions: TrackedSubscription[]; customers: TrackedCustomer[] }>;
  /** The tracked record of one customer or subscription; undefined when the partner's plan has none. */
  trackedRecord(partnerId: string, subject: StatusSubject): Promise<TrackedRecord | undefined>;
  /**
   * The tracked records of several customers and subscriptions in one batched read (a page of
   * the console's plan), keyed by `subjectKey`; those the partner's plan has not are left out.
   */
  trackedRecords(partnerId: string, subjects: readonly StatusSubject[]): Promise<Map<string, TrackedRecord>>;
  /**
   * What the partner's current plan was planned from: each listed subscription's input row, in
   * the file's order, and each customer's invitation deadline. `withoutInputs` counts items
   * stored before inputs were kept (such a plan can only be planned again by an upload).
   */
  storedPlan(partnerId: string): Promise<StoredPlan>;
  /**
   * Stores a plan computed again from the stored inputs: only the items whose plan changed are
   * written, each with its next reminder from `remindFrom`; an item changed meanwhile (a status,
   * an upload) is left as it is, for the next re-plan.
   */
  saveReplan(stored: StoredPlan, planned: PlannedFile, remindFrom: Day): Promise<{ items: number; written: number }>;
  /** Whether the plan may be out of date: when it was planned, the day it goes stale, when a status changed since. */
  replanState(partnerId: string): Promise<ReplanState | undefined>;
  /** The plan was planned (an upload, a re-plan) from what was recorded up to `at`; it goes stale on `staleFrom`. */
  recordPlanned(partnerId: string, at: Date, staleFrom: string): Promise<void>;
  /**
   * A status changed: the partner's plan is out of date. True when no re-plan has been asked for
   * since the last one began (or that request is older than `pendingSince`, so taken as lost): the
   * caller then asks for one.
   */
  recordStatusChanged(partnerId: string, at: Date, pendingSince: Date): Promise<boolean>;
  /** A re-plan begins: the changes recorded after this ask for the next one. */
  takeReplanRequest(partnerId: string): Promise<void>;
  /** Stores a tracked record a status changed, with its next reminder day (none: off the schedule). */
  saveTrackedRecord(partnerId: string, record: TrackedRecord, nextReminder: Day | undefined): Promise<void>;

  // --- the lifecycle -----------------------------------------------------------------------
  /** Records a status event; recording the same event again changes nothing (false). */
  recordStatusEvent(partnerId: string, event: StatusEvent): Promise<boolean>;
  /** Every status event of a customer or subscription, in the order they were recorded. */
  statusEvents(partnerId: string, subject: StatusSubject): Promise<StatusEvent[]>;
  /** Every status event of the partner's customers and subscriptions. */
  partnerStatusEvents(partnerId: string): Promise<StatusEvent[]>;

  // --- reminders ---------------------------------------------------------------------------
  /** The partner's reminders due on or before `date` (ISO). */
  remindersDue(partnerId: string, date: string): AsyncIterable<DueReminder>;
  /** The day (ISO) of the partner's first reminder after `date`; undefined when none is scheduled. */
  nextReminderAfter(partnerId: string, date: string): Promise<string | undefined>;
  /**
   * Moves a reminder on to its next day (or off the schedule). False when a newer upload rewrote
   * its record since it was read: the newer schedule stands.
   */
  rescheduleReminder(reminder: DueReminder, next: Day | undefined): Promise<boolean>;
  /**
   * Records the day a customer's last invitation reminder counts as sent on (undefined: none),
   * kept apart from its plan: re-plans and status changes leave it, uploads carry it over. With
   * `owed`, a digest SES refused gives that day back and keeps the day it would have recorded,
   * for the next digest to record; without, any such day is cleared.
   */
  markReminded(reminder: DueReminder, day: Day | undefined, owed?: Day): Promise<void>;

  // --- e-mails sent at most once -----------------------------------------------------------
  /** Claims an e-mail before it is sent; a claim whose send failed can be taken again. */
  claimMail(partnerId: string, mail: OnceMail, at: Date, details?: Record<string, unknown>): Promise<MailClaim>;
  recordMail(partnerId: string, mail: OnceMail, status: Exclude<MailStatus, 'sending'>, details?: Record<string, unknown>): Promise<void>;
  mailStatus(partnerId: string, mail: OnceMail): Promise<MailStatus | undefined>;
  /** The date of the partner's last daily digest before `date` that did not fail. */
  lastDailyDigest(partnerId: string, before: string): Promise<string | undefined>;
}
