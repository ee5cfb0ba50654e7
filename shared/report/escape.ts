/**
 * Escaping for everything partner data touches on its way into HTML (the report, the e-mails,
 * the action pages). HTML shows a name exactly as it was uploaded, escaped; the spreadsheet
 * formula guard belongs to the CSV files only (shared/csv/csv-text.ts).
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the five characters that matter in HTML text and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/** The one way user data enters the report's HTML: strings and numbers, escaped. */
export function safeText(value: string | number): string {
  return escapeHtml(String(value));
}
