/**
 * The console's HTTP API, stated once: its paths, the query and body schemas the API checks at its
 * edge (zod), and the shapes it answers with. The web app (web/) imports the types only, so no
 * validation code reaches the browser. Every route is scoped to the partner of the verified token:
 * no path, query or body names a partner.
 *
 * Errors are RFC 9457 problem details (`application/problem+json`), see `Problem`.
 */
import * as z from 'zod';
import { INVITATION_STATUSES } from '../domain/lifecycle.js';
import { RISKS } from '../domain/risk.js';
import { SUBSCRIPTION_STATES } from '../domain/status-events.js';

/** Every API path starts with this, on AWS (a CloudFront behaviour to the HTTP API) and locally. */
export const API_PREFIX = '/api';

/** The web app's runtime settings, served beside it as /config.json (see `ConsoleConfig`). */
export const CONFIG_PATH = '/config.json';

/** The ID-token claim that holds the user's partner: a Cognito custom attribute, only an operator sets it. */
export const PARTNER_CLAIM = 'custom:partner_id';

/** What the web app reads from /config.json: where to sign in, and as which client. */
export interface ConsoleConfig {
  /** The OpenID Connect issuer: Cognito's user pool URL on AWS, the local provider's locally. */
  authority: string;
  clientId: string;
  /** Where the sign-in returns to, and where the sign-out lands: the console's own origin. */
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Cognito's discovery document has no end_session_endpoint: its /logout URL is given here. */
  signOutUrl?: string | undefined;
  scope: string;
}

/** RFC 9457 problem details; `errors` names each bad field (a query parameter, a body key). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | undefined;
  errors?: { path: string; message: string }[] | undefined;
}

// --- who is signed in ------------------------------------------------------------------------

/** GET /api/me */
export interface Me {
  email: string;
  partnerId: string;
  /** From the partner's settings; absent when it has none. */
  partnerName?: string | undefined;
}

// --- home --------------------------------------------------------------------------------------

/** GET /api/home: this week at a glance, as of the partner's today. */
export interface HomeView {
  today: string;
  /** Monday and Sunday of the partner's current week (ISO). */
  week: { start: string; end: string };
  /** Undefined before the first upload. */
  plan?: PlanFreshness | undefined;
  invitations: {
    /** Not accepted, invitation deadline within this week (overdue ones not counted again). */
    toSend: number;
    /** Not accepted, invitation deadline before today. */
    overdue: number;
  };
  /** Subscriptions of accepted customers, not yet provisioned, with a move day on or before the week's end. */
  movesDue: number;
  atRisk: number;
  /** Subscriptions past their end date: in their grace period, and lapsed. */
  expired: { grace: number; lapsed: number };
  /** Moves per week, as report.html draws them (shared/domain/week-series.ts). */
  weeks: { weekStart: string; moves: number; needAttention: number }[];
  later?: { from: string; lastWeek: string; moves: number; needAttention: number } | undefined;
  dailyCapacity: number;
}

/** When the plan the console shows was planned, and whether a re-plan is waiting for recorded changes. */
export interface PlanFreshness {
  plannedAt: string;
  /** A status changed since: the lists show it on each row now, the counts after the re-plan. */
  updating: boolean;
}

// --- the plan ----------------------------------------------------------------------------------

export const PLAN_SORTS = ['move_on', 'invite_by', 'end_date', 'customer', 'risk', 'seats'] as const;
export type PlanSort = (typeof PLAN_SORTS)[number];
export const PAGE_SIZES = { default: 50, max: 200 } as const;

const isoDay = z.iso.date({ error: 'must be a date, YYYY-MM-DD' });
/** A query parameter that may repeat or be comma-separated: `risk=at_risk,lapsed` or `risk=at_risk&risk=lapsed`. */
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter((s) => s !== '')),
    z.array(z.enum(values)).optional(),
  );

/** GET /api/plan?…: the plan's subscriptions, one row each, filtered, sorted and paginated on the server. */
export const PlanQuerySchema = z
  .strictObject({
    risk: listOf(RISKS),
    invitation: listOf(INVITATION_STATUSES),
    state: listOf(SUBSCRIPTION_STATES),
    invite_from: isoDay.optional(),
    invite_to: isoDay.optional(),
    move_from: isoDay.optional(),
    move_to: isoDay.optional(),
    /** ISO 3166-1 alpha-2. */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as US')
      .transform((s) => s.toUpperCase())
      .optional(),
    /** Matches a customer's name or id, a subscription id or an offer, ignoring case. */
    q: z.string().trim().max(200).optional(),
    sort: z.enum(PLAN_SORTS).default('move_on'),
    order: z.enum(['asc', 'desc']).default('asc'),
    page: z.coerce.number().int().min(1).default(1),
    size: z.coerce.number().int().min(1).max(PAGE_SIZES.max).default(PAGE_SIZES.default),
  })
  .refine((q) => !q.invite_from || !q.invite_to || q.invite_from <= q.invite_to, {
    path: ['invite_to'],
    message: 'must not be before invite_from',
  })
  .refine((q) => !q.move_from || !q.move_to || q.move_from <= q.move_to, { path: ['move_to'], message: 'must not be before move_from' });
