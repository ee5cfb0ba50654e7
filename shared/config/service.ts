/**
 * Names and limits the functions and the stack that deploys them (infra/) must agree on, each
 * stated once.
 */

/** The service name on every log entry (Powertools Logger), and the stack's POWERTOOLS_SERVICE_NAME. */
export const SERVICE_NAME = 'csp-move-planner';

/** The largest upload planned, in bytes and in data rows: larger files are refused. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const MAX_UPLOAD_ROWS = 2_000_000;

/** The plan-upload function's timeout, Lambda's maximum: what the largest upload needs. */
export const PLAN_UPLOAD_TIMEOUT_MINUTES = 15;

/**
 * An upload claim still `processing` after this long was left by a run that died (a crash, or the
 * timeout itself): one minute past the function's timeout, so a live run is never taken over.
 */
export const STALE_UPLOAD_CLAIM_MS = (PLAN_UPLOAD_TIMEOUT_MINUTES + 1) * 60_000;

/** The path of the e-mail action endpoint, on the HTTP API and on the local stack's server. */
export const ACTION_PATH = '/action';

/**
 * The partners' work queue: a scheduled run queues one job per partner, and each job is tried this
 * many times before it goes to the dead-letter queue.
 */
export const WORK_ATTEMPTS = 3;

/** The partner-work function's timeout: the largest partner's re-plan and digest. */
export const PARTNER_WORK_TIMEOUT_MINUTES = 15;

/**
 * A status change asks for a re-plan this long after it: the changes of the next minute join it,
 * so a burst of clicks is one re-plan.
 */
export const REPLAN_DELAY_SECONDS = 60;
