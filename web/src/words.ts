/**
 * How the console names risks, invitations and states: the report's risk wording (RISK_INFO)
 * and the domain's lists, so a partner reads the same words in report.html, the e-mails and here.
 * Pure: no DOM, so tests can import it. The invitation and state lists are typed against the
 * domain's, not imported: their modules reach the CSV machinery, which needs Node's Buffer.
 */
import type { InvitationStatus } from '../../shared/domain/lifecycle.js';
import { RISKS, type Risk } from '../../shared/domain/risk.js';
import type { SubscriptionState } from '../../shared/domain/status-events.js';
import { count, plural } from '../../shared/domain/words.js';
import { RISK_INFO } from '../../shared/report/risk-info.js';

export { count, type InvitationStatus, plural, RISK_INFO, RISKS, type Risk, type SubscriptionState };

export const INVITATION_WORDS: Record<InvitationStatus, string> = {
  not_sent: 'Not sent',
  sent: 'Sent',
  accepted: 'Accepted',
};
/** In the order a move goes through them (a Record names every one, so none is missed). */
export const INVITATION_STATUSES = Object.keys(INVITATION_WORDS) as InvitationStatus[];

export const STATE_WORDS: Record<SubscriptionState, string> = {
  planned: 'Planned',
  provisioned: 'Provisioned in CSP',
  done: 'Done',
  excluded: 'Excluded',
};
export const SUBSCRIPTION_STATES = Object.keys(STATE_WORDS) as SubscriptionState[];

/** A state of either kind of subject, in words; an unknown one as it came. */
/** Words for inside a sentence: the first letter lower-cased, names such as CSP kept. */
export function inSentence(words: string): string {
  return words.charAt(0).toLowerCase() + words.slice(1);
}

export function stateWords(state: string): string {
  return (INVITATION_WORDS as Record<string, string>)[state] ?? (STATE_WORDS as Record<string, string>)[state] ?? state;
}

export const SOURCE_WORDS: Record<string, string> = {
  upload: 'upload',
  cli: 'command line',
  email_link: 'e-mail link',
  api: 'console',
};

export const UPLOAD_STATUS_WORDS: Record<string, string> = {
  processing: 'Processing',
  planned: 'Planned',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** A date and time as the partner's staff read it: "2026-12-01 08:30" (local time). */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A file size in words: "812 bytes", "1.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte', 'bytes');
  const units = ['KB', 'MB', 'GB'];
  let n = bytes / 1024;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(n < 10 ? 1 : 0)} ${units[unit]}`;
}

/** ISO day `days` after `iso` (negative: before). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