export type PlanQuery = z.output<typeof PlanQuerySchema>;

/** One subscription of the plan with its customer's invitation: a plan.csv row, as the console lists it. */
export interface PlanRow {
  subscriptionId: string;
  customerId: string;
  customerName: string;
  country: string;
  offer: string;
  targetOffer: string;
  seats: number;
  endDate: string;
  moveOn?: string | undefined;
  inviteBy?: string | undefined;
  risk: (typeof RISKS)[number];
  invitation: (typeof INVITATION_STATUSES)[number];
  state: (typeof SUBSCRIPTION_STATES)[number];
}

export interface PlanPage {
  rows: PlanRow[];
  /** Rows matching the filters, over every page. */
  total: number;
  page: number;
  size: number;
  plan?: PlanFreshness | undefined;
}

/** GET /api/customers/{customerId}: a customer, its subscriptions, and the history of their events. */
export interface CustomerView {
  customer: {
    customerId: string;
    customerName: string;
    country: string;
    contactEmail?: string | undefined;
    invitation: (typeof INVITATION_STATUSES)[number];
    inviteBy?: string | undefined;
    firstMove?: string | undefined;
    lastEndDate: string;
  };
  subscriptions: PlanRow[];
  /** The customer's and its subscriptions' events, newest first. */
  history: HistoryEntry[];
}

export interface HistoryEntry {
  subject: { kind: 'customer' | 'subscription'; id: string };
  state: string;
  /** The day it took effect, and when it was recorded. */
  effective: string;
  recordedAt: string;
  source: string;
  by: string;
  reason?: string | undefined;
  correction?: boolean | undefined;
}

// --- status changes (the actions) --------------------------------------------------------------

const subjectId = z.string().min(1).max(200);
export const StatusChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('customer'),
    id: subjectId,
    state: z.enum(INVITATION_STATUSES),
    on: isoDay.optional(),
    reason: z.string().max(500).optional(),
    correction: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('subscription'),
    id: subjectId,
    state: z.enum(SUBSCRIPTION_STATES),
    on: isoDay.optional(),
    reason: z.string().max(500).optional(),
    correction: z.boolean().optional(),
  }),
]);
export type StatusChange = z.output<typeof StatusChangeSchema>;

/** The largest selection changed in one request. */
export const MAX_CHANGES = 200;

/**
 * POST /api/status: one change or a selection. All or nothing: when one subject is not in the
 * partner's plan the answer is 404 and nothing changes; when one change may not be made, 422
 * naming it (`errors[].path` = `changes.N`) and nothing changes.
 */
export const StatusRequestSchema = z.strictObject({ changes: z.array(StatusChangeSchema).min(1).max(MAX_CHANGES) });
export type StatusRequest = z.output<typeof StatusRequestSchema>;

export interface StatusResponse {
  results: { kind: 'customer' | 'subscription'; id: string; state: string; recorded: boolean }[];
  plan?: PlanFreshness | undefined;
}

// --- uploads -----------------------------------------------------------------------------------

/** One upload, newest first in GET /api/uploads. */
export interface UploadView {
  uploadId: string;
  fileName: string;
  /** The object key the browser uploaded to: how the page finds its upload after the POST. */
  key: string;
  uploadedAt?: string | undefined;
  status: 'processing' | 'planned' | 'rejected' | 'failed';
  planned?: number | undefined;
  rejected?: number | undefined;
  /** Once rejected: why, in the partner's words. */
  code?: string | undefined;
  message?: string | undefined;
  /** The report files this upload has. */
  files: ('plan.csv' | 'errors.csv' | 'report.html')[];
}

/** GET /api/uploads[?key=K]: newest first; `key` picks the upload of one object. */
export const UploadsQuerySchema = z.strictObject({ key: z.string().min(1).max(1024).optional() });

/** GET /api/uploads/{uploadId}: the upload and its problems (errors.csv as rows, the first `MAX_ERROR_ROWS`). */
export interface UploadDetail {
  upload: UploadView;
  errors: { columns: string[]; rows: string[][]; total: number };
}
export const MAX_ERROR_ROWS = 1000;

/** POST /api/uploads: the browser's presigned POST to S3, for one file. */
export const NewUploadSchema = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/\.csv$/i, 'must be a .csv file'),
  /** Bytes, as the browser knows them: refused early when over the limit (the policy refuses it anyway). */
  size: z.number().int().min(1),
});
export interface NewUpload {
  /** The form's action and fields: post them with the file last. */
  url: string;
  fields: Record<string, string>;
  key: string;
  expiresAt: string;
}

/** GET /api/uploads/{uploadId}/files/{file}: a download link of minutes, made for this click. */
export interface DownloadLink {
  url: string;
  expiresAt: string;
}

// --- settings ----------------------------------------------------------------------------------

/**
 * GET /api/settings gives the partner's settings; PUT /api/settings stores new ones, checked as
 * the settings JSON is (shared/domain/partner-settings.ts): a 422 problem names each bad key in
 * `errors[].path`. The partner id is the token's: a body naming another partner is refused.
 */
export type SettingsView = Record<string, unknown>;
