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

/**
 * Text a line must never break inside: an ISO date (with its time, if any) and a snake_case code
 * (a problem code, a setting or column name). Matched in escaped text, where no entity has a
 * digit-dash-digit run or an underscore.
 */
const UNBREAKABLE = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?|(?<!\w)[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?!\w)/g;

/**
 * A value as HTML text (never an attribute): escaped, with each date and code inside
 * `open`…`</span>`, an element that does not wrap.
 */
export function keepWhole(value: string, open: string): string {
  return escapeHtml(value).replace(UNBREAKABLE, (whole) => `${open}${whole}</span>`);
}

const GUID = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;

/**
 * An id as HTML text. A GUID goes inside `open`…`</span>`, an element that breaks no word on
 * its own, with a break opportunity (<wbr>) after each hyphen: a narrow column wraps it at its
 * hyphens only. Other ids are escaped as they are.
 */
export function idHtml(value: string, open: string): string {
  return GUID.test(value) ? `${open}${value.split('-').join('-<wbr>')}</span>` : escapeHtml(value);
}
