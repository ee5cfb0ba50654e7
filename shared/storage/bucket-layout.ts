/**
 * Where things are in the planner's bucket. A partner uploads to `uploads/{partnerId}/{name}.csv`;
 * the partner comes from the key only, never from the file. Each upload's reports go to
 * `reports/{partnerId}/{uploadId}/`. The console reads each partner's current plan from one snapshot
 * object, `views/{partnerId}/plan`, which every planning replaces. The CDK stack (infra/) scopes its permissions, lifecycle
 * rules and triggers with the same prefixes.
 */
export const UPLOADS_PREFIX = 'uploads/';
export const REPORTS_PREFIX = 'reports/';
export const VIEWS_PREFIX = 'views/';

/**
 * Object keys whose creation triggers planning. S3 suffix filters are case-sensitive while the
 * upload key below accepts `.csv` in any case, so both common spellings trigger it.
 */
export const UPLOAD_SUFFIXES = ['.csv', '.CSV'] as const;

export type ReportFile = 'plan.csv' | 'errors.csv' | 'report.html';
export const REPORT_FILES: readonly ReportFile[] = ['plan.csv', 'errors.csv', 'report.html'];

/** uploads/{partnerId}/{name}.csv: letters, digits, ".", "_" and "-" in the partner id. */
const UPLOAD_KEY = /^uploads\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})\/([^/]+\.csv)$/i;

export function uploadKey(partnerId: string, fileName: string): string {
  return `${UPLOADS_PREFIX}${partnerId}/${fileName}`;
}

/** The partner and file name of an upload key; undefined for any other key. */
export function parseUploadKey(key: string): { partnerId: string; fileName: string } | undefined {
  const match = UPLOAD_KEY.exec(key);
  return match ? { partnerId: match[1]!, fileName: match[2]! } : undefined;
}

export function reportPrefix(partnerId: string, uploadId: string): string {
  return `${REPORTS_PREFIX}${partnerId}/${uploadId}/`;
}

export function reportKey(partnerId: string, uploadId: string, file: ReportFile): string {
  return reportPrefix(partnerId, uploadId) + file;
}

/** The snapshot of a partner's current plan the console queries (storage/plan-view/). */
export function planViewKey(partnerId: string): string {
  return `${VIEWS_PREFIX}${partnerId}/plan`;
}

/**
 * S3 event notifications carry keys URL-encoded the form way: percent-encoded UTF-8, spaces as
 * '+', '+' as %2B, '/' kept.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** The key of an S3 event notification, decoded; undefined when its encoding is broken. */
export function decodeEventKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined; // URIError: a stray '%' — not a key S3 sends
  }
}

/**
 * The bucket's CORS rule for the console: the browser posts an upload (a presigned POST) from the
 * console's origin (scheme, host and port; no path), and from no other. A presigned POST is a form
 * post whose fields carry the policy and signature, so the browser sends no header beyond the
 * CORS-safelisted ones; its upload progress makes it ask first (a preflight).
 */
export function uploadCorsRule(consoleOrigin: string) {
  return {
    AllowedOrigins: [consoleOrigin],
    AllowedMethods: ['POST'],
    AllowedHeaders: [] as string[],
    MaxAgeSeconds: 3600,
  };
}
