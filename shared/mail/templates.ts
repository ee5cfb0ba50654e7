/**
 * Every e-mail the planner sends, each as a subject, an HTML body (inline styles, table layout:
 * safe for mail clients) and a plain-text twin. One module per e-mail; this is the entry point.
 */

export { type DailyDigestModel, type ExpiryState, renderDailyDigest } from './daily-digest.js';
export { type InvitationMailModel, renderInvitationMail } from './invitation-mail.js';
export type { MailContent } from './layout.js';
export { type FailureMailModel, type ReportMailModel, renderFailureMail, renderReportMail } from './report-mail.js';
export { renderWeeklyDigest, WEEKLY_CHART, type WeeklyDigestModel } from './weekly-digest.js';
