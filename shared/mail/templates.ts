/**
 * Every e-mail the planner sends, each as a subject, an HTML body (inline styles, table layout:
 * safe for mail clients) and a plain-text twin. One module per e-mail; this is the entry point.
 */
export type { MailContent } from './layout.js';
export { renderReportMail, renderFailureMail, type ReportMailModel, type FailureMailModel } from './report-mail.js';
export { renderDailyDigest, type DailyDigestModel, type ExpiryState } from './daily-digest.js';
export { renderWeeklyDigest, type WeeklyDigestModel, WEEKLY_CHART } from './weekly-digest.js';
export { renderInvitationMail, type InvitationMailModel } from './invitation-mail.js';
