/**
 * Escaping for everything partner data touches on its way into a report. Partners open the
 * report in browsers and copy its tables into spreadsheets, so text is both HTML-escaped and
 * defused against formula injection (OWASP "CSV injection").
 */

/** Leading characters a spreadsheet reads as the start of a formula. */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes a quote when `value` would start a formula in a spreadsheet; otherwise unchanged. */
export function neutralizeFormula(value: string): string {
  return FORMULA_STARTS.has(value.charAt(0)) ? `'${value}` : value;
}

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

/**
 * The one way user data enters the HTML. Numbers are ours to print as they are (a negative
 * number is not a formula); strings are neutralized, then escaped. The guard quote itself is
 * left literal, so a copied cell reads `'=...` as in a spreadsheet: a bare `'` is harmless in
 * text and in the double-quoted attributes this report uses.
 */
export function safeText(value: string | number): string {
  if (typeof value === 'number') return escapeHtml(String(value));
  const neutral = neutralizeFormula(value);
  const guard = neutral.length > value.length ? "'" : '';
  return guard + escapeHtml(value);
}
